using System.IO.Compression;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Imports.Profiles;
using Tuntas.Imports.Tabular;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The registry export from the village page and the API: permission, scope, audit (docs/import-profiles.md).</summary>
public sealed class RegistryExportTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_village_page_and_the_api_export_within_the_readers_scope_each_download_audited_once(string provider)
    {
        await using var app = await CreateAsync(provider);
        var keden = await app.SeedFamilyAsync(Keden, new SeededMember("Sri Lestari", 2, new DateOnly(1982, 4, 5), 1), new SeededMember("Bayu", 1, new DateOnly(2010, 1, 9), 4));
        await app.SeedFamilyAsync(Trobayan, new SeededMember("Paijo", 1, new DateOnly(1970, 2, 2), 1));
        var admin = await app.SignInAsAdministratorAsync();
        var villageOperator = await app.SignInAsVillageOperatorAsync();
        var officer = await app.SignInAsAgencyOfficerAsync();

        var page = await ParseAsync(await admin.GetStringAsync($"/Wilayah/Desa/{Keden}"));
        var link = page.QuerySelector("#ekspor-desa a")!.GetAttribute("href")!;
        var download = await admin.GetAsync(link);
        var outside = await villageOperator.GetAsync($"/api/registry/export?format=opensid&desa={Trobayan}");
        var own = await villageOperator.GetAsync("/api/registry/export?format=opensid&file=csv");
        var dtks = await villageOperator.GetAsync("/api/registry/export?format=dtks");
        // The village spelt without dots: audited under its dotted code, as every other read of it.
        var plain = await villageOperator.GetAsync($"/api/registry/export?format=opensid&file=csv&desa={Keden.Replace(".", "", StringComparison.Ordinal)}");
        var refused = await officer.GetAsync($"/api/registry/export?format=opensid&desa={Keden}");
        var officerPage = await officer.GetAsync($"/Ekspor/Unduh?format=opensid&desa={Keden}");
        var operatorPage = await ParseAsync(await villageOperator.GetStringAsync("/Ekspor"));
        // An occupation outside OpenSID's list is named on the form before the download (the file leaves it empty).
        await using (var seeding = app.Database.CreateDb())
        {
            var bayu = await seeding.Persons.SingleAsync(p => p.Nama == "Bayu");
            bayu.Pekerjaan = "Buruh Bangunan";
            await seeding.SaveChangesAsync();
        }
        var formForKeden = await ParseAsync(await admin.GetStringAsync($"/Ekspor?desa={Keden}"));
        var ownForm = await ParseAsync(await villageOperator.GetStringAsync("/Ekspor"));
        var plainForm = await ParseAsync(await admin.GetStringAsync($"/Ekspor?desa={Keden.Replace(".", "", StringComparison.Ordinal)}"));
        var othersForm = await ParseAsync(await villageOperator.GetStringAsync($"/Ekspor?desa={Trobayan}"));
        // A code one digit off and a village of another regency: refused, not a header-only file answered 200.
        var mistyped = await admin.GetAsync("/Ekspor/Unduh?format=opensid&desa=33.14.01.9999");
        var otherRegency = await admin.GetAsync("/api/registry/export?format=opensid&desa=3315012001");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("opensid-penduduk-3314012001.xlsx", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        var path = Path.Combine(Path.GetTempPath(), $"web-export-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(path, await download.Content.ReadAsByteArrayAsync());
        using (var reader = TabularReader.Open(path, preferredSheets: ImportProfiles.PreferredSheets))
        {
            Assert.Equal(OpenSidPendudukLayout.Columns, reader.Header);
            var nik = reader.Header.ToList().IndexOf("nik");
            var niks = new List<string>();
            while (reader.Read())
            {
                niks.Add(reader[nik]);
            }
            Assert.Equal(keden.Persons.Select(p => p.Nik).Order(StringComparer.Ordinal), niks.Order(StringComparer.Ordinal));
        }

        Assert.Contains("Buruh Bangunan (1)", formForKeden.QuerySelector("#pekerjaan-di-luar-opensid")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Buruh Bangunan (1)", ownForm.QuerySelector("#pekerjaan-di-luar-opensid")!.TextContent, StringComparison.Ordinal);
        Assert.Null(operatorPage.QuerySelector("#pekerjaan-di-luar-opensid"));
        // A link's 10-digit code selects its village in the picker, not an extra option of its own; another village's
        // code is not offered to a village operator, nor its occupations.
        Assert.Equal([Keden], plainForm.QuerySelectorAll("select[name=desa] option[selected]").Select(o => o.GetAttribute("value")));
        Assert.DoesNotContain(plainForm.QuerySelectorAll("select[name=desa] option"), o => o.GetAttribute("value") == Keden.Replace(".", "", StringComparison.Ordinal));
        Assert.DoesNotContain(othersForm.QuerySelectorAll("select[name=desa] option"), o => o.GetAttribute("value") == Trobayan);
        Assert.Null(othersForm.QuerySelector("#pekerjaan-di-luar-opensid"));
        Assert.Equal(HttpStatusCode.BadRequest, mistyped.StatusCode);
        Assert.Null(mistyped.Content.Headers.ContentDisposition);
        Assert.Contains("33.14.01.9999", await mistyped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, otherRegency.StatusCode);
        Assert.Contains("VILLAGE_NO_FAMILIES", await otherRegency.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("VILLAGE_OUT_OF_SCOPE", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("application/zip", own.Content.Headers.ContentType!.MediaType);
        using (var zip = new ZipArchive(new MemoryStream(await own.Content.ReadAsByteArrayAsync())))
        {
            var entry = Assert.Single(zip.Entries);
            Assert.Equal("opensid-penduduk-3314012001.csv", entry.FullName);
            using var text = new StreamReader(entry.Open());
            var lines = (await text.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(string.Join(',', OpenSidPendudukLayout.Columns), lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.DoesNotContain(lines, l => l.Contains("Paijo", StringComparison.Ordinal));
        }
        Assert.Equal(HttpStatusCode.OK, dtks.StatusCode);
        Assert.Equal("dtks-regsosek2022k-3314012001.xlsx", dtks.Content.Headers.ContentDisposition!.FileNameStar ?? dtks.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, officerPage.StatusCode);
        Assert.Null(officerPage.Content.Headers.ContentDisposition);
        Assert.Equal([Keden], operatorPage.QuerySelectorAll("select[name=desa] option[value]").Select(o => o.GetAttribute("value")).Where(v => v is { Length: > 0 }));

        await using var db = app.Database.CreateDb();
        var exports = await db.AuditLog.AsNoTracking().Where(e => e.Action == AuditActions.Export).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal([(AdminUser, Keden), (OperatorUser, null), (OperatorUser, null), (OperatorUser, Keden)], exports.Select(e => (e.Actor, e.SubjectId)));
        Assert.Contains("opensid-penduduk-3314012001.xlsx", exports[0].Detail, StringComparison.Ordinal);
        // The officer's two attempts are refusals in the trail, not reads.
        Assert.Equal(2, await db.AuditLog.CountAsync(e => e.Action == AuditActions.AccessDenied && e.Actor == OfficerUser));
    }
}

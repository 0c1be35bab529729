using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Web.Api;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The back office's family search that forgives, and the long program lists (sortable, the language kept).</summary>
public sealed class SearchPageTests
{
    private static SeededMember Head(string name) => new(name, 2, new DateOnly(1978, 3, 12), 1);

    private static string[] Matched(AngleSharp.Dom.IDocument page) =>
        [.. page.QuerySelectorAll("#hasil tbody tr").Select(r => r.Children[1].TextContent.Trim())];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_finds_a_misspelt_name_in_their_village_only_masked_and_audited_once(string provider)
    {
        await using var app = await CreateAsync(provider);
        var keden = await app.SeedFamilyAsync(Keden, Head("Dian Sukini"));
        await app.SeedFamilyAsync(Trobayan, Head("Dian Sukini"));
        var client = await app.SignInAsVillageOperatorAsync();
        // The POST that searched is one personal-data read (the GET before it only fetched the form's token).
        int Reads(Tuntas.Data.TuntasDb db) => db.AuditLog.Count(e => e.SubjectType == "keluarga" && e.Detail != null && e.Detail.StartsWith("POST /Keluarga/Cari"));
        int before;
        await using (var db = app.Database.CreateDb())
        {
            before = Reads(db);
        }

        var response = await PostFormAsync(client, "/Keluarga/Cari", new() { ["Query"] = "Dien Sukiny" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(await response.Content.ReadAsStringAsync());
        var row = Assert.Single(page.QuerySelectorAll("#hasil tbody tr"));
        Assert.Contains($"/Keluarga/{keden.Id}", row.InnerHtml, StringComparison.Ordinal);
        Assert.Contains(Nik.Mask(keden.Persons[0].Nik), row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(keden.Persons[0].Nik, row.InnerHtml, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#lainnya"));
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(before + 1, Reads(db));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_region_picker_narrows_and_the_page_says_how_many_more_families_there_are(string provider)
    {
        await using var app = await CreateAsync(provider);
        for (var i = 0; i < 22; i++)
        {
            await app.SeedFamilyAsync(Keden, Head("Sri Lestari"));
        }
        var trobayan = await app.SeedFamilyAsync(Trobayan, Head("Sri Lestari"));
        var admin = await app.SignInAsAdministratorAsync();

        var all = await ParseAsync(await (await PostFormAsync(admin, "/Keluarga/Cari", new() { ["Query"] = "sri lestary" })).Content.ReadAsStringAsync());
        var narrowed = await ParseAsync(await (await PostFormAsync(admin, "/Keluarga/Cari", new() { ["Query"] = "sri lestary", ["wilayah"] = Trobayan })).Content.ReadAsStringAsync());

        Assert.Equal(20, Matched(all).Length);
        Assert.Contains("3", all.QuerySelector("#lainnya")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("kecamatan/desa", all.QuerySelector("#lainnya")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(all.QuerySelector($"select[name=wilayah] option[value='{Trobayan}']"));
        var row = Assert.Single(narrowed.QuerySelectorAll("#hasil tbody tr"));
        Assert.Contains($"/Keluarga/{trobayan.Id}", row.InnerHtml, StringComparison.Ordinal);
        Assert.Equal(Trobayan, narrowed.QuerySelector("select[name=wilayah] option[selected]")!.GetAttribute("value"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_api_finds_Wardojo_and_says_how_many_more_in_a_header(string provider)
    {
        await using var app = await CreateAsync(provider);
        var wardoyo = await app.SeedFamilyAsync(Trobayan, Head("Wardoyo"));
        await app.SeedFamilyAsync(Keden, Head("Wardoyo"));
        await app.SeedFamilyAsync(Keden, Head("Bambang Riyanto"));
        var admin = await app.SignInAsAdministratorAsync();

        var response = await admin.PostAsJsonAsync("/api/families/search", new { query = "Wardojo", limit = 1 });
        var narrowed = await admin.PostAsJsonAsync("/api/families/search", new { query = "Wardojo", region = Trobayan });

        var hits = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Wardoyo", Assert.Single(hits.EnumerateArray()).GetProperty("namaCocok").GetString());
        Assert.Equal("1", Assert.Single(response.Headers.GetValues(FamiliesApi.MoreResultsHeader)));
        var only = Assert.Single((await narrowed.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        Assert.Equal(wardoyo.Id, only.GetProperty("id").GetInt64());
        Assert.Equal("0", Assert.Single(narrowed.Headers.GetValues(FamiliesApi.MoreResultsHeader)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Program_recipients_sort_by_a_column_header_keeping_the_filter_and_the_language_switch_keeps_the_page(string provider)
    {
        await using var app = await CreateAsync(provider);
        var seeded = await new SeedDemoRegistry(app.Database, TimeProvider.System)
            .RunAsync(new GenerateDemoRegistry.Input("33.14", 600, 1), null, CancellationToken.None);
        Assert.True(seeded.Import.Committed, seeded.Import.Failure);
        await new SeedPrograms(app.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoEnrollments(app.Database, TimeProvider.System).RunAsync(1, DateTime.UtcNow.Year, CancellationToken.None);
        var admin = await app.SignInAsAdministratorAsync();
        var first = await ParseAsync(await admin.GetStringAsync("/Program/PKH"));
        var village = first.QuerySelector("#penerima tbody tr")!.Children[4].TextContent.Trim()[..8];

        // The header's sort button belongs to a form that carries the region filter: sorted by name within the kecamatan.
        var header = first.QuerySelector("#penerima thead button[value=nama]")!;
        Assert.Equal("urut-penerima", header.GetAttribute("form"));
        var sorted = await ParseAsync(await (await PostFormAsync(admin, "/Program/PKH", new() { ["wilayah"] = village, ["urut"] = "nama" })).Content.ReadAsStringAsync());
        var names = sorted.QuerySelectorAll("#penerima tbody tr").Select(r => r.Children[1].TextContent.Trim()).ToList();
        await using (var db = app.Database.CreateDb())
        {
            var program = (await ProgramCatalogue.FindAsync(db, "PKH", CancellationToken.None))!;
            var byName = await ListEnrollments.RunAsync(db, program, Tuntas.Access.AccessScope.Regency, false, 1, CancellationToken.None,
                new ListEnrollments.Filter(null, village, "nama"));
            Assert.True(names.Count > 1);
            Assert.Equal(byName.Items.Select(i => i.Name), names);
        }
        Assert.All(sorted.QuerySelectorAll("#penerima tbody tr"), r => Assert.StartsWith(village + ".", r.Children[4].TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal(village, sorted.QuerySelector("#urut-penerima input[name=wilayah]")!.GetAttribute("value"));
        Assert.Null(sorted.QuerySelector("#penerima thead button[value=nama]"));

        // The language link returns to the same page, region and order.
        var paged = await ParseAsync(await (await PostFormAsync(admin, "/Program/PKH", new() { ["hal"] = "2", ["urut"] = "status" })).Content.ReadAsStringAsync());
        var language = paged.QuerySelector("a[href^='/bahasa/']")!.GetAttribute("href")!;
        var back = Uri.UnescapeDataString(language[(language.IndexOf("returnUrl=", StringComparison.Ordinal) + "returnUrl=".Length)..]);
        Assert.Equal("/Program/PKH?hal=2&urut=status", back);
        var switched = await admin.GetAsync(language);
        Assert.Equal("/Program/PKH?hal=2&urut=status", switched.Headers.Location!.OriginalString);
        var english = await ParseAsync(await admin.GetStringAsync(switched.Headers.Location.OriginalString));
        Assert.Contains("2 /", english.QuerySelector("#halaman-penerima span")!.TextContent, StringComparison.Ordinal);
    }
}

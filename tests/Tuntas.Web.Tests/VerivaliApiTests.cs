using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The verivali cycle through the API, with the scope rules: relawan lines, 403 outside scope, musdes evidence.</summary>
public sealed class VerivaliApiTests
{
    private static readonly byte[] _pdf = "%PDF-1.4\n%berita acara\n"u8.ToArray();

    /// <summary>A village of 174 lines was one page of 3.5 MB, every line with its visit form. The worklist is paged; a post
    /// shows the page it came from again.</summary>
    [Fact]
    public async Task The_worklist_page_shows_twenty_lines_a_page_and_a_visit_posted_from_page_two_returns_to_it()
    {
        await using var app = await CreateAsync(nameof(Tuntas.Data.DatabaseProvider.Sqlite));
        for (var i = 0; i < 22; i++)
        {
            await app.SeedFamilyAsync(Keden, new SeededMember("Kepala " + i, 1, new DateOnly(1970, 1, 5), 1));
        }
        var admin = await app.SignInAsAdministratorAsync();
        var periodId = (await (await admin.PostAsJsonAsync("/api/verivali/periods", new { name = "Semester I 2027" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var operatorClient = await app.SignInAsVillageOperatorAsync();

        var first = await ParseAsync(await operatorClient.GetStringAsync($"/Verivali/Kunjungan?periode={periodId}"));
        var second = await ParseAsync(await operatorClient.GetStringAsync($"/Verivali/Kunjungan?periode={periodId}&halaman=2"));
        var line = second.QuerySelector("section[id^=baris-]")!.Id!["baris-".Length..];
        var posted = await ParseAsync(await (await PostFormAsync(operatorClient, $"/Verivali/Kunjungan?handler=Kunjungi", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = second.QuerySelector("form.form-kunjungi input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["periode"] = periodId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["baris"] = line,
            ["halaman"] = "2",
            ["hasil"] = "tetap",
        })).Content.ReadAsStringAsync());

        Assert.Equal(20, first.QuerySelectorAll("section[id^=baris-]").Length);
        Assert.Contains("1 / 2", first.QuerySelector("#halaman-kerja")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, second.QuerySelectorAll("section[id^=baris-]").Length);
        Assert.Contains("2 / 2", posted.QuerySelector("#halaman-kerja")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("dikunjungi", posted.QuerySelector($"#baris-{line}")!.GetAttribute("data-status"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_cycle_runs_through_the_api_under_the_scope_rules(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Sukijo", 1, new DateOnly(1970, 1, 5), 1), new SeededMember("Sri", 2, new DateOnly(1975, 2, 6), 3));
        var elsewhere = await app.SeedFamilyAsync(Trobayan, new SeededMember("Paijo", 1, new DateOnly(1960, 1, 5), 1));
        await app.AddUserAsync("relawan.siti", "rahasia-relawan-123", Roles.Relawan);
        var admin = await app.SignInAsAdministratorAsync();
        var operatorClient = await app.SignInAsVillageOperatorAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync("/api/verivali/periods", new { name = "Semester I 2027" })).StatusCode);
        var period = await (await admin.PostAsJsonAsync("/api/verivali/periods", new { name = "Semester I 2027" })).Content.ReadFromJsonAsync<JsonElement>();
        var periodId = period.GetProperty("id").GetInt64();
        var lines = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/verivali/periods/{periodId}/lines");
        var line = Assert.Single(lines.EnumerateArray());
        var lineId = line.GetProperty("id").GetInt64();
        var otherLine = await app.Database.CreateDb().VerivaliLines.Where(l => l.FamilyId == elsewhere.Id).Select(l => l.Id).SingleAsync();

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync("/api/verivali/lines/assign", new { lineIds = new[] { lineId }, assignTo = "relawan.siti" })).StatusCode);
        var relawan = await app.SignInAsync("relawan.siti", "rahasia-relawan-123");
        Assert.Equal(HttpStatusCode.OK, (await relawan.GetAsync($"/api/families/{family.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await relawan.GetAsync($"/api/families/{elsewhere.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await relawan.PostAsJsonAsync($"/api/verivali/lines/{otherLine}/visit", new { outcome = "tetap" })).StatusCode);
        var invalid = await relawan.PostAsJsonAsync($"/api/verivali/lines/{lineId}/visit", new { outcome = "perbaikan-data", changes = new[] { new { field = "JENIS_DINDING", value = "9" } } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("OUT_OF_RANGE", await invalid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await relawan.PostAsJsonAsync($"/api/verivali/lines/{lineId}/visit",
            new { outcome = "perbaikan-data", changes = new[] { new { field = "JENIS_DINDING", value = "1" } }, note = "Dinding sudah tembok" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync($"/api/verivali/lines/{lineId}/review", new { accept = true })).StatusCode);
        var minutes = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/verivali/periods/{periodId}/berita-acara?desa={Keden}");
        Assert.Equal("perubahan", minutes.GetProperty("rows")[0].GetProperty("kind").GetString());
        var closeEarly = await operatorClient.PostAsJsonAsync($"/api/verivali/periods/{periodId}/musdes/close?desa={Keden}", new { heldOn = "2026-11-20" });
        Assert.Contains("MUSDES_UNDECIDED", await closeEarly.Content.ReadAsStringAsync());
        var outside = await operatorClient.PostAsJsonAsync("/api/verivali/lines/decisions", new { decisions = new Dictionary<string, string> { [otherLine.ToString(System.Globalization.CultureInfo.InvariantCulture)] = "setuju" } });
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync("/api/verivali/lines/decisions", new { decisions = new Dictionary<string, string> { [lineId.ToString(System.Globalization.CultureInfo.InvariantCulture)] = "setuju" } })).StatusCode);
        using (var scan = new MultipartFormDataContent { { new StringContent(Keden), "desa" }, { new ByteArrayContent(_pdf), "file", "berita-acara.pdf" } })
        {
            // A period that does not exist: refused with its code, not a foreign-key failure (HTTP 500).
            var unknown = await operatorClient.PostAsync("/api/verivali/periods/999999/musdes/scan", scan);
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("PERIOD_NOT_FOUND", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var scan = new MultipartFormDataContent { { new StringContent(Keden), "desa" }, { new ByteArrayContent(_pdf), "file", "berita-acara.pdf" } })
        {
            Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/verivali/periods/{periodId}/musdes/scan", scan)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync($"/api/verivali/periods/{periodId}/musdes/close?desa={Keden}", new { heldOn = "2026-11-20" })).StatusCode);
        var applied = await (await operatorClient.PostAsJsonAsync($"/api/verivali/periods/{periodId}/apply", new { desa = Keden })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, applied.GetProperty("applied").GetInt32());
        var again = await (await operatorClient.PostAsJsonAsync($"/api/verivali/periods/{periodId}/apply", new { desa = Keden })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("applied").GetInt32());

        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(1, (await db.Families.SingleAsync(f => f.Id == family.Id)).JenisDinding);
            Assert.Contains(await db.FamilyChanges.Where(c => c.FamilyId == family.Id).ToListAsync(), c => c.Source == ChangeSource.Musdes && c.Field == "JENIS_DINDING");
        }
        var progress = await admin.GetFromJsonAsync<JsonElement>($"/api/verivali/periods/{periodId}/progress");
        Assert.Equal(1, progress.EnumerateArray().Single(p => p.GetProperty("kodeDesa").GetString() == Keden).GetProperty("applied").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/verivali/periods/{periodId}/close", null)).StatusCode);
        var csv = await admin.GetStringAsync($"/api/verivali/periods/{periodId}/proposal?format=csv");
        Assert.Contains("perubahan", csv);
        Assert.Contains("Sukijo", csv);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Visits_carry_photos_and_new_families_are_proposed_through_the_api_and_the_page_within_scope(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.SeedFamilyAsync(Keden, new SeededMember("Sukijo", 1, new DateOnly(1970, 1, 5), 1));
        await app.SeedFamilyAsync(Trobayan, new SeededMember("Paijo", 1, new DateOnly(1960, 1, 5), 1));
        var admin = await app.SignInAsAdministratorAsync();
        var operatorClient = await app.SignInAsVillageOperatorAsync();
        var periodId = (await (await admin.PostAsJsonAsync("/api/verivali/periods", new { name = "Semester I 2027" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var lineId = (await operatorClient.GetFromJsonAsync<JsonElement>($"/api/verivali/periods/{periodId}/lines"))[0].GetProperty("id").GetInt64();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 7, 7];

        MultipartFormDataContent Visit(byte[] photo, string name) => new()
        {
            { new StringContent("perbaikan-data"), "outcome" },
            { new StringContent("""[{"field": "JENIS_DINDING", "value": "1"}]"""), "changes" },
            { new StringContent("Dinding sudah tembok"), "note" },
            { new ByteArrayContent(photo), "photos", name },
        };
        using (var document = Visit(_pdf, "rumah.pdf"))
        {
            var refused = await operatorClient.PostAsync($"/api/verivali/lines/{lineId}/visit", document);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("PHOTO_TYPE", await refused.Content.ReadAsStringAsync());
        }
        using (var photo = Visit(png, "rumah.png"))
        {
            var visited = await operatorClient.PostAsync($"/api/verivali/lines/{lineId}/visit", photo);
            Assert.Equal(HttpStatusCode.OK, visited.StatusCode);
            var url = (await visited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("photos")[0].GetString()!;
            var download = await operatorClient.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
            await app.AddUserAsync("operator.trobayan", "rahasia-operator-123", Roles.VillageOperator, Trobayan);
            var other = await app.SignInAsync("operator.trobayan", "rahasia-operator-123");
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(url)).StatusCode);
        }
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal("perbaikan-data", await db.VerivaliLines.Where(l => l.Id == lineId).Select(l => l.Outcome).SingleAsync());
        }

        var nik = Nik.Compose("331401", new DateOnly(1990, 4, 5), 1, 77);
        var family = ProposedFamilies.Family();
        var head = ProposedFamilies.Head(nik);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync("/api/verivali/proposals",
            new { family = ProposedFamilies.Family(Trobayan), members = new[] { head } })).StatusCode);
        var bad = await operatorClient.PostAsJsonAsync("/api/verivali/proposals", new { family, members = new[] { ProposedFamilies.Head("123") } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("NIK_FORMAT", await bad.Content.ReadAsStringAsync());
        var proposed = await operatorClient.PostAsJsonAsync("/api/verivali/proposals", new { family, members = new[] { head }, note = "usulan RT 3" });
        Assert.Equal(HttpStatusCode.OK, proposed.StatusCode);
        Assert.Equal("usulan-baru", (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reasons").GetString());

        // The page: the operator types a second family's proposal; a refused one shows its code.
        var fields = new Dictionary<string, string> { ["periode"] = periodId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (column, value) in ProposedFamilies.Family())
        {
            fields["kk." + column] = column == "NO_KK" ? "3314010101200078" : value!;
        }
        foreach (var (column, value) in ProposedFamilies.Head(Nik.Compose("331401", new DateOnly(1990, 4, 5), 1, 78)))
        {
            fields["a1." + column] = value!;
        }
        var page = await PostFormAsync(operatorClient, $"/Verivali/Kunjungan?periode={periodId}&handler=Usul", new Dictionary<string, string>(fields) { ["kk.JENIS_LANTAI"] = "12" });
        Assert.Contains("OUT_OF_RANGE", await page.Content.ReadAsStringAsync());
        page = await PostFormAsync(operatorClient, $"/Verivali/Kunjungan?periode={periodId}&handler=Usul", fields);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(2, await db.VerivaliLines.CountAsync(l => l.FamilyId == null && l.KodeDesa == Keden && l.Outcome == "usulan-baru"));
        }
        var duplicates = await operatorClient.PostAsync($"/api/verivali/periods/{periodId}/duplicates", null);
        Assert.Equal(HttpStatusCode.OK, duplicates.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Demo;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Security;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The targeting back office (/Penargetan) and API (/api/targeting) over a small generated demo regency.</summary>
public sealed class TargetingTests
{
    private const int DemoFamilies = 1500;
    private const string UnknownField = """{"<": [{"field": "luas_lantaii"}, 8]}""";
    private const string DivideByZero = """{"<": [{"/": [{"field":"luas_lantai"}, 0]}, 8]}""";
    private const string ValidRule = """{"<": [{"field": "luas_lantai"}, 8]}""";

    private static async Task<TuntasWebFactory> CreateWithDemoAsync(string provider)
    {
        var app = await CreateAsync(provider);
        var seeded = await new SeedDemoRegistry(app.Database, TimeProvider.System)
            .RunAsync(new GenerateDemoRegistry.Input("33.14", DemoFamilies, 1), null, CancellationToken.None);
        Assert.True(seeded.Import.Committed, seeded.Import.Failure);
        return app;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Administrator_starts_a_run_from_the_page_sees_its_programs_and_downloads_the_csv(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        var client = await app.SignInAsAdministratorAsync();

        var response = await PostFormAsync(client, "/Penargetan", new() { ["AsOf"] = "2026-01-15", ["DecileModel"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/Penargetan/[0-9]+$", location);

        var page = await ParseAsync(await client.GetStringAsync(location));
        var programs = page.QuerySelectorAll("#program tbody tr");
        Assert.True(programs.Length >= 10, "the ten default programs");
        Assert.Equal(DemoFamilies.ToString("N0", new System.Globalization.CultureInfo("id")), page.QuerySelector("#jumlah-keluarga")!.TextContent.Trim());
        Assert.Equal(11, page.QuerySelectorAll("#silang tbody tr").Length);
        Assert.NotNull(page.QuerySelector("#koefisien"));
        Assert.NotEmpty(page.QuerySelectorAll("#ketepatan tbody tr"));

        var csv = await client.GetAsync(location + "?handler=Ekspor");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.True(csv.Headers.CacheControl?.NoStore);
        var runId = location["/Penargetan/".Length..];
        Assert.Equal($"penargetan-{runId}.csv", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NO_KK,KODE_DESA,SKOR_PMT,DESIL,KRITERIA_BPS,MISKIN_BPS,PROGRAM_ELIGIBLE", lines[0], StringComparison.Ordinal);
        Assert.Equal(DemoFamilies + 1, lines.Length);

        // A second run, compared with the first; a quota for the first program.
        var second = await PostFormAsync(client, "/Penargetan", new() { ["DecileModel"] = "skor" });
        var secondLocation = second.Headers.Location!.OriginalString;
        var program = programs[0].QuerySelector("td")!.TextContent.Trim();
        var compared = await ParseAsync(await client.GetStringAsync($"{secondLocation}?banding={runId}&program={program}&kuota=50&metode=proporsional"));
        Assert.NotEmpty(compared.QuerySelectorAll("#perbandingan-program tbody tr"));
        Assert.Contains("tanggal acuan", compared.QuerySelector("#perbandingan")!.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(compared.QuerySelectorAll("#alokasi tbody tr"));
        var ranked = await client.GetStringAsync(compared.QuerySelector("#unduh-daftar")!.GetAttribute("href"));
        Assert.StartsWith("KODE_DESA,PERINGKAT_DESA,NO_KK", ranked, StringComparison.Ordinal);

        var list = await ParseAsync(await client.GetStringAsync("/Penargetan"));
        Assert.Equal(2, list.QuerySelectorAll("#penargetan tbody tr").Length);

        // The family page shows the family's result in the latest run: each of the 14 BPS criteria with its status.
        long familyId;
        await using (var db = app.Database.CreateDb())
        {
            familyId = await db.Families.OrderBy(f => f.Id).Select(f => f.Id).FirstAsync();
        }
        var family = await ParseAsync(await client.GetStringAsync($"/Keluarga/{familyId}"));
        var section = family.QuerySelector("section#penargetan")!;
        Assert.Contains($"#{secondLocation["/Penargetan/".Length..]}", section.TextContent, StringComparison.Ordinal);
        Assert.Equal(14, section.QuerySelectorAll("#kriteria tbody tr").Length);
        Assert.All(section.QuerySelectorAll("#kriteria tbody tr"), row => Assert.Contains(row.ClassName, new[] { "terpenuhi", "tidak", "tidak-diketahui" }));
    }

    /// <summary>A registry from one village's OpenSID file alone: no consumption sample, few indicators. The run page says
    /// which model it skipped, that its deciles are coarse (families of one value share a decile, and a rule's cut inside
    /// the deciles such a group spans leaves it undetermined), and that accuracy
    /// cannot be measured yet, instead of a table of zeros.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_run_on_an_OpenSID_registry_says_what_it_skipped_that_its_deciles_are_coarse_and_that_accuracy_needs_consumption(string provider)
    {
        await using var app = await CreateAsync(provider);
        var imported = await new Tuntas.Imports.ImportFamilies(app.Database, TimeProvider.System).RunAsync(
            new Tuntas.Imports.ImportFamilies.Input(OpenSidFileBuilder.Village().WriteCsv(), "penduduk.csv", false, "uji", Village: "3314012001"), null, CancellationToken.None);
        Assert.True(imported.Committed, imported.Failure + string.Join("; ", imported.Errors.Select(e => e.Code)));
        var client = await app.SignInAsAdministratorAsync();

        var response = await PostFormAsync(client, "/Penargetan", new() { ["AsOf"] = "2026-01-15", ["DecileModel"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await ParseAsync(await client.GetStringAsync(response.Headers.Location!.OriginalString));
        Assert.NotNull(page.QuerySelector(".skipped-model"));
        Assert.Contains("Keluarga bernilai sama mendapat desil yang sama", page.QuerySelector("#desil-kasar")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("belum pasti", page.QuerySelector("#desil-rentang")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#ketepatan-tanpa-pengeluaran"));
        Assert.Null(page.QuerySelector("#ketepatan"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Invalid_rule_preview_lists_the_issue_and_saving_it_writes_nothing_a_valid_rule_saves_a_new_version(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        var before = await RuleVersionsAsync(app);

        var preview = await PostFormAsync(client, "/Penargetan/Aturan", new() { ["Program"] = "UJI", ["Name"] = "Uji", ["Definition"] = UnknownField, ["Action"] = "pratinjau" });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var page = await ParseAsync(await preview.Content.ReadAsStringAsync());
        Assert.Contains("UNKNOWN_FIELD", page.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#pratinjau"));

        var refused = await PostFormAsync(client, "/Penargetan/Aturan", new() { ["Program"] = "UJI", ["Name"] = "Uji", ["Definition"] = UnknownField, ["Action"] = "simpan" });
        page = await ParseAsync(await refused.Content.ReadAsStringAsync());
        Assert.Contains("UNKNOWN_FIELD", page.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await RuleVersionsAsync(app));

        var okPreview = await PostFormAsync(client, "/Penargetan/Aturan", new() { ["Program"] = "UJI", ["Name"] = "Uji", ["Definition"] = ValidRule, ["Action"] = "pratinjau" });
        page = await ParseAsync(await okPreview.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector("#pratinjau"));

        var current = await app.CurrentRuleAsync();
        var saved = await PostFormAsync(client, "/Penargetan/Aturan", new() { ["Program"] = current.ProgramCode, ["Name"] = "Baru", ["Definition"] = ValidRule, ["Action"] = "simpan" });
        page = await ParseAsync(await saved.Content.ReadAsStringAsync());
        Assert.Null(page.QuerySelector("#masalah"));
        Assert.Contains($"{current.ProgramCode} v{current.Version + 1}", page.QuerySelector("#disimpan")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before + 1, await RuleVersionsAsync(app));

        // A role without rights reads the page but cannot save.
        var officer = await app.SignInAsAgencyOfficerAsync();
        var read = await ParseAsync(await officer.GetStringAsync("/Penargetan/Aturan"));
        Assert.NotEmpty(read.QuerySelectorAll("#aturan tbody tr"));
        var forbidden = await PostFormAsync(officer, "/Penargetan/Aturan", new() { ["Program"] = current.ProgramCode, ["Name"] = "X", ["Definition"] = ValidRule, ["Action"] = "simpan" });
        Assert.NotEqual(HttpStatusCode.OK, forbidden.StatusCode);
        Assert.Equal(before + 1, await RuleVersionsAsync(app));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Api_runs_rules_and_rights(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateBrowser().GetAsync("/api/targeting/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateBrowser().PostAsJsonAsync("/api/targeting/runs", new { })).StatusCode);

        var admin = await app.SignInAsAdministratorAsync();
        var created = await admin.PostAsJsonAsync("/api/targeting/runs", new { asOf = "2026-01-15" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = run.GetProperty("run").GetProperty("id").GetInt64();
        Assert.Equal($"/api/targeting/runs/{id}", created.Headers.Location!.OriginalString);

        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/targeting/runs/{id}");
        Assert.Equal(DemoFamilies, detail.GetProperty("summary").GetProperty("families").GetInt32());
        Assert.Equal("2026-01-15", detail.GetProperty("inputs").GetProperty("asOf").GetString());
        Assert.True(detail.GetProperty("summary").GetProperty("programs").GetArrayLength() >= 10);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/targeting/runs/{id + 1000}")).StatusCode);

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/targeting/runs");
        Assert.Equal(id, list[0].GetProperty("id").GetInt64());

        var export = await admin.GetAsync($"/api/targeting/runs/{id}/export");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(string.Join(',', ExportRun.Header), await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var accuracy = await admin.GetFromJsonAsync<JsonElement>($"/api/targeting/runs/{id}/accuracy?quota=0.2");
        Assert.NotEqual(0, accuracy.GetProperty("models").GetArrayLength());
        // A share the use case cannot measure, NaN and infinities included, is refused under the API's own parameter name.
        foreach (var bad in new[] { "NaN", "Infinity", "-Infinity", "0", "1", "-0.5", "2" })
        {
            var refused = await admin.GetAsync($"/api/targeting/runs/{id}/accuracy?quota={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal("quota", Assert.Single(errors.EnumerateObject()).Name);
            Assert.Contains(" / quota must be", errors.GetProperty("quota")[0].GetString(), StringComparison.Ordinal);
        }

        var program = detail.GetProperty("summary").GetProperty("programs")[0].GetProperty("program").GetString();
        var quota = await admin.PostAsJsonAsync($"/api/targeting/runs/{id}/quota", new { program, quota = 40, method = "peringkat" });
        Assert.Equal(HttpStatusCode.OK, quota.StatusCode);
        var badQuota = await admin.PostAsJsonAsync($"/api/targeting/runs/{id}/quota", new { program, quota = 0, method = "peringkat" });
        Assert.Equal(HttpStatusCode.BadRequest, badQuota.StatusCode);

        var compare = await admin.GetFromJsonAsync<JsonElement>($"/api/targeting/compare?before={id}&after={id}");
        Assert.True(compare.GetProperty("sameInputs").GetBoolean());

        var rules = await admin.GetFromJsonAsync<JsonElement>("/api/targeting/rules");
        Assert.True(rules.GetArrayLength() >= 10);
        var models = await admin.GetFromJsonAsync<JsonElement>("/api/targeting/models");
        Assert.True(models.GetArrayLength() >= 3);

        var divide = await admin.PostAsJsonAsync("/api/targeting/rules", new { program = "UJI", name = "Uji", definition = DivideByZero });
        Assert.Equal(HttpStatusCode.BadRequest, divide.StatusCode);
        Assert.Equal("application/problem+json", divide.Content.Headers.ContentType?.MediaType);
        var problem = await divide.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("issues").EnumerateArray(), i => i.GetProperty("code").GetString() == "DIVIDE_BY_ZERO"
            && i.GetProperty("messageEn").GetString() == "Division by zero.");

        var previewBad = await admin.PostAsJsonAsync("/api/targeting/rules/preview", new { definition = UnknownField });
        Assert.Equal(HttpStatusCode.BadRequest, previewBad.StatusCode);
        var preview = await admin.PostAsJsonAsync("/api/targeting/rules/preview", new { definition = ValidRule });
        var previewed = await preview.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(DemoFamilies, previewed.GetProperty("total").GetInt32());
        Assert.Equal(id, previewed.GetProperty("runId").GetInt64());

        var savedRule = await admin.PostAsJsonAsync("/api/targeting/rules", new { program = "UJI", name = "Uji", definition = ValidRule });
        Assert.Equal(HttpStatusCode.Created, savedRule.StatusCode);
        Assert.Equal(1, (await savedRule.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        var officer = await app.SignInAsAgencyOfficerAsync();
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/targeting/runs/{id}")).StatusCode);
        var forbidden = await officer.PostAsJsonAsync("/api/targeting/runs", new { });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync("/api/targeting/rules", new { program = "UJI", name = "x", definition = ValidRule })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync("/api/targeting/models", new { code = "X1", definition = "{}" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync($"/api/targeting/runs/{id}/export")).StatusCode);

        var key = await app.AddApiClientAsync(Roles.Partner);
        var machine = app.CreateBrowser();
        machine.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, key);
        Assert.Equal(HttpStatusCode.Forbidden, (await machine.PostAsJsonAsync("/api/targeting/runs", new { })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Coordinator_may_start_a_run_and_an_empty_registry_is_refused_with_its_issue_in_both_languages(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.AddUserAsync("koordinator", "rahasia-tkpkd-kab-123", Roles.TkpkdCoordinator);
        var coordinator = await app.SignInAsync("koordinator", "rahasia-tkpkd-kab-123");

        var refused = await coordinator.PostAsJsonAsync("/api/targeting/runs", new { decileModel = "skor" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var issue = Assert.Single((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("issues").EnumerateArray());
        Assert.Equal("EMPTY_REGISTRY", issue.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync("/api/targeting/runs/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync("/Penargetan/1")).StatusCode);

        var page = await PostFormAsync(coordinator, "/Penargetan", new() { ["DecileModel"] = "" });
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await ParseAsync(await page.Content.ReadAsStringAsync());
        Assert.Contains("EMPTY_REGISTRY", html.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Data terpadu kosong", html.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);

        await coordinator.GetAsync("/bahasa/en?returnUrl=/Penargetan");
        var english = await ParseAsync(await (await PostFormAsync(coordinator, "/Penargetan", new() { ["DecileModel"] = "" })).Content.ReadAsStringAsync());
        Assert.Contains("The registry is empty", english.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Targeting", english.QuerySelector("h1")!.TextContent);

        var openApi = await app.CreateBrowser().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/targeting/runs/{id}/export", openApi, StringComparison.Ordinal);
        Assert.Contains("/api/targeting/rules/preview", openApi, StringComparison.Ordinal);
    }

    private static async Task<int> RuleVersionsAsync(TuntasWebFactory app)
    {
        await using var db = app.Database.CreateDb();
        return await db.EligibilityRules.CountAsync();
    }
}

internal static class TargetingTestExtensions
{
    public static async Task<Targeting.EligibilityRule> CurrentRuleAsync(this TuntasWebFactory app)
    {
        await using var db = app.Database.CreateDb();
        var rules = await db.EligibilityRules.AsNoTracking().ToListAsync();
        return rules.OrderBy(r => r.ProgramCode, StringComparer.Ordinal).ThenByDescending(r => r.Version).First();
    }
}

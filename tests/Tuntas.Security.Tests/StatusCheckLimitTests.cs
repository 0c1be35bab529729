using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// Anyone can spend a citizen's per-NIK budget by typing the NIK. The refusal then says the real wait (Retry-After and
/// the page's words agree with the limiter), and the citizen can still check through the posko: a signed-in officer's
/// check, not held to the public per-NIK budget, and audited with the NIK masked.
/// </summary>
public sealed class StatusCheckLimitTests
{
    private static Dictionary<string, string> TwoPerHour() => new() { ["Tuntas:Public:NikPerHour"] = "2" };

    [Fact]
    public async Task A_spent_nik_budget_says_the_real_wait_in_retry_after_and_on_the_page()
    {
        await using var app = await CreateAsync("Sqlite", TwoPerHour());
        var attacker = app.CreateBrowser();
        const string Nik = "3314015504820001";
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await attacker.PostAsJsonAsync("/api/public/status", new { nik = Nik, nama = "Siapa Saja" })).StatusCode);
        }
        var api = await attacker.PostAsJsonAsync("/api/public/status", new { nik = Nik, nama = "Siapa Saja" });
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        // Two a hour come back one every 30 minutes: the wait is 30 minutes, not the 60 seconds it used to say.
        Assert.Equal(TimeSpan.FromMinutes(30), api.Headers.RetryAfter!.Delta);
        Assert.Contains("30 menit", (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var citizen = app.CreateBrowser();
        var page = await PostFormAsync(citizen, "/Publik/Cek", new() { ["Nik"] = Nik, ["Nama"] = "Sri Lestari" });
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(30), page.Headers.RetryAfter!.Delta);
        var said = (await ParseAsync(await page.Content.ReadAsStringAsync())).QuerySelector("#dibatasi")!.TextContent;
        Assert.Contains("30 menit", said, StringComparison.Ordinal);
        Assert.Contains("posko", said, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task With_the_nik_budget_spent_the_posko_still_checks_for_the_citizen_and_the_check_is_audited(string provider)
    {
        await using var app = await CreateAsync(provider, TwoPerHour());
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Sri Lestari", 2, new DateOnly(1982, 4, 15), 1));
        var nik = family.Persons[0].Nik;
        var attacker = app.CreateBrowser();
        for (var i = 0; i < 3; i++)
        {
            await attacker.PostAsJsonAsync("/api/public/status", new { nik, nama = "Siapa Saja" });
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.PostAsJsonAsync("/api/public/status", new { nik, nama = "Sri Lestari" })).StatusCode);

        var posko = await app.SignInAsVillageOperatorAsync();
        for (var i = 0; i < 3; i++)
        {
            var page = await PostFormAsync(posko, "/Aduan/Cek", new() { ["Nik"] = nik, ["Nama"] = "Sri Lestari" });
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("true", (await ParseAsync(await page.Content.ReadAsStringAsync())).QuerySelector("#hasil")!.GetAttribute("data-ditemukan"));
        }
        var api = await posko.PostAsJsonAsync("/api/posko/status", new { nik, nama = "Sri Lestari" });
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.True((await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ditemukan").GetBoolean());

        await using var db = app.Database.CreateDb();
        var entries = await db.AuditLog.AsNoTracking().Where(e => e.Actor == OperatorUser && e.Detail != null && e.Detail.Contains("cek status posko")).ToListAsync();
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.Contains(Nik.Mask(nik), e.Detail, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Detail!.Contains(nik, StringComparison.Ordinal));

        // Partners do not check individuals.
        await app.AddUserAsync("mitra", "rahasia-csr-gula-123", Tuntas.Users.Roles.Partner, organization: "PT Gula Sragen");
        var partner = await app.SignInAsync("mitra", "rahasia-csr-gula-123");
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.PostAsJsonAsync("/api/posko/status", new { nik, nama = "Sri Lestari" })).StatusCode);
    }
}

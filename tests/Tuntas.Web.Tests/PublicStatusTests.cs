using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Programs;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The citizen's status check, on the portal page and in <c>POST /api/public/status</c>.</summary>
public sealed class PublicStatusTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_citizen_learns_the_programs_and_nothing_else_and_a_wrong_name_looks_like_an_unknown_nik(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Sri Lestari", 2, new DateOnly(1982, 4, 5), 1), new SeededMember("Budi", 1, new DateOnly(2010, 1, 1), 4));
        await new SeedPrograms(app.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await using (var db = app.Database.CreateDb())
        {
            var pkh = await db.Programs.SingleAsync(p => p.Code == "PKH");
            db.Enrollments.Add(new Enrollment { ProgramId = pkh.Id, FamilyId = family.Id, Status = ProgramTerms.Enrolled, StartedOn = new DateOnly(2026, 1, 1), CreatedBy = "uji", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var citizen = app.CreateBrowser();
        var nik = family.Persons[0].Nik;

        var found = await citizen.PostAsJsonAsync("/api/public/status", new { nik, nama = "sri lestary" }); // a typo is tolerated
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var body = await found.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("ditemukan").GetBoolean());
        Assert.Equal("S** L******", body.GetProperty("nama").GetString());
        Assert.Equal("PKH", body.GetProperty("program")[0].GetProperty("kode").GetString());
        Assert.Equal("aktif", body.GetProperty("program")[0].GetProperty("status").GetString());
        var text = await found.Content.ReadAsStringAsync();
        Assert.DoesNotContain(nik, text, StringComparison.Ordinal);
        Assert.DoesNotContain(family.NoKk, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Lestari", text, StringComparison.Ordinal);
        Assert.Equal(["ditemukan", "nama", "program", "pesan", "message"], body.EnumerateObject().Select(p => p.Name));

        var byNoKk = await (await citizen.PostAsJsonAsync("/api/public/status", new { nik, noKk = family.NoKk })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(byNoKk.GetProperty("ditemukan").GetBoolean());

        // A wrong name and a NIK nobody has: byte-for-byte the same answer.
        var wrongName = await (await citizen.PostAsJsonAsync("/api/public/status", new { nik, nama = "Joko Widodo" })).Content.ReadAsStringAsync();
        var unknown = await (await citizen.PostAsJsonAsync("/api/public/status", new { nik = "3314015504820999", nama = "Sri Lestari" })).Content.ReadAsStringAsync();
        Assert.Equal(unknown, wrongName);
        Assert.False(JsonDocument.Parse(unknown).RootElement.GetProperty("ditemukan").GetBoolean());

        var malformed = await citizen.PostAsJsonAsync("/api/public/status", new { nik = "33140<script>", nama = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("NIK harus 16 angka", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The portal page: a POST with antiforgery; the NIK is not echoed back into the page.
        var page = await PostFormAsync(citizen, "/Publik/Cek", new() { ["Nik"] = nik, ["Nama"] = "Sri Lestari" });
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal("true", (await ParseAsync(html)).QuerySelector("#hasil")!.GetAttribute("data-ditemukan"));
        Assert.DoesNotContain(nik, html, StringComparison.Ordinal);
        var replay = await citizen.PostAsync("/Publik/Cek", new FormUrlEncodedContent(new Dictionary<string, string> { ["Nik"] = nik, ["Nama"] = "Sri Lestari" }));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode); // no antiforgery token: refused, and said so
        var refusedPage = await ParseAsync(await replay.Content.ReadAsStringAsync());
        Assert.Contains("Formulir ini sudah kedaluwarsa, dikirim ulang", refusedPage.QuerySelector("main")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_the_limits_the_answer_is_429_with_retry_after_for_the_client_and_for_the_nik()
    {
        await using var app = await CreateAsync("Sqlite", new Dictionary<string, string>
        {
            ["Tuntas:Public:ClientPerMinute"] = "6",
            ["Tuntas:Public:NikPerHour"] = "3",
        });
        var citizen = app.CreateBrowser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await citizen.PostAsJsonAsync("/api/public/status", new { nik = "3314015504820001", nama = "Sri" })).StatusCode);
        }
        // Three for this NIK, then the NIK's budget is spent even though the client's is not.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var other = await citizen.PostAsJsonAsync("/api/public/status", new { nik = "3314015504820002", nama = "Sri" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var limited = await citizen.PostAsJsonAsync("/api/public/status", new { nik = "3314015504820003", nama = "Sri" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("10", limited.Headers.RetryAfter!.ToString()); // the client's budget returns a token every 10 s (6 a minute)
    }

    [Fact]
    public async Task A_page_over_its_rate_limit_says_how_many_minutes_to_wait()
    {
        await using var app = await CreateAsync("Sqlite", new Dictionary<string, string> { ["Tuntas:Public:TransparencyPerMinute"] = "1" });
        var citizen = app.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await citizen.GetAsync("/Publik/Transparansi")).StatusCode);
        var limited = await citizen.GetAsync("/Publik/Transparansi");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var minutes = (int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) + 59) / 60;
        var page = await ParseAsync(await limited.Content.ReadAsStringAsync());
        Assert.Contains($"Coba lagi dalam {minutes} menit", page.QuerySelector("main")?.TextContent, StringComparison.Ordinal);
    }
}

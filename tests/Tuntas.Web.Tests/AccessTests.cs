using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Access;
using Tuntas.Audit;
using Tuntas.Programs;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>Users managed in the back office, partners under data-sharing agreements, officers on their own programs.</summary>
public sealed class AccessTests
{
    private const string Password = "rahasia-uji-12345";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_administrator_adds_and_disables_users_in_the_back_office_and_a_disabled_session_ends_at_once(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Trobayan, new SeededMember("Warga Trobayan", 1, new DateOnly(1975, 1, 1), 1));
        var admin = await app.SignInAsAdministratorAsync();
        var officer = await app.SignInAsAgencyOfficerAsync();
        var refused = await officer.GetAsync("/Pengguna");
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden || refused.Headers.Location?.ToString().Contains("Ditolak", StringComparison.Ordinal) == true);

        // A village operator without a village is refused with a clear message; nothing is written.
        var missing = await PostFormAsync(admin, "/Pengguna", new() { ["Form.UserName"] = "desa.trobayan", ["Form.Role"] = Roles.VillageOperator, ["Form.RegionCode"] = "" });
        Assert.Contains("Operator desa harus terikat pada satu desa", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            Assert.False(await db.Users.AnyAsync(u => u.UserName == "desa.trobayan"));
        }

        var added = await ParseAsync(await (await PostFormAsync(admin, "/Pengguna", new()
        {
            ["Form.UserName"] = "desa.trobayan",
            ["Form.DisplayName"] = "Operator Trobayan",
            ["Form.Role"] = Roles.VillageOperator,
            ["Form.RegionCode"] = "3314012002",
        })).Content.ReadAsStringAsync());
        var password = added.QuerySelector("#sandi-baru code")?.TextContent ?? throw new InvalidOperationException("no password shown");
        var operatorTrobayan = await app.SignInAsync("desa.trobayan", password);
        Assert.Equal(HttpStatusCode.OK, (await operatorTrobayan.GetAsync($"/Keluarga/{family.Id}")).StatusCode);

        long id;
        await using (var db = app.Database.CreateDb())
        {
            id = await db.Users.Where(u => u.UserName == "desa.trobayan").Select(u => u.Id).SingleAsync();
        }
        var disabled = await PostFormAsync(admin, $"/Pengguna/{id}?handler=Simpan", new()
        {
            ["Form.DisplayName"] = "Operator Trobayan",
            ["Form.Role"] = Roles.VillageOperator,
            ["Form.RegionCode"] = Trobayan,
            ["Form.Active"] = "false",
        });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        // The open session ends on its next request, not when the cookie expires.
        var after = await operatorTrobayan.GetAsync($"/Keluarga/{family.Id}");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Masuk", after.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);

        await using var check = app.Database.CreateDb();
        var entries = await check.AuditLog.AsNoTracking().Where(e => e.Action == AuditActions.Change).ToListAsync();
        Assert.Contains(entries, e => (e.Detail ?? "").Contains("status: aktif → nonaktif", StringComparison.Ordinal));
        Assert.Contains(entries, e => (e.Detail ?? "").Contains("pengguna baru desa.trobayan", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => (e.Detail ?? "").Contains(password, StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_partner_sees_families_by_name_only_while_an_agreement_shares_them(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Trobayan, new SeededMember("Warga Dibagikan", 1, new DateOnly(1975, 1, 1), 1));
        await app.AddUserAsync("csr.peduli", Password, Roles.Partner, organization: "PT Peduli Sragen");
        var partner = await app.SignInAsync("csr.peduli", Password);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/Keluarga/{family.Id}")).StatusCode);
        // Aggregates of the whole regency are the partner's without any agreement.
        var dashboard = await partner.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/dashboard/33.14");
        Assert.Equal(1, dashboard.GetProperty("totals").GetProperty("keluarga").GetInt64());

        var admin = await app.SignInAsAdministratorAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var recorded = await PostFormAsync(admin, "/Pengguna/Perjanjian", new()
        {
            ["Form.Number"] = "PKS/CSR/2026/07",
            ["Form.Organization"] = "PT  Peduli Sragen",
            ["Form.Purpose"] = "verifikasi calon penerima bedah rumah CSR",
            ["Form.StartsOn"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Form.EndsOn"] = today.AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Form.Villages"] = Trobayan,
            ["Form.FamilyNumbers"] = "",
        });
        Assert.Contains("PKS/CSR/2026/07", await recorded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Warga Dibagikan", await partner.GetStringAsync($"/Keluarga/{family.Id}"), StringComparison.Ordinal);

        long agreementId;
        await using (var db = app.Database.CreateDb())
        {
            agreementId = await db.DataSharingAgreements.Where(a => a.Number == "PKS/CSR/2026/07").Select(a => a.Id).SingleAsync();
        }
        await PostFormAsync(admin, "/Pengguna/Perjanjian?handler=Cabut", new() { ["AgreementId"] = agreementId.ToString(CultureInfo.InvariantCulture), ["Reason"] = "program selesai" });
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/Keluarga/{family.Id}")).StatusCode);
        await using var check = app.Database.CreateDb();
        Assert.NotNull((await check.DataSharingAgreements.SingleAsync(a => a.Id == agreementId)).RevokedAt);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_agreement_is_refused_whole_for_bad_input(string provider)
    {
        await using var app = await CreateAsync(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var record = scope.ServiceProvider.GetRequiredService<RecordAgreement>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var outcome = await record.RunAsync(new RecordAgreement.Input("", "PT X", "pendek", today, today.AddYears(5),
            ["33.14.99.9999", "bukan-kode"], ["123", "3314010101010001"], "uji"), CancellationToken.None);
        Assert.False(outcome.Succeeded);
        var codes = outcome.Problems.Select(p => p.Code).ToHashSet();
        Assert.Superset(new HashSet<string> { "AGREEMENT_NUMBER", "AGREEMENT_PURPOSE", "AGREEMENT_TOO_LONG", "REGION_UNKNOWN", "VILLAGE_CODE_FORMAT", "NO_KK_FORMAT", "NO_KK_UNKNOWN" }, codes);
        // The malformed NO_KK is named by its line, never echoed.
        Assert.DoesNotContain(outcome.Problems, p => p.Message.Contains("123", StringComparison.Ordinal) && p.Code == "NO_KK_FORMAT");
        await using var db = app.Database.CreateDb();
        Assert.False(await db.DataSharingAgreements.AnyAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_agency_officer_changes_only_its_own_opds_programs(string provider)
    {
        await using var app = await CreateAsync(provider);
        await new SeedPrograms(app.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var officer = await app.SignInAsAgencyOfficerAsync();
        var own = await officer.PutAsJsonAsync("/api/programs/UEP/budgets/2026", new { amount = "Rp 1,5 M" });
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var other = await officer.PutAsJsonAsync("/api/programs/PKH/budgets/2026", new { amount = "Rp 1,5 M" });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var page = await ParseAsync(await officer.GetStringAsync("/Program/PKH"));
        Assert.Null(page.QuerySelector("#form-anggaran"));
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>
/// KK numbers are picked, not typed: the family picker's search (the forgiving registry search, within the user's scope,
/// KK numbers masked, audited as a read of personal data) sends family ids, and the need and agreement forms read the
/// numbers back on the server within the same scope — a family outside it is refused, and the typed field still works.
/// </summary>
public sealed class FamilyPickerTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_picked_family_fills_a_need_and_an_agreement_and_one_outside_the_scope_is_refused(string provider)
    {
        await using var app = await CreateAsync(provider);
        var keden = await app.SeedFamilyAsync(Keden, new SeededMember("Sri Lestari", 2, new DateOnly(1980, 2, 3), 1));
        var trobayan = await app.SeedFamilyAsync(Trobayan, new SeededMember("Sri Lestari Wahyuni", 2, new DateOnly(1979, 5, 6), 1));
        var operatorKeden = await app.SignInAsVillageOperatorAsync();

        // The picker's search: the operator's own village only, KK numbers masked, recorded as a read.
        var search = await operatorKeden.PostAsJsonAsync("/api/families/search", new { query = "sri lestari", region = Keden, limit = 10 });
        var body = await search.Content.ReadAsStringAsync();
        var hits = JsonDocument.Parse(body).RootElement;
        Assert.Equal([keden.Id], hits.EnumerateArray().Select(h => h.GetProperty("id").GetInt64()));
        Assert.DoesNotContain(keden.NoKk, body, StringComparison.Ordinal);
        Assert.Contains("••", hits[0].GetProperty("noKk").GetString(), StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            Assert.True(await db.AuditLog.AnyAsync(e => e.Actor == OperatorUser && e.Action == AuditActions.ViewPersonalData && e.Detail!.Contains("/api/families/search")));
        }

        // The need form carries the picked id; a family of another village is refused as unknown, nothing recorded.
        var form = new Dictionary<string, string>
        {
            ["Form.KodeDesa"] = Keden,
            ["Form.Kind"] = "rtlh",
            ["Form.Title"] = "Bedah rumah Ibu Sri",
            ["Form.Cost"] = "Rp 15 jt",
            ["Form.Source"] = "musdes",
        };
        var refused = await PostFormAsync(operatorKeden, "/Kolaborasi/Kebutuhan", new(form) { ["Form.FamilyId"] = trobayan.Id.ToString(CultureInfo.InvariantCulture) });
        Assert.Contains("tidak ada di wilayah Anda", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var recorded = await PostFormAsync(operatorKeden, "/Kolaborasi/Kebutuhan", new(form) { ["Form.FamilyId"] = keden.Id.ToString(CultureInfo.InvariantCulture) });
        Assert.Contains("kebutuhan-baru", await recorded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal([keden.Id], await db.Needs.Select(n => n.FamilyId).ToListAsync());
        }

        // The agreement form: a picked family and a typed number together.
        var admin = await app.SignInAsAdministratorAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var agreement = await PostFormAsync(admin, "/Pengguna/Perjanjian", new()
        {
            ["Form.Number"] = "PKS/PILIH/2026/01",
            ["Form.Organization"] = "PT Peduli Sragen",
            ["Form.Purpose"] = "bedah rumah",
            ["Form.StartsOn"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Form.EndsOn"] = today.AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Form.FamilyIds"] = trobayan.Id.ToString(CultureInfo.InvariantCulture),
            ["Form.FamilyNumbers"] = keden.NoKk,
        });
        var page = await agreement.Content.ReadAsStringAsync();
        Assert.Contains("PKS/PILIH/2026/01", page, StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            var id = await db.DataSharingAgreements.Where(a => a.Number == "PKS/PILIH/2026/01").Select(a => a.Id).SingleAsync();
            Assert.Equal([keden.Id, trobayan.Id], (await db.DataSharingItems.Where(i => i.AgreementId == id && i.FamilyId != null).Select(i => i.FamilyId!.Value).ToListAsync()).Order());
        }
        // An id that is no family at all is refused with the form kept.
        var unknown = await PostFormAsync(admin, "/Pengguna/Perjanjian", new()
        {
            ["Form.Number"] = "PKS/PILIH/2026/02",
            ["Form.Organization"] = "PT Peduli Sragen",
            ["Form.StartsOn"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Form.EndsOn"] = today.AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Form.FamilyIds"] = "999999",
        });
        Assert.Contains("tidak ada di wilayah Anda", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Linkage;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

public sealed class DuplicatesTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_duplicate_queue_is_for_regency_data_roles_and_its_decisions_merges_and_undo_work_through_the_api(string provider)
    {
        await using var app = await CreateAsync(provider);
        var first = await app.SeedFamilyAsync("33.14.01.2001", new SeededMember("Siti Aminah", 2, new DateOnly(1983, 4, 17), 1));
        var second = await app.SeedFamilyAsync("33.14.01.2001", new SeededMember("Sitti Aminah", 2, new DateOnly(1983, 4, 17), 1));
        var third = await app.SeedFamilyAsync("33.14.01.2001", new SeededMember("Hasan Basri", 1, new DateOnly(1990, 1, 1), 1));
        var (a, b, c) = (first.Persons[0].Id, second.Persons[0].Id, third.Persons[0].Id);

        var admin = await app.SignInAsAdministratorAsync();
        var page = await admin.GetAsync("/Duplikat");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Dugaan duplikat", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/duplicates")).StatusCode);

        var operatorClient = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync("/api/duplicates")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await operatorClient.GetAsync("/Duplikat")).StatusCode);

        var different = await admin.PostAsync("/api/duplicates/decisions", JsonContent.Create(new { personIdA = a, personIdB = c, decision = "berbeda" }));
        Assert.Equal(HttpStatusCode.OK, different.StatusCode);
        var merged = await admin.PostAsync("/api/duplicates/decisions", JsonContent.Create(new { personIdA = a, personIdB = b, decision = "sama", keepPersonId = a }));
        Assert.Equal(HttpStatusCode.BadRequest, merged.StatusCode); // two heads of family in different families: asked, not guessed
        Assert.Contains("MERGE_KONFLIK", await merged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        merged = await admin.PostAsync("/api/duplicates/decisions", JsonContent.Create(new { personIdA = a, personIdB = b, decision = "sama", keepPersonId = a, confirmConflicts = true }));
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var mergeId = (await merged.Content.ReadFromJsonAsync<DecisionBody>())!.MergeId;

        var undone = await admin.PostAsync($"/api/duplicates/merges/{mergeId}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undone.StatusCode);

        await using var check = app.Database.CreateDb();
        Assert.True(await check.Persons.AnyAsync(p => p.Id == b));
        Assert.Equal(DuplicateDecision.Different, (await check.DuplicateDecisions.SingleAsync()).Decision);
        Assert.True(await check.AuditLog.AnyAsync(e => e.Action == Audit.AuditActions.ViewDuplicates));
    }

    /// <summary>A minimum score outside 0–1, NaN and infinities included, is refused rather than quietly replaced by 0.9,
    /// with the message that says how to write it. A decimal comma reads as a thousands separator to the framework's
    /// invariant parsing (0,95 is 95, 0,000 is 0), so any comma is refused by the same message.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_duplicate_queue_refuses_a_minimum_score_outside_0_to_1_under_minScore(string provider)
    {
        await using var app = await CreateAsync(provider);
        var admin = await app.SignInAsAdministratorAsync();

        foreach (var bad in new[] { "8", "-5", "NaN", "Infinity", "-Infinity", "1.0001", "0,95", "0,000", "0,5" })
        {
            var refused = await admin.GetAsync($"/api/duplicates?minScore={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors");
            var error = Assert.Single(errors.EnumerateObject());
            Assert.Equal("minScore", error.Name);
            Assert.Equal("minScore harus angka dari 0 sampai 1 dengan titik desimal, mis. 0.95 / minScore must be a number from 0 to 1 with a decimal point, e.g. 0.95",
                Assert.Single(error.Value.EnumerateArray()).GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/duplicates?minScore=0.95&limit=999999")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_household_registered_under_two_kks_is_listed_as_a_family_pair_with_no_kk_masked_unless_revealed(string provider)
    {
        await using var app = await CreateAsync(provider);
        string[] men = ["Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Joko", "Rudi", "Slamet", "Yanto"];
        string[] women = ["Ani", "Dewi", "Fitri", "Lestari", "Nur", "Rina", "Sri", "Tuti", "Wati", "Yuni"];
        string[] last = ["Santoso", "Rahayu", "Wibowo", "Utami", "Hidayat", "Purnomo", "Saputra", "Kusuma", "Setiawan", "Nugroho"];
        var rng = new Random(3);
        var families = new List<Tuntas.Registry.Family>();
        for (var f = 0; f < 30; f++)
        {
            var head = new DateOnly(1950, 1, 1).AddDays(rng.Next(365 * 40));
            families.Add(await app.SeedFamilyAsync(f % 2 == 0 ? "33.14.01.2001" : "33.14.01.2002",
                new SeededMember($"{men[rng.Next(10)]} {last[rng.Next(10)]}", 1, head, 1),
                new SeededMember($"{women[rng.Next(10)]} {last[rng.Next(10)]}", 2, head.AddDays(rng.Next(2000)), 3),
                new SeededMember($"{men[rng.Next(10)]} {last[rng.Next(10)]}", 1, head.AddYears(22 + rng.Next(5)).AddDays(rng.Next(300)), 4)));
        }
        // The wife and the son of family 4 again in a KK of their own, in the same desa: the same names and birth dates,
        // each NIK typed with one digit of the birth year wrong.
        var (wife, son) = (families[4].Persons[1], families[4].Persons[2]);
        var again = await app.SeedFamilyAsync(families[4].KodeDesa, new SeededMember(wife.Nama, 2, wife.TanggalLahir, 1), new SeededMember(son.Nama, 1, son.TanggalLahir, 4));
        await using (var db = app.Database.CreateDb())
        {
            static string Typo(string nik) => string.Concat(nik.AsSpan(0, 11), ((nik[11] - '0' + 3) % 10).ToString(CultureInfo.InvariantCulture), nik.AsSpan(12));
            foreach (var (copy, original) in new[] { (again.Persons[0], wife), (again.Persons[1], son) })
            {
                var row = await db.Persons.SingleAsync(p => p.Id == copy.Id);
                row.Nik = Typo(original.Nik);
            }
            await db.SaveChangesAsync();
        }

        var admin = await app.SignInAsAdministratorAsync();
        var masked = await admin.GetFromJsonAsync<FamiliesBody>("/api/duplicates");
        var pair = masked!.Families.First();
        Assert.Equal(2, pair.SharedMembers);
        Assert.Equal(new[] { families[4].Id, again.Id }.Order(), new[] { pair.FamilyIdA, pair.FamilyIdB }.Order());
        Assert.Equal(Tuntas.Registry.NoKk.Mask(families[4].NoKk), pair.FamilyIdA == families[4].Id ? pair.NoKkA : pair.NoKkB);
        Assert.Equal(2, pair.Members.Count);

        var revealed = await admin.GetFromJsonAsync<FamiliesBody>("/api/duplicates?full=true");
        var whole = revealed!.Families.First();
        Assert.Equal(new[] { families[4].NoKk, again.NoKk }.Order(), new[] { whole.NoKkA, whole.NoKkB }.Order());
    }

    private sealed record FamilyBody(long FamilyIdA, long FamilyIdB, string NoKkA, string NoKkB, int SharedMembers, double Score, IReadOnlyList<long[]> Members);

    private sealed record FamiliesBody(IReadOnlyList<FamilyBody> Families);

    private sealed record DecisionBody(string Decision, long? MergeId);
}

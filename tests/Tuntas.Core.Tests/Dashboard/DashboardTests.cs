using Microsoft.EntityFrameworkCore;
using Tuntas.Dashboard;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Dashboard;

public sealed class DashboardTests
{
    private static readonly DateOnly _asOf = new(2026, 11, 23);

    private static async Task<(TestDatabase Test, TargetingRun Run)> SeededAsync(string provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 400, Seed: 7), null, CancellationToken.None);
        var run = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new("uji", _asOf), CancellationToken.None);
        return (test, run);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_pre_aggregate_equals_direct_counts_of_registry_run_and_enrollments(string provider)
    {
        var (test, run) = await SeededAsync(provider);
        await using var _ = test;
        var refresh = new RefreshVillageIndicators(test.Database, TimeProvider.System);
        Assert.True((await refresh.RunAsync(force: false, CancellationToken.None)).Refreshed);
        Assert.False((await refresh.RunAsync(force: false, CancellationToken.None)).Refreshed);

        var dashboard = (await new ReadDashboard(test.Database, refresh).RunAsync(new("33.14"), CancellationToken.None))!;
        Assert.Equal(run.Id, dashboard.RunId);
        var villages = dashboard.Villages.ToDictionary(v => v.Code);

        await using var db = test.Database.CreateDb();
        var families = await db.Families.GroupBy(f => f.KodeDesa).Select(g => new { g.Key, N = g.Count() }).ToListAsync();
        Assert.Equal(families.Sum(f => f.N), dashboard.Totals[Measures.Families]);
        Assert.All(families, f => Assert.Equal(f.N, villages[f.Key][Measures.Families]));
        var persons = await db.Persons.Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => f.KodeDesa).GroupBy(k => k).Select(g => new { g.Key, N = g.Count() }).ToListAsync();
        Assert.All(persons, p => Assert.Equal(p.N, villages[p.Key][Measures.Persons]));
        Assert.Equal(persons.Sum(p => p.N), dashboard.Totals[Measures.Persons]);

        // Run measures: the run's per-family results, counted directly.
        var results = await ReadResultsAsync(test, run.Id);
        foreach (var village in results.GroupBy(r => r.Village))
        {
            var row = villages[village.Key];
            Assert.Equal(village.Count(r => r.Miskin == 1), row[Measures.PoorBps]);
            for (var d = 1; d <= 10; d++)
            {
                Assert.Equal(village.Count(r => r.Desil == d), row[Measures.Desil(d)]);
            }
            Assert.Equal(village.Count(r => r.Desil is >= 1 and <= 4), row[Measures.Desil1To4]);
        }
        Assert.True(dashboard.Totals[Measures.PoorBps] > 0);

        // Enrollments: open ones, per family.
        var open = await db.Enrollments.Where(e => e.Status != "keluar")
            .Join(db.Families, e => e.FamilyId, f => f.Id, (e, f) => new { e.FamilyId, e.ProgramId, f.KodeDesa })
            .Join(db.Programs, x => x.ProgramId, p => p.Id, (x, p) => new { x.FamilyId, x.KodeDesa, p.Code })
            .ToListAsync();
        Assert.NotEmpty(open);
        foreach (var cell in open.GroupBy(o => (o.KodeDesa, o.Code)))
        {
            Assert.Equal(cell.Select(o => o.FamilyId).Distinct().Count(), villages[cell.Key.KodeDesa][Measures.RecipientsPrefix + cell.Key.Code]);
        }
        Assert.Equal(open.Select(o => o.FamilyId).Distinct().Count(), dashboard.Totals[Measures.AnyAssistance]);

        // Targeting errors: the same numbers as the programs module's report.
        var errors = await new TargetingErrorReport(test.Database).RunAsync(new(run.Id), CancellationToken.None);
        foreach (var cell in errors.Villages)
        {
            Assert.Equal(cell.RecipientsNotEligible, villages[cell.KodeDesa!][Measures.InclusionPrefix + cell.Program]);
            Assert.Equal(cell.EligibleNotReceiving, villages[cell.KodeDesa!][Measures.ExclusionPrefix + cell.Program]);
        }
        Assert.Equal(errors.Regency.Sum(c => c.RecipientsNotEligible), dashboard.Totals[Measures.Inclusion]);
        Assert.Equal(errors.Regency.Sum(c => c.EligibleNotReceiving), dashboard.Totals[Measures.Exclusion]);
        Assert.Equal(errors.Desil1ReceivingNothing, dashboard.Totals[Measures.PoorestWithoutAssistance]);

        // The kecamatan rows add up to the regency, and a kecamatan's dashboard lists its villages.
        Assert.Equal(dashboard.Totals[Measures.Families], dashboard.Children.Sum(c => c[Measures.Families]));
        var district = dashboard.Children.First(c => c[Measures.Families] > 0);
        var kecamatan = (await new ReadDashboard(test.Database, refresh).RunAsync(new(district.Code), CancellationToken.None))!;
        Assert.Equal(district[Measures.Families], kecamatan.Totals[Measures.Families]);
        Assert.All(kecamatan.Children, v => Assert.StartsWith(district.Code + ".", v.Code, StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_change_to_the_data_refreshes_once_and_a_scope_restricts_every_number(string provider)
    {
        var (test, _) = await SeededAsync(provider);
        await using var _t = test;
        var refresh = new RefreshVillageIndicators(test.Database, TimeProvider.System);
        var read = new ReadDashboard(test.Database, refresh);
        var before = (await read.RunAsync(new("33.14"), CancellationToken.None))!;
        Assert.False((await refresh.RunAsync(force: false, CancellationToken.None)).Refreshed);

        // Ending an enrollment (with its event, as ChangeEnrollment writes) changes the marker.
        await using (var db = test.Database.CreateDb())
        {
            var enrollment = await db.Enrollments.Where(e => e.Status != "keluar").OrderBy(e => e.Id).FirstAsync();
            enrollment.Status = "keluar";
            db.EnrollmentEvents.Add(new EnrollmentEvent { EnrollmentId = enrollment.Id, Status = "keluar", EffectiveOn = _asOf, RecordedBy = "uji", RecordedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        Assert.True((await refresh.RunAsync(force: false, CancellationToken.None)).Refreshed);

        var village = before.Villages.First(v => v[Measures.Families] > 0);
        var scoped = (await read.RunAsync(new("33.14", Access.AccessScope.Within(village.Code)), CancellationToken.None))!;
        Assert.Equal(village[Measures.Families], scoped.Totals[Measures.Families]);
        Assert.Equal(village.Code, Assert.Single(scoped.Villages).Code);
        Assert.Single(scoped.Children);
        Assert.Null(await read.RunAsync(new(before.Villages.First(v => v.Code != village.Code && !v.Code.StartsWith(village.Code[..8], StringComparison.Ordinal)).Code, Access.AccessScope.Within(village.Code)), CancellationToken.None));

        // A facilitator's two villages: the totals are theirs, and only their kecamatan appear.
        var two = before.Villages.Where(v => v[Measures.Families] > 0).Take(2).ToList();
        var pair = (await read.RunAsync(new("33.14", new Access.AccessScope([two[0].Code, two[1].Code], [], [two[0].Code, two[1].Code])), CancellationToken.None))!;
        Assert.Equal(two.Sum(v => v[Measures.Families]), pair.Totals[Measures.Families]);
        Assert.Equal(2, pair.Villages.Count);
    }

    private sealed record Result(string Village, int? Miskin, int? Desil);

    private static async Task<List<Result>> ReadResultsAsync(TestDatabase test, long runId)
    {
        var list = new List<Result>();
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kode_desa, miskin_bps, desil FROM targeting_results WHERE run_id = " + runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(new Result(reader.GetString(0), reader.IsDBNull(1) ? null : Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(2) ? null : Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
        }
        return list;
    }
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Collaboration;
using Tuntas.Collaboration.VillageLabs;
using Tuntas.Dashboard;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Collaboration;

/// <summary>Village status from the regency's thresholds, its history, and a graduation when a village leaves merah.</summary>
public sealed class VillageLabTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Statuses_follow_the_thresholds_and_leaving_merah_is_recorded_as_a_graduation(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 400, Seed: 7), null, CancellationToken.None);
        await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);
        await using var db = test.Database.CreateDb();
        var lab = new VillageLab(db, new ReadDashboard(test.Database, new RefreshVillageIndicators(test.Database, TimeProvider.System)), TimeProvider.System);

        Assert.NotNull(await lab.SetThresholdsAsync(Measures.Desil1To4, 10, 20, 5, "uji", CancellationToken.None)); // not decreasing
        Assert.Null(await lab.SetThresholdsAsync(Measures.Desil1To4, 30, 20, 10, "uji", CancellationToken.None));
        var first = await lab.RefreshAsync("33.14", CancellationToken.None);
        Assert.NotEmpty(first);
        // The merah village closest to the bar: raising the bar just above it makes it leave merah.
        var poorest = first.Where(v => v.Status == VillageLab.Merah && v.Share < 99).MinBy(v => v.Share)!;
        Assert.All(first, v => Assert.Equal(VillageLab.Classify(v.Share, new VillageStatusThresholds { Indicator = "desil_1_4", Merah = 30, Kuning = 20, Hijau = 10, UpdatedBy = "" }), v.Status));
        var recorded = await db.VillageStatusHistory.CountAsync();
        Assert.Equal(first.Count, recorded);
        Assert.Equal(recorded, (await lab.RefreshAsync("33.14", CancellationToken.None)).Count); // nothing new: no new rows
        Assert.Equal(recorded, await db.VillageStatusHistory.CountAsync());

        // The regency raises the bar for merah above the poorest village's share: it graduates.
        Assert.Null(await lab.SetThresholdsAsync(Measures.Desil1To4, poorest.Share + 0.5, 20, 10, "uji", CancellationToken.None));
        var after = await lab.RefreshAsync("33.14", CancellationToken.None);
        Assert.Equal(VillageLab.Kuning, after.Single(v => v.KodeDesa == poorest.KodeDesa).Status);
        Assert.True(after.Single(v => v.KodeDesa == poorest.KodeDesa).EverGraduated);
        var change = await db.VillageStatusHistory.Where(h => h.KodeDesa == poorest.KodeDesa).OrderBy(h => h.Id).LastAsync();
        Assert.Equal((VillageLab.Merah, VillageLab.Kuning, true), (change.PreviousStatus, change.Status, change.Graduated));

        var (target, problem) = await lab.SetTargetAsync(poorest.KodeDesa, 120, 80, DateTime.UtcNow.Year + 1, "RPKD", "uji", CancellationToken.None);
        Assert.Null(problem);
        Assert.NotNull(target);
        Assert.NotNull((await lab.SetTargetAsync(poorest.KodeDesa, 80, 120, DateTime.UtcNow.Year + 1, null, "uji", CancellationToken.None)).Problem);
    }

    /// <summary>Page views refresh at the same moment (the public transparency page): each change is recorded once.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Simultaneous_refreshes_record_each_change_once(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 300, Seed: 3), null, CancellationToken.None);
        var contexts = Enumerable.Range(0, 6).Select(_ => test.Database.CreateDb()).ToList();
        try
        {
            var labs = contexts.Select(db => new VillageLab(db, new ReadDashboard(test.Database, new RefreshVillageIndicators(test.Database, TimeProvider.System)),
                TimeProvider.System)).ToList();
            var views = await Task.WhenAll(labs.Select(lab => lab.RefreshAsync("33.14", CancellationToken.None)));
            await using var db = test.Database.CreateDb();
            var villages = views[0].Count;
            Assert.True(villages > 0);
            Assert.Equal(villages, await db.VillageStatusHistory.CountAsync());
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Ranking;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Collaboration;

/// <summary>The community's welfare ranking against the PMT deciles — the disagreements listed for the village meeting.</summary>
public sealed class CommunityRankingTests
{
    [Fact]
    public void Spearman_is_1_for_the_same_order_minus_1_for_the_reverse_and_handles_ties()
    {
        Assert.Equal(1.0, CommunityRanking.Spearman([(1, 10), (2, 20), (3, 30), (4, 40), (5, 50)]));
        Assert.Equal(-1.0, CommunityRanking.Spearman([(1, 50), (2, 40), (3, 30), (4, 20), (5, 10)]));
        Assert.InRange(CommunityRanking.Spearman([(1, 1), (1, 2), (2, 3), (2, 4), (3, 5), (4, 6)])!.Value, 0.9, 1.0);
        Assert.Null(CommunityRanking.Spearman([(1, 1), (2, 2)]));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Families_the_community_and_the_model_rank_apart_are_listed_and_bad_lines_write_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 3000, Seed: 7), null, CancellationToken.None);
        var run = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);
        await using var db = test.Database.CreateDb();
        var all = await db.Families.Select(f => new { f.Id, f.NoKk, f.KodeDesa }).ToListAsync();
        var desil = new Dictionary<long, int>();
        await using (var connection = await test.Database.OpenConnectionAsync(CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT family_id, desil FROM targeting_results WHERE run_id = {run.Id} AND desil IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                desil[reader.GetInt64(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        // A village with families on both ends of the model's ranking.
        var village = all.Where(f => desil.ContainsKey(f.Id)).GroupBy(f => f.KodeDesa)
            .Where(g => g.Count() >= 8 && g.Any(f => desil[f.Id] >= 6) && g.Any(f => desil[f.Id] <= 2)).OrderByDescending(g => g.Count()).First().Key;
        // The community agrees with the model except on one rich-by-model family it calls very poor, and the reverse.
        var inVillage = all.Where(f => f.KodeDesa == village && desil.ContainsKey(f.Id)).ToList();
        var richByModel = inVillage.First(f => desil[f.Id] >= 6);
        var poorByModel = inVillage.First(f => desil[f.Id] <= 2);
        int Agree(int d) => d <= 2 ? 1 : d <= 4 ? 2 : d <= 7 ? 3 : 4;
        var lines = inVillage.Select(f => $"{f.NoKk};{(f == richByModel ? 1 : f == poorByModel ? 4 : Agree(desil[f.Id]))}");
        var ranking = new CommunityRanking(db, test.Database, TimeProvider.System);

        var bad = await ranking.RecordAsync(village, "musdes 2026-11", "123;1\n" + string.Join('\n', lines) + "\n" + inVillage[0].NoKk + ";2", "uji", CancellationToken.None);
        Assert.Equal(["LINE_FORMAT", "LINE_DUPLICATE"], bad.Problems.Select(p => p.Code));
        Assert.DoesNotContain(bad.Problems, p => p.Message.Contains(inVillage[0].NoKk, StringComparison.Ordinal));
        Assert.False(await db.CommunityRankings.AnyAsync());

        var (recorded, problems) = await ranking.RecordAsync(village, "musdes 2026-11", string.Join('\n', lines), "uji", CancellationToken.None);
        Assert.Empty(problems);
        Assert.Equal(inVillage.Count, recorded);
        var comparison = await ranking.CompareAsync(village, CancellationToken.None);
        Assert.Equal(richByModel.Id, Assert.Single(comparison.CommunityPoorModelRich).FamilyId);
        Assert.Equal(poorByModel.Id, Assert.Single(comparison.CommunityRichModelPoor).FamilyId);
        Assert.True(comparison.Spearman > 0.5, $"mostly agreeing orders correlate: {comparison.Spearman}");
    }
}

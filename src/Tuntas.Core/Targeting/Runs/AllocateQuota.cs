namespace Tuntas.Targeting.Runs;

/// <summary>
/// Spreads a program's regency quota over villages and ranks each village's eligible families.
/// <c>proporsional</c>: each village gets quota × its share of the eligible families, rounded by the largest-remainder
/// method (ties to the lower village code), never more than it has eligible. <c>peringkat</c>: the poorest eligible
/// families of the whole regency, wherever they live. Families rank by desil, then predicted consumption (lower first),
/// then index score (higher first), then NO_KK — fully deterministic.
/// </summary>
public sealed class AllocateQuota(Tuntas.Data.TuntasDatabase database)
{
    public const string Proportional = "proporsional";
    public const string ByRank = "peringkat";

    public sealed record Input(long RunId, string Program, int Quota, string Method = Proportional);

    public sealed record VillageQuota(string KodeDesa, int Eligible, int Allocated);

    public sealed record RankedFamily(string KodeDesa, int RankInVillage, long FamilyId, string NoKk, int? Desil, double? SkorPmt, double? SkorIndeks, bool Selected);

    public sealed record Outcome(string Program, int Quota, string Method, int Eligible, int Allocated, IReadOnlyList<VillageQuota> Villages, IReadOnlyList<RankedFamily> Families);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        if (input.Quota <= 0)
        {
            throw new TargetingException([TargetingMessages.Issue("kuota", "QUOTA")]);
        }
        if (input.Method is not (Proportional or ByRank))
        {
            throw new TargetingException([TargetingMessages.Issue("metode", "UNKNOWN_OPERATOR", input.Method, $"{Proportional} {ByRank}")]);
        }
        var program = Rules.ProgramCodes.Normalize(input.Program);
        // The run and the program are checked before any result row is read.
        await using (var db = database.CreateDb())
        {
            var run = await FindRun.ByReferenceAsync(db, input.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            var inputs = System.Text.Json.JsonSerializer.Deserialize<RunInputs>(run.Inputs, RunTargeting.Json)!;
            if (inputs.Rules.All(r => r.Program != program))
            {
                throw new TargetingException([TargetingMessages.Issue("program", "PROGRAM_NOT_IN_RUN", program)]);
            }
        }
        var eligible = new List<RunResults.Row>();
        await foreach (var row in RunResults.ReadAsync(database, input.RunId, cancellationToken))
        {
            if (row.ProgramEligible.Split('|', StringSplitOptions.RemoveEmptyEntries).Contains(program, StringComparer.Ordinal))
            {
                eligible.Add(row);
            }
        }
        var ranked = eligible
            .OrderBy(r => r.Desil ?? 11).ThenBy(r => r.SkorPmt ?? double.MaxValue).ThenByDescending(r => r.SkorIndeks ?? double.MinValue)
            .ThenBy(r => r.NoKk, StringComparer.Ordinal).ToList();
        var byVillage = ranked.GroupBy(r => r.KodeDesa).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var quota = Math.Min(input.Quota, ranked.Count);
        var allocation = new Dictionary<string, int>(StringComparer.Ordinal);
        if (input.Method == Proportional)
        {
            var shares = byVillage.Select(g => (g.Key, Count: g.Count(), Exact: (double)quota * g.Count() / Math.Max(1, ranked.Count))).ToList();
            foreach (var (village, _, exact) in shares) allocation[village] = (int)Math.Floor(exact);
            var left = quota - allocation.Values.Sum();
            foreach (var (village, _, _) in shares.OrderByDescending(s => s.Exact - Math.Floor(s.Exact)).ThenBy(s => s.Key, StringComparer.Ordinal))
            {
                if (left == 0) break;
                if (allocation[village] < byVillage.First(g => g.Key == village).Count())
                {
                    allocation[village]++;
                    left--;
                }
            }
        }
        else
        {
            foreach (var g in byVillage) allocation[g.Key] = 0;
            foreach (var row in ranked.Take(quota)) allocation[row.KodeDesa]++;
        }
        var families = new List<RankedFamily>(ranked.Count);
        var selectedByRank = input.Method == ByRank ? ranked.Take(quota).Select(r => r.FamilyId).ToHashSet() : null;
        foreach (var g in byVillage)
        {
            var rank = 0;
            foreach (var r in g)
            {
                rank++;
                var selected = selectedByRank?.Contains(r.FamilyId) ?? rank <= allocation[g.Key];
                families.Add(new RankedFamily(g.Key, rank, r.FamilyId, r.NoKk, r.Desil, r.SkorPmt, r.SkorIndeks, selected));
            }
        }
        return new Outcome(program, input.Quota, input.Method, ranked.Count, allocation.Values.Sum(),
            [.. byVillage.Select(g => new VillageQuota(g.Key, g.Count(), allocation[g.Key]))], families);
    }
}

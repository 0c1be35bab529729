namespace Tuntas.Targeting.Runs;

/// <summary>
/// Spreads a program's regency quota over villages and ranks each village's eligible families.
/// <c>proporsional</c>: each village gets quota × its share of the eligible families, rounded by the largest-remainder
/// method (ties to the lower village code), never more than it has eligible. <c>peringkat</c>: the poorest eligible
/// families of the whole regency, wherever they live. Families rank by desil, then predicted consumption (lower first),
/// then index score (higher first), then NO_KK — fully deterministic. When the quota ends inside a group of families the
/// models rank equal (a registry from OpenSID files has few distinct values), NO_KK order would hand the group's seats to
/// the lowest kecamatan codes; instead the seats left are spread over the villages in proportion to their families of
/// the group (largest remainder, as <c>proporsional</c>), and the outcome says so (<see cref="Outcome.TiedAtCut"/>):
/// within a village, who of them is helped is the musdes's to settle, the list giving them in NO_KK order.
/// </summary>
public sealed class AllocateQuota(Tuntas.Data.TuntasDatabase database)
{
    public const string Proportional = "proporsional";
    public const string ByRank = "peringkat";

    public sealed record Input(long RunId, string Program, int Quota, string Method = Proportional);

    public sealed record VillageQuota(string KodeDesa, int Eligible, int Allocated);

    public sealed record RankedFamily(string KodeDesa, int RankInVillage, long FamilyId, string NoKk, int? Desil, double? SkorPmt, double? SkorIndeks, bool Selected);

    /// <summary>Families ranked equal where the quota ends, and the seats that were left for them.</summary>
    public sealed record Tie(int Families, int Seats);

    public sealed record Outcome(string Program, int Quota, string Method, int Eligible, int Allocated, IReadOnlyList<VillageQuota> Villages, IReadOnlyList<RankedFamily> Families,
        Tie? TiedAtCut = null);

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
        Dictionary<string, int> allocation;
        HashSet<long>? selectedByRank = null;
        Tie? tie = null;
        if (input.Method == Proportional)
        {
            allocation = LargestRemainder(byVillage.Select(g => (g.Key, g.Count())), quota);
        }
        else
        {
            allocation = byVillage.ToDictionary(g => g.Key, _ => 0, StringComparer.Ordinal);
            // The group of equal rank the quota ends in: [start, end) around the last seat.
            var start = quota;
            var end = quota;
            if (quota > 0 && quota < ranked.Count && SameRank(ranked[quota - 1], ranked[quota]))
            {
                for (start = quota - 1; start > 0 && SameRank(ranked[start - 1], ranked[quota - 1]); start--) { }
                for (end = quota; end < ranked.Count && SameRank(ranked[end], ranked[quota - 1]); end++) { }
                tie = new Tie(end - start, quota - start);
            }
            var chosen = ranked.Take(start).ToList();
            if (tie is not null)
            {
                var group = ranked.Skip(start).Take(end - start).ToList();
                var seats = LargestRemainder(group.GroupBy(r => r.KodeDesa).Select(g => (g.Key, g.Count())), tie.Seats);
                chosen.AddRange(group.GroupBy(r => r.KodeDesa).SelectMany(g => g.Take(seats[g.Key])));
            }
            foreach (var row in chosen) allocation[row.KodeDesa]++;
            selectedByRank = [.. chosen.Select(r => r.FamilyId)];
        }
        var families = new List<RankedFamily>(ranked.Count);
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
            [.. byVillage.Select(g => new VillageQuota(g.Key, g.Count(), allocation[g.Key]))], families, tie);
    }

    private static bool SameRank(RunResults.Row a, RunResults.Row b) =>
        a.Desil == b.Desil && Nullable.Equals(a.SkorPmt, b.SkorPmt) && Nullable.Equals(a.SkorIndeks, b.SkorIndeks);

    /// <summary>Seats spread over villages in proportion to their families: each its whole share, then one more to the
    /// largest remainders (ties to the lower village code), never more than a village has.</summary>
    private static Dictionary<string, int> LargestRemainder(IEnumerable<(string Village, int Families)> villages, int seats)
    {
        var shares = villages.OrderBy(v => v.Village, StringComparer.Ordinal).ToList();
        var total = Math.Max(1, shares.Sum(v => v.Families));
        var allocation = shares.ToDictionary(v => v.Village, v => (int)Math.Floor((double)seats * v.Families / total), StringComparer.Ordinal);
        var left = seats - allocation.Values.Sum();
        foreach (var (village, count) in shares.OrderByDescending(v => (double)seats * v.Families / total - Math.Floor((double)seats * v.Families / total))
            .ThenBy(v => v.Village, StringComparer.Ordinal))
        {
            if (left == 0) break;
            if (allocation[village] < count)
            {
                allocation[village]++;
                left--;
            }
        }
        return allocation;
    }
}

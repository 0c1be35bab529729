namespace Tuntas.P2kp.Performance;

/// <summary>
/// Graduation of the KSM members' families (docs/p2kp.md, "Graduation"): for each family of a KSM member linked to the
/// registry, its desil at joining — from the targeting run current at the join date (the latest run whose reference date
/// is on or before the member's join date, else the KSM's formation date) — and now (the latest run), and how many of the
/// families in desil 1–4 at joining have left it (now desil 5–10). Per UPK, per KSM of one UPK, and in total; a family
/// in two groups counts once per UPK and once in the total, with its earliest join date. Counts only, no names: UPKs
/// outside the caller's aggregate scope are not listed, and one named outside it is refused as not found.
/// </summary>
public sealed class Graduation(TuntasDb db, TuntasDatabase database)
{
    public const int PoorestDeciles = 4;

    public sealed record Input(string? UpkKode, AccessScope Scope);

    /// <param name="AtJoin">Families by desil at joining: index 0 = no desil (no run by then, or the family not ranked), 1–10.</param>
    /// <param name="Now">Families by desil in the latest run, same indexing.</param>
    /// <param name="Left">In desil 1–4 at joining, desil 5–10 now.</param>
    /// <param name="Entered">Desil 5–10 at joining, desil 1–4 now.</param>
    /// <param name="LeftPercent">Left ÷ those in desil 1–4 at joining who have a desil now, in percent (two decimals); null without any.</param>
    public sealed record Row(string Kode, string Name, int Families, int[] AtJoin, int[] Now, int PoorAtJoin, int PoorNow, int Left, int Entered, decimal? LeftPercent);

    public sealed record Outcome(long? LatestRun, DateOnly? LatestRunAsOf, IReadOnlyList<Row> Upk, IReadOnlyList<Row> Ksm, Row Total, Problem? Problem = null);

    private sealed record Membership(long UpkId, long KsmId, long FamilyId, DateOnly? JoinedOn);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var kode = input.UpkKode?.Trim();
        var upks = (await db.Upks.AsNoTracking().OrderBy(u => u.Kode).ToListAsync(cancellationToken))
            .Where(u => input.Scope.AggregatesCover(u.KodeDesa))
            .Where(u => string.IsNullOrEmpty(kode) || string.Equals(u.Kode, kode, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var runs = await db.TargetingRuns.AsNoTracking().OrderBy(r => r.AsOf).ThenBy(r => r.Id).Select(r => new { r.Id, r.AsOf }).ToListAsync(cancellationToken);
        var latest = runs.MaxBy(r => r.Id);
        if (!string.IsNullOrEmpty(kode) && upks.Count == 0)
        {
            return new Outcome(latest?.Id, latest?.AsOf, [], [], Empty("Total", ""), P2kpAccess.NotFound());
        }
        var ids = upks.Select(u => u.Id).ToList();
        var members = await (
            from m in db.KsmMembers.AsNoTracking()
            join k in db.Ksms.AsNoTracking() on m.KsmId equals k.Id
            join p in db.Persons.AsNoTracking() on m.PersonId equals (long?)p.Id
            where ids.Contains(k.UpkId)
            select new Membership(k.UpkId, k.Id, p.FamilyId, m.JoinedOn ?? k.FormedOn)).ToListAsync(cancellationToken);

        // The run current at a date: the last run (by reference date, then id) whose reference date is not after it.
        long? RunAt(DateOnly? on) => on is { } d ? runs.LastOrDefault(r => r.AsOf <= d)?.Id : null;
        var families = members.Select(m => m.FamilyId).Distinct().ToList();
        var wanted = members.Select(m => RunAt(m.JoinedOn)).Append(latest?.Id).OfType<long>().Distinct().ToList();
        var desil = new Dictionary<(long Run, long Family), int>();
        foreach (var run in wanted)
        {
            await ReadDecilesAsync(run, families, desil, cancellationToken);
        }
        int Desil(long? run, long family) => run is { } r && desil.TryGetValue((r, family), out var d) ? d : 0;

        Row Count(string rowKode, string name, IEnumerable<Membership> rows)
        {
            var atJoin = new int[11];
            var now = new int[11];
            int poorAtJoin = 0, poorNow = 0, left = 0, entered = 0, poorAtJoinRanked = 0, count = 0;
            // A family once per row, with its earliest join date.
            foreach (var family in rows.GroupBy(m => m.FamilyId).Select(g => g.MinBy(m => m.JoinedOn ?? DateOnly.MaxValue)!))
            {
                count++;
                var before = Desil(RunAt(family.JoinedOn), family.FamilyId);
                var after = Desil(latest?.Id, family.FamilyId);
                atJoin[before]++;
                now[after]++;
                var wasPoor = before is >= 1 and <= PoorestDeciles;
                var isPoor = after is >= 1 and <= PoorestDeciles;
                poorAtJoin += wasPoor ? 1 : 0;
                poorNow += isPoor ? 1 : 0;
                poorAtJoinRanked += wasPoor && after > 0 ? 1 : 0;
                left += wasPoor && after > PoorestDeciles ? 1 : 0;
                entered += before > PoorestDeciles && isPoor ? 1 : 0;
            }
            decimal? percent = poorAtJoinRanked == 0 ? null : Math.Round(100m * left / poorAtJoinRanked, 2, MidpointRounding.AwayFromZero);
            return new Row(rowKode, name, count, atJoin, now, poorAtJoin, poorNow, left, entered, percent);
        }

        var byUpk = members.ToLookup(m => m.UpkId);
        var upkRows = upks.Select(u => Count(u.Kode, u.Name, byUpk[u.Id])).ToList();
        IReadOnlyList<Row> ksmRows = [];
        if (upks.Count == 1 && !string.IsNullOrEmpty(kode))
        {
            var ksms = await db.Ksms.AsNoTracking().Where(k => k.UpkId == upks[0].Id).OrderBy(k => k.Kode).Select(k => new { k.Id, k.Kode, k.Name }).ToListAsync(cancellationToken);
            var byKsm = members.ToLookup(m => m.KsmId);
            ksmRows = [.. ksms.Select(k => Count(k.Kode, k.Name, byKsm[k.Id]))];
        }
        return new Outcome(latest?.Id, latest?.AsOf, upkRows, ksmRows, Count("Total", "", members));
    }

    private static Row Empty(string kode, string name) => new(kode, name, 0, new int[11], new int[11], 0, 0, 0, 0, null);

    /// <summary>The desil of the given families in one run, read in batches of ids (integers formatted into the statement: no text from outside).</summary>
    private async Task ReadDecilesAsync(long run, IReadOnlyList<long> families, Dictionary<(long, long), int> into, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        foreach (var batch in families.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT family_id, desil FROM targeting_results WHERE run_id = @run AND desil IS NOT NULL AND family_id IN ("
                + string.Join(",", batch.Select(id => id.ToString(CultureInfo.InvariantCulture))) + ")";
            command.AddParameter("@run", run);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                into[(run, reader.GetInt64(0))] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
            }
        }
    }
}

using Tuntas.Linkage;

namespace Tuntas.Verivali;

/// <summary>
/// Puts the families of suspected duplicate persons on the open period's worklist (reason <c>dugaan-ganda</c>): the
/// record-linkage queue (<see cref="FindRegistryDuplicates"/>, pairs a reviewer decided excluded) within the caller's
/// scope, both families of each pair that lie inside it. NIKs are unique in the registry, so duplicates are the same
/// person under two NIKs or names, which only the linkage model finds. It runs on demand, not when the period opens:
/// regency-wide it takes as long as <c>tuntas duplicates find</c> (minutes: docs/benchmarks.md#record-linkage), a
/// village's in seconds.
/// </summary>
public sealed class AddSuspectedDuplicates(TuntasDb db, TuntasDatabase database)
{
    public sealed record Input(long PeriodId, AccessScope Scope);

    public sealed record Outcome(int Pairs, int Families, int NewLines, Problem? Problem);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var period = await db.VerivaliPeriods.AsNoTracking().SingleOrDefaultAsync(p => p.Id == input.PeriodId, cancellationToken);
        if (period is null)
        {
            return new Outcome(0, 0, 0, VerivaliProblems.Of("LINE_NOT_FOUND"));
        }
        if (!period.IsOpen)
        {
            return new Outcome(0, 0, 0, VerivaliProblems.Of("PERIOD_CLOSED"));
        }
        var found = await new FindRegistryDuplicates(database).RunAsync(new FindRegistryDuplicates.Input(input.Scope), cancellationToken);
        var families = found.Pairs
            .SelectMany(p => new[] { (p.FamilyIdA, p.KodeDesaA), (p.FamilyIdB, p.KodeDesaB) })
            .Where(f => input.Scope.Covers(f.Item1, f.Item2))
            .Select(f => f.Item1).Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var added = await OpenPeriod.AddReasonAsync(db, period.Id, VerivaliTerms.ReasonDuplicate, families, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(found.Pairs.Count, families.Count, added, null);
    }
}

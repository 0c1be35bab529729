using Tuntas.Linkage;

namespace Tuntas.Verivali;

/// <summary>
/// The suspected duplicates of a period just opened: the record-linkage queue over the whole regency
/// (<see cref="FindRegistryDuplicates"/>, pairs a reviewer decided excluded) puts both families of each pair on their
/// villages' worklists with the reason <c>dugaan-ganda</c>. The opening marks the period
/// <see cref="VerivaliTerms.DuplicatesPending"/>; this runs it — the web host's worker within seconds of the opening, the
/// CLI right after <c>verivali open</c> — and records the outcome on the period. Safe to run again: a search killed
/// half-way stays pending and is run again, and a reason is added to a line once (<see cref="OpenPeriod.AddReasonAsync"/>).
/// It runs with the regency's scope because the opening is the regency's act (the permission to open was checked there).
/// </summary>
public sealed class SearchDuplicatesAtOpening(TuntasDatabase database, TimeProvider clock)
{
    public sealed record Outcome(long PeriodId, string Status, int Families);

    /// <summary>Runs the search of every open period still pending; returns what was done (none when nothing waits).</summary>
    public async Task<IReadOnlyList<Outcome>> RunPendingAsync(CancellationToken cancellationToken)
    {
        List<long> pending;
        await using (var db = database.CreateDb())
        {
            pending = await db.VerivaliPeriods.AsNoTracking()
                .Where(p => p.ClosedAt == null && p.DuplicatesStatus == VerivaliTerms.DuplicatesPending)
                .Select(p => p.Id).ToListAsync(cancellationToken);
        }
        var outcomes = new List<Outcome>();
        foreach (var periodId in pending)
        {
            try
            {
                outcomes.Add(await RunAsync(periodId, cancellationToken));
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Not retried at every tick (a search that fails once, e.g. out of memory, would fail again): the period
                // shows "gagal" and a reviewer adds the duplicates on demand from the visits page. The caller logs it.
                await MarkAsync(periodId, VerivaliTerms.DuplicatesFailed, null, CancellationToken.None);
                throw;
            }
        }
        return outcomes;
    }

    private async Task MarkAsync(long periodId, string status, int? families, CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.VerivaliPeriods.Where(p => p.Id == periodId).ExecuteUpdateAsync(u => u
            .SetProperty(p => p.DuplicatesStatus, status)
            .SetProperty(p => p.DuplicatesFamilies, families)
            .SetProperty(p => p.DuplicatesAt, now), cancellationToken);
    }

    public async Task<Outcome> RunAsync(long periodId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var found = await new AddSuspectedDuplicates(db, database).RunAsync(new AddSuspectedDuplicates.Input(periodId, AccessScope.Regency), cancellationToken);
        // A period closed meanwhile (PERIOD_CLOSED) needs no search any more; anything else refused is a failure to show.
        var status = found.Problem is null ? VerivaliTerms.DuplicatesDone
            : found.Problem.Code == "PERIOD_CLOSED" ? VerivaliTerms.DuplicatesDone : VerivaliTerms.DuplicatesFailed;
        await MarkAsync(periodId, status, found.Families, cancellationToken);
        return new Outcome(periodId, status, found.Families);
    }
}

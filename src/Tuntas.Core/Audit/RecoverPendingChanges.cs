namespace Tuntas.Audit;

/// <summary>
/// Chains the changes whose request never wrote its audit entry: the process was killed (or the entry's commit failed)
/// after the change had committed with its <see cref="PendingChange"/> record. Each becomes an ordinary entry, marked as
/// recovered, and its record is removed in the same transaction (<see cref="AppendAudit.RunBatchAsync"/>). Only records
/// older than <see cref="Input.OlderThan"/> are taken, so a request still on its way in another web instance is left
/// to write its own entry. Run by the web app at start-up and every few minutes, and before <c>tuntas audit verify</c>.
/// </summary>
public sealed class RecoverPendingChanges(TuntasDb db, TuntasDatabase database, AuditKey key, TimeProvider clock)
{
    public sealed record Input(TimeSpan OlderThan);

    public sealed record Outcome(int Recovered);

    /// <summary>Enough for any request to reach its answer; less than a restart takes.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private const int Batch = 500;

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().UtcDateTime - input.OlderThan;
        var recovered = 0;
        while (true)
        {
            var rows = await db.Set<PendingChange>().AsNoTracking().Where(p => p.At <= before).OrderBy(p => p.Id).Take(Batch)
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return new Outcome(recovered);
            }
            // A request that committed twice left one record per claim at most; chain each request once.
            var inputs = rows.GroupBy(r => r.RequestId).Select(g => g.First())
                .Select(r => r.ToInput(Shorten($"{r.Detail} — dicatat setelah proses berhenti / recorded after the process stopped ({r.At:yyyy-MM-dd HH:mm:ss} UTC)")))
                .ToList();
            await new AppendAudit(database, clock, key).RunBatchAsync(inputs, cancellationToken);
            recovered += inputs.Count;
        }
    }

    private static string Shorten(string value) => value.Length > 1000 ? value[..1000] : value;
}

using Tuntas.Audit;

namespace Tuntas.Web.Security;

/// <summary>Where this database's audit checkpoints are written outside it (<see cref="WriteCheckpoint"/>).</summary>
public sealed record AuditCheckpointFile(string Path);

/// <summary>
/// Chains, every few minutes, the changes whose audit entry a killed process never wrote (<see cref="RecoverPendingChanges"/>),
/// and takes a signed checkpoint of the audit chain's head once a day (and at start-up), so that the newest entries cannot be
/// deleted later without <c>tuntas audit verify</c> noticing (<see cref="WriteCheckpoint"/>). The CLI takes one on demand.
/// </summary>
public sealed class AuditCheckpointWorker(TuntasDatabase database, AuditKey key, AuditCheckpointFile file, TimeProvider clock,
    ILogger<AuditCheckpointWorker> logger) : BackgroundService
{
    private static readonly TimeSpan _checkpointInterval = TimeSpan.FromDays(1);
    private static readonly TimeSpan _recoveryInterval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_recoveryInterval, clock);
        var lastCheckpoint = DateTimeOffset.MinValue;
        do
        {
            try
            {
                await using var db = database.CreateDb();
                var recovered = await new RecoverPendingChanges(db, database, key, clock).RunAsync(new(RecoverPendingChanges.Grace), stoppingToken);
                if (recovered.Recovered > 0)
                {
                    logger.LogWarning("Audit: {Count} changes chained after their request had stopped", recovered.Recovered);
                }
                if (clock.GetUtcNow() - lastCheckpoint >= _checkpointInterval)
                {
                    var outcome = await new WriteCheckpoint(db, key, clock, file.Path).RunAsync(stoppingToken);
                    lastCheckpoint = clock.GetUtcNow();
                    if (outcome is { Unchanged: false, Checkpoint: { } taken })
                    {
                        logger.LogInformation("Audit checkpoint at entry {EntryId}", taken.EntryId);
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Audit checkpoint not taken");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

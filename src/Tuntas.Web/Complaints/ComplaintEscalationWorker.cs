using Tuntas.Complaints;

namespace Tuntas.Web.Complaints;

/// <summary>Escalates overdue complaints (<see cref="EscalateOverdue"/>) every five minutes, and once at start-up.</summary>
public sealed class ComplaintEscalationWorker(IServiceScopeFactory scopes, ILogger<ComplaintEscalationWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var escalated = await scope.ServiceProvider.GetRequiredService<EscalateOverdue>().RunAsync(stoppingToken);
                if (escalated > 0)
                {
                    logger.LogInformation("Escalated {Count} overdue complaints to the TKPKD", escalated);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                // The database may not be migrated yet at the very first tick; the next tick tries again.
                logger.LogWarning(e, "Escalating overdue complaints failed; retrying at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

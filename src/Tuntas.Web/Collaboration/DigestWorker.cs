using Tuntas.Collaboration;

namespace Tuntas.Web.Collaboration;

/// <summary>Sends the weekly follow-up digest (<see cref="WeeklyDigest"/>) at the first hourly tick of each ISO week.</summary>
public sealed class DigestWorker(IServiceScopeFactory scopes, ILogger<DigestWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<WeeklyDigest>().RunAsync(force: false, stoppingToken);
                if (outcome.Sent)
                {
                    logger.LogInformation("Weekly digest {Week} sent to {Stakeholders} stakeholders; {Overdue} overdue actions", outcome.Week, outcome.Stakeholders, outcome.Overdue);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogWarning(e, "Weekly digest failed; retrying at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

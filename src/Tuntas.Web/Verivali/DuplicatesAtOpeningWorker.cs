using Tuntas.Verivali;

namespace Tuntas.Web.Verivali;

/// <summary>
/// Runs the suspected-duplicates search of a verivali period just opened (<see cref="SearchDuplicatesAtOpening"/>): it
/// looks for a pending period every <see cref="Interval"/> and once at start-up, so a search a restart cut short is run
/// again. Off with <c>Verivali:DuplicatesAtOpening=false</c> (the web tests, whose periods must not change under them).
/// </summary>
public sealed class DuplicatesAtOpeningWorker(IServiceScopeFactory scopes, ILogger<DuplicatesAtOpeningWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                foreach (var done in await scope.ServiceProvider.GetRequiredService<SearchDuplicatesAtOpening>().RunPendingAsync(stoppingToken))
                {
                    logger.LogInformation("Verivali period {Period}: suspected duplicates {Status}, {Families} families on the worklists", done.PeriodId, done.Status, done.Families);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The period is marked "gagal" (shown on its page); the database may also not be migrated yet at the first tick.
                logger.LogWarning(e, "The suspected-duplicates search of a verivali period failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

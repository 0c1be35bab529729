namespace Tuntas.Targeting.Runs;

/// <summary>
/// Stored runs as the targeting pages, the error worklist and <c>/api/targeting/runs</c> read them: the run row without
/// its large JSON columns for lists, and with its summary and inputs read back for one run.
/// </summary>
public static class RunViews
{
    public sealed record RunView(long Id, DateTime CreatedAt, string CreatedBy, DateOnly AsOf, string InputHash, string RegistryHash,
        int FamilyCount, int PersonCount, string DecileModel, long DurationMs);

    public sealed record RunDetail(RunView Run, RunSummary Summary, RunInputs Inputs);

    public static RunView ToView(TargetingRun run) =>
        new(run.Id, run.CreatedAt, run.CreatedBy, run.AsOf, run.InputHash, run.RegistryHash, run.FamilyCount, run.PersonCount,
            run.DecileModel, run.DurationMs);

    public static RunDetail ToDetail(TargetingRun run) => new(ToView(run), Summary(run), Inputs(run));

    public static RunSummary Summary(TargetingRun run) => JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;

    public static RunInputs Inputs(TargetingRun run) => JsonSerializer.Deserialize<RunInputs>(run.Inputs, RunTargeting.Json)!;

    /// <summary>The run with this id, or null (never throws for an unknown id).</summary>
    public static Task<TargetingRun?> FindAsync(TuntasDb db, long id, CancellationToken cancellationToken) =>
        db.TargetingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>Newest first, without the (large) inputs and summary columns.</summary>
    public static async Task<IReadOnlyList<RunView>> RecentAsync(TuntasDb db, int take, CancellationToken cancellationToken) =>
        await db.TargetingRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(take)
            .Select(r => new RunView(r.Id, r.CreatedAt, r.CreatedBy, r.AsOf, r.InputHash, r.RegistryHash, r.FamilyCount, r.PersonCount, r.DecileModel, r.DurationMs))
            .ToListAsync(cancellationToken);
}

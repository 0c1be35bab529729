using Tuntas.Dashboard;
using Tuntas.Regions;
using Tuntas.Targeting.Runs;

namespace Tuntas.Programs;

/// <summary>
/// The headline figures of one program in the reader's own area, each with what it counts and where it is from, so that
/// no number on the program's page stands alone: families receiving it now (open enrollments), families its eligibility
/// rule selects in the latest targeting run, the inclusion and exclusion errors against that run (the definitions of
/// <see cref="TargetingErrorReport"/>), and the area's families poor by the 14 BPS criteria in the same run — with the
/// regency's official P0 (<see cref="OfficialPoverty"/>) beside it as the different measure it is. Read from the
/// dashboard's pre-aggregate (<see cref="ReadDashboard"/>), so the numbers agree with the home page and the map, and the
/// run is named by number, reference date and decile model.
/// </summary>
public sealed class ProgramFigures(ReadDashboard dashboard, TuntasDb db)
{
    /// <param name="Regency">The installation's regency (<see cref="RegencyOptions.Regency"/>).</param>
    public sealed record Input(string ProgramCode, string Regency, AccessScope Scope);

    /// <param name="AreaName">The region the figures cover: the regency, or the reader's kecamatan or village.</param>
    /// <param name="Run">The targeting run the model-based figures come from; null before the first run (they are then null too).</param>
    public sealed record Outcome(string AreaCode, string AreaName, long Families, long Recipients, long? Eligible, long? Inclusion, long? Exclusion,
        long? PoorBps, RunViews.RunView? Run, OfficialPoverty.Figure? Official);

    public async Task<Outcome?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var area = await dashboard.RunAsync(new ReadDashboard.Input(YourWork.HomeRegion(input.Regency, input.Scope), input.Scope), cancellationToken);
        if (area is null)
        {
            return null;
        }
        var t = area.Totals;
        // The pre-aggregate is refreshed whenever a run is added (its change marker), so its run is the newest one.
        var run = area.RunId is { } runId ? (await RunViews.RecentAsync(db, 1, cancellationToken)).FirstOrDefault(r => r.Id == runId) : null;
        long? FromRun(string measure) => run is null ? null : t[measure];
        return new Outcome(area.Code, area.Name, t[Measures.Families], t[Measures.RecipientsPrefix + input.ProgramCode],
            FromRun(Measures.EligiblePrefix + input.ProgramCode), FromRun(Measures.InclusionPrefix + input.ProgramCode),
            FromRun(Measures.ExclusionPrefix + input.ProgramCode), FromRun(Measures.PoorBps), run, OfficialPoverty.Latest(input.Regency));
    }
}

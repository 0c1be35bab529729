using Tuntas.Targeting;
using Tuntas.Targeting.Models;
using Tuntas.Targeting.Runs;
using Tuntas.Web.Display;

namespace Tuntas.Web.Pages.Penargetan;

/// <summary>
/// One targeting run: what it found (BPS criteria, index classes, the fitted PMT, deciles, programs, official × computed
/// desil), the per-family CSV, a comparison with another run, a program quota per village and the accuracy of each model.
/// Everything here is read-only, so the forms are GETs (bookmarkable, no identifiers in them).
/// </summary>
public sealed class RunModel(TuntasDb db, ExportRun export, CompareRuns compareRuns, AllocateQuota allocateQuota, MeasureAccuracy measureAccuracy) : PageModel
{
    public const int MaxListedChanges = 50;

    public RunViews.RunDetail Detail { get; private set; } = null!;

    /// <summary>Criterion names by position, from the criteria model the run used.</summary>
    public IReadOnlyList<string> CriterionNames { get; private set; } = [];

    public IReadOnlyList<RunViews.RunView> OtherRuns { get; private set; } = [];

    [FromQuery(Name = "banding")]
    public long? CompareWith { get; set; }

    [FromQuery(Name = "program")]
    public string? QuotaProgram { get; set; }

    [FromQuery(Name = "kuota")]
    public int? Quota { get; set; }

    [FromQuery(Name = "metode")]
    public string Method { get; set; } = AllocateQuota.Proportional;

    public CompareRuns.Outcome? Comparison { get; private set; }

    public AllocateQuota.Outcome? Allocation { get; private set; }

    public MeasureAccuracy.Outcome? Accuracy { get; private set; }

    public IReadOnlyList<TargetingIssue> CompareIssues { get; private set; } = [];

    public IReadOnlyList<TargetingIssue> QuotaIssues { get; private set; } = [];

    public IReadOnlyList<TargetingIssue> AccuracyIssues { get; private set; } = [];

    public bool CanExport => User.CanExportTargeting();

    /// <summary>Masked for every role: each line links to the family page, where a member's NIK is revealed by an audited action.</summary>
    public string ShowNoKk(string noKk) => Tuntas.Registry.NoKk.Mask(noKk);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await RunViews.FindAsync(db, id, cancellationToken) is not { } run)
        {
            return NotFound();
        }
        Detail = RunViews.ToDetail(run);
        if (Detail.Inputs.Models.FirstOrDefault(m => m.Kind == ModelKinds.Kriteria) is { } criteria
            && ModelDefinition.Parse(criteria.Definition, []) is { } definition)
        {
            CriterionNames = [.. definition.Criteria.Select(c => $"{c.Code} {c.Name}")];
        }
        OtherRuns = [.. (await RunViews.RecentAsync(db, 50, cancellationToken)).Where(r => r.Id != id)];
        if (CompareWith is { } other && other != id)
        {
            try
            {
                Comparison = await compareRuns.RunAsync(new CompareRuns.Input(other, id, MaxListedChanges), cancellationToken);
            }
            catch (TargetingException e)
            {
                CompareIssues = e.Issues;
            }
        }
        if (!string.IsNullOrWhiteSpace(QuotaProgram) && Quota is not null)
        {
            try
            {
                Allocation = await allocateQuota.RunAsync(new AllocateQuota.Input(id, QuotaProgram, Quota.Value, Method), cancellationToken);
            }
            catch (TargetingException e)
            {
                QuotaIssues = e.Issues;
            }
        }
        try
        {
            Accuracy = await measureAccuracy.RunAsync(new MeasureAccuracy.Input(id), cancellationToken);
        }
        catch (TargetingException e)
        {
            AccuracyIssues = e.Issues;
        }
        return Page();
    }

    /// <summary>The per-family results as CSV, streamed (<see cref="ExportRun"/>): full NO_KK, so regency-wide identity roles only.</summary>
    public async Task<IActionResult> OnGetEksporAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanExport)
        {
            return Forbid();
        }
        if (await RunViews.FindAsync(db, id, cancellationToken) is null)
        {
            return NotFound();
        }
        Show.CsvDownload(Response, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"penargetan-{id}.csv"));
        await export.RunAsync(id, Response.Body, cancellationToken);
        return new EmptyResult();
    }

    /// <summary>The ranked eligible families of a quota allocation as CSV.</summary>
    public async Task<IActionResult> OnGetDaftarAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanExport)
        {
            return Forbid();
        }
        if (await RunViews.FindAsync(db, id, cancellationToken) is null || string.IsNullOrWhiteSpace(QuotaProgram) || Quota is null)
        {
            return NotFound();
        }
        AllocateQuota.Outcome outcome;
        try
        {
            outcome = await allocateQuota.RunAsync(new AllocateQuota.Input(id, QuotaProgram, Quota.Value, Method), cancellationToken);
        }
        catch (TargetingException)
        {
            return BadRequest();
        }
        Show.CsvDownload(Response, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"penargetan-{id}-kuota-{outcome.Program}.csv"));
        await RankedList.WriteAsync(outcome, Response.Body, cancellationToken);
        return new EmptyResult();
    }
}

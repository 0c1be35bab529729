using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;

namespace Tuntas.Web.Pages.Program;

/// <summary>
/// Inclusion and exclusion errors per program and village against a targeting run (<see cref="TargetingErrorReport"/>),
/// and the by-name worklist for the village meeting as XLSX or CSV (<see cref="ExportErrorWorklist"/>). A village
/// operator sees only their village: the region filter is narrowed to the user's scope. Never cached.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("program", null)]
public sealed class GalatModel(TuntasDb db, TargetingErrorReport errorReport, ExportErrorWorklist export) : PageModel
{
    [FromQuery(Name = "run")]
    public long? RunId { get; set; }

    [FromQuery(Name = "program")]
    public string? Program { get; set; }

    [FromQuery(Name = "wilayah")]
    public string? Region { get; set; }

    public IReadOnlyList<RunViews.RunView> Runs { get; private set; } = [];

    public IReadOnlyList<string> Programs { get; private set; } = [];

    public TargetingErrorReport.Outcome? Report { get; private set; }

    public IReadOnlyList<TargetingIssue> Issues { get; private set; } = [];

    public string? Scope { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        Runs = await RunViews.RecentAsync(db, 50, cancellationToken);
        Programs = [.. (await ProgramCatalogue.ListAsync(db, cancellationToken)).Select(p => p.Code)];
        if (Runs.Count == 0)
        {
            return Page();
        }
        Report = await RunReportAsync(cancellationToken);
        return Page();
    }

    /// <summary>Whether the reader may download the worklist with full NO_KK (an audited choice, never the default).</summary>
    public bool CanReveal => User.Has(RegistryPermissions.SeeFullIdentifiers);

    public async Task<IActionResult> OnGetUnduhAsync([FromQuery] string? format, [FromQuery] bool? lengkap, CancellationToken cancellationToken)
    {
        Runs = await RunViews.RecentAsync(db, 1, cancellationToken);
        if (Runs.Count == 0 || await RunReportAsync(cancellationToken) is not { } report)
        {
            return NotFound();
        }
        var xlsx = !string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        var name = string.Create(CultureInfo.InvariantCulture, $"daftar-kerja-galat-{report.RunId}.{(xlsx ? "xlsx" : "csv")}");
        Response.ContentType = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
        Response.Headers.CacheControl = "no-store";
        Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        // The XLSX writer needs a seekable stream (a ZIP); the worklist of a regency is a few MB at most.
        using var buffer = new MemoryStream();
        await export.RunAsync(report.Worklist, buffer, xlsx, fullIdentifiers: lengkap == true && CanReveal, cancellationToken);
        buffer.Position = 0;
        await buffer.CopyToAsync(Response.Body, cancellationToken);
        return new EmptyResult();
    }

    private async Task<TargetingErrorReport.Outcome?> RunReportAsync(CancellationToken cancellationToken)
    {
        Scope = TuntasClaims.RequestedRegion(Region);
        try
        {
            return await errorReport.RunAsync(new TargetingErrorReport.Input(RunId ?? Runs[0].Id,
                string.IsNullOrWhiteSpace(Program) ? null : Program.Trim(), Scope, User.AccessScope()), cancellationToken);
        }
        catch (TargetingException e)
        {
            Issues = e.Issues;
            return null;
        }
    }
}

using Tuntas.Imports;
using Tuntas.Web.Imports;

namespace Tuntas.Web.Pages.Impor;

/// <summary>One import job: a progress bar refreshed every 2 s while it runs, then counts, findings and report downloads.</summary>
[Tuntas.Web.Security.PersonalDataRead("impor", "id")]
public sealed class JobModel(TuntasDb db, ImportQueue queue) : PageModel
{
    public const int MaxListedIssues = 200;

    public ImportJob Job { get; private set; } = null!;

    public ImportReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var job = await ImportDownloads.FindVisibleJobAsync(db, id, User, cancellationToken);
        if (job is null)
        {
            return NotFound();
        }
        Job = queue.WithProgress(job);
        Report = job.ReportJson is null ? null : ImportReport.FromJson(job.ReportJson);
        return Page();
    }

    public int Percent => ImportDownloads.StatusOf(Job).Percent;
}

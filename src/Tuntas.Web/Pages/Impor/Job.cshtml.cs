using Tuntas.Imports;
using Tuntas.Web.Imports;

namespace Tuntas.Web.Pages.Impor;

/// <summary>One import job: a progress bar refreshed every 2 s while it runs, then counts, findings and report downloads;
/// after a dry run that passed, "import this file now" (<see cref="ImportUploads.ImportValidatedAsync"/>).</summary>
[Tuntas.Web.Security.PersonalDataRead("impor", "id")]
public sealed class JobModel(TuntasDb db, ImportQueue queue, ImportUploads uploads) : PageModel
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

    /// <summary>Why "import this file now" was refused (the file no longer kept, the scope), or null.</summary>
    public string? Error { get; private set; }

    public bool CanImport => uploads.CanImportValidated(Job, User.UserName());

    public async Task<IActionResult> OnPostImportAsync(long id, CancellationToken cancellationToken)
    {
        var job = await ImportDownloads.FindVisibleJobAsync(db, id, User, cancellationToken);
        if (job is null)
        {
            return NotFound();
        }
        var outcome = await uploads.ImportValidatedAsync(job, User.UserName(), User.AccessScope(), cancellationToken);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (outcome.Job is { } queued)
        {
            Security.AuditDetail.Set(HttpContext, string.Create(c, $"uji coba {id} diimpor: pekerjaan {queued.Id}"));
            return Redirect(string.Create(c, $"/Impor/{queued.Id}"));
        }
        Security.AuditDetail.Set(HttpContext, string.Create(c, $"uji coba {id} tidak diimpor: {outcome.Refusal!.Code}"));
        // The refusal alone, without the report: a POST is not recorded as a read of the findings (names among them).
        (Job, Error) = (queue.WithProgress(job), Display.Show.Text(outcome.Refusal!));
        return Page();
    }
}

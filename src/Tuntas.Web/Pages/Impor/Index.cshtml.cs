using Tuntas.Imports;
using Tuntas.Registry;
using Tuntas.Web.Display;
using Tuntas.Web.Imports;

namespace Tuntas.Web.Pages.Impor;

/// <summary>Upload a registry file (CSV/XLSX) for the background import, and the recent jobs. Folder policy: import roles.</summary>
public sealed class IndexModel(ImportUploads uploads, UploadOptions options, TuntasDb db, TuntasDatabase database, TimeProvider clock)
    : PageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public bool DryRun { get; set; }

    /// <summary>The file's layout (docs/import-profiles.md); empty = recognised from the header.</summary>
    [BindProperty]
    public string? Profile { get; set; }

    /// <summary>The village of an OpenSID file (which carries no village code).</summary>
    [BindProperty]
    public string? Village { get; set; }

    /// <summary>The token of a preview whose stored file is to be imported (the preview page's "Impor berkas ini").</summary>
    [BindProperty]
    public string? Previewed { get; set; }

    [BindProperty]
    public string? PreviewedName { get; set; }

    public string? Error { get; private set; }

    public long MaxMegabytes => options.MaxBytes / (1024 * 1024);

    public IReadOnlyList<ImportJob> Jobs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadJobsAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await uploads.AcceptAsync(Upload, DryRun, User.UserName(), User.AccessScope(), cancellationToken, Profile, Village,
            Previewed, PreviewedName);
        if (outcome.Job is { } job)
        {
            return Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/Impor/{job.Id}"));
        }
        Error = Show.Text(outcome.Refusal!);
        await LoadJobsAsync(cancellationToken);
        return Page();
    }

    private async Task LoadJobsAsync(CancellationToken cancellationToken)
    {
        // A CLI import on this machine whose process was killed shows as failed, not as running forever.
        await ImportJobs.FailAbandonedAsync(database, clock, cancellationToken);
        var seesAll = User.Has(RegistryPermissions.SeeAllImports);
        var name = User.UserName();
        Jobs = await db.ImportJobs.AsNoTracking()
            .Where(j => seesAll || j.CreatedBy == name)
            .OrderByDescending(j => j.Id)
            .Take(20)
            .ToListAsync(cancellationToken);
    }
}

using Microsoft.Extensions.Localization;
using Tuntas.Imports;
using Tuntas.Web.Display;
using Tuntas.Web.Imports;

namespace Tuntas.Web.Pages.Impor;

/// <summary>
/// Upload registry files (CSV/XLSX) for the background import, and the recent jobs. Several files at once — a regency
/// operator's files from many villages — are queued as one job each, imported one after another; an OpenSID or DTKS
/// file without a village given goes to the village it is named after (docs/import-profiles.md, "Many villages'
/// files"). Folder policy: import roles.
/// </summary>
public sealed class IndexModel(ImportUploads uploads, UploadOptions options, TuntasDb db, TuntasDatabase database, TimeProvider clock,
    IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public List<IFormFile> Upload { get; set; } = [];

    [BindProperty]
    public bool DryRun { get; set; }

    /// <summary>The file's layout (docs/import-profiles.md); empty = recognised from the header.</summary>
    [BindProperty]
    public string? Profile { get; set; }

    /// <summary>The village of an OpenSID file (which carries no village code).</summary>
    [BindProperty]
    public string? Village { get; set; }

    /// <summary>A NIK the file lists under another NO_KK is a move between families (a KK split, a marriage): OpenSID's
    /// files have no PINDAH column to say so row by row.</summary>
    [BindProperty]
    public bool AllowMoves { get; set; }

    /// <summary>The token of a preview whose stored file is to be imported (the preview page's "Impor berkas ini").</summary>
    [BindProperty]
    public string? Previewed { get; set; }

    [BindProperty]
    public string? PreviewedName { get; set; }

    public string? Error { get; private set; }

    /// <summary>After several files: how many were queued, and each refused file with its reason.</summary>
    public int Queued { get; private set; }

    public IReadOnlyList<(string File, string Reason)> Refused { get; private set; } = [];

    public long MaxMegabytes => options.MaxBytes / (1024 * 1024);

    public IReadOnlyList<ImportJob> Jobs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadJobsAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Upload.Count > 1 && string.IsNullOrEmpty(Previewed))
        {
            return await AcceptManyAsync(cancellationToken);
        }
        var outcome = await uploads.AcceptAsync(Upload.FirstOrDefault(), DryRun, User.UserName(), User.AccessScope(), cancellationToken, Profile, Village,
            Previewed, PreviewedName, AllowMoves);
        if (outcome.Job is { } job)
        {
            return Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/Impor/{job.Id}"));
        }
        Error = Show.Text(outcome.Refusal!);
        await LoadJobsAsync(cancellationToken);
        return Page();
    }

    private async Task<IActionResult> AcceptManyAsync(CancellationToken cancellationToken)
    {
        // One village typed for many files would put every village's people into it.
        if (!string.IsNullOrWhiteSpace(Village))
        {
            Error = text["Import.VillageManyFiles", Upload.Count];
            await LoadJobsAsync(cancellationToken);
            return Page();
        }
        var refused = new List<(string, string)>();
        foreach (var file in Upload)
        {
            var outcome = await uploads.AcceptAsync(file, DryRun, User.UserName(), User.AccessScope(), cancellationToken, Profile, null, allowMoves: AllowMoves);
            if (outcome.Job is not null)
            {
                Queued++;
            }
            else
            {
                refused.Add((Uploads.UploadCheck.SafeFileName(file.FileName), Show.Text(outcome.Refusal!)));
            }
        }
        Refused = refused;
        await LoadJobsAsync(cancellationToken, Math.Max(20, Queued));
        return Page();
    }

    private async Task LoadJobsAsync(CancellationToken cancellationToken, int count = 20)
    {
        // A CLI import on this machine whose process was killed shows as failed, not as running forever.
        await ImportJobs.FailAbandonedAsync(database, clock, cancellationToken);
        Jobs = await ImportDownloads.VisibleTo(db.ImportJobs.AsNoTracking(), User)
            .OrderByDescending(j => j.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
    }
}

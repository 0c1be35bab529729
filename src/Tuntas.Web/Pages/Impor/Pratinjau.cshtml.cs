using Microsoft.Extensions.Localization;
using Tuntas.Imports;
using Tuntas.Web.Display;
using Tuntas.Web.Imports;
using Tuntas.Web.Security;

namespace Tuntas.Web.Pages.Impor;

/// <summary>
/// The upload form's preview (docs/import-profiles.md, "Preview"): the detected profile, the column mapping, the
/// columns not read and the first rows as they will be read, NIK masked, before anything is queued; "Impor berkas ini"
/// then queues the previewed file without uploading it again. Names are shown: each preview is a personal-data read.
/// </summary>
[PersonalDataRead("impor", null, ReadsOnPost = true)]
public sealed class PratinjauModel(ImportUploads uploads, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public string? Profile { get; set; }

    [BindProperty]
    public string? Village { get; set; }

    [BindProperty]
    public bool DryRun { get; set; }

    /// <summary>Carried to the import that follows the preview (the upload form's "pindah KK" choice).</summary>
    [BindProperty]
    public bool AllowMoves { get; set; }

    public PreviewImport.Outcome? Preview { get; private set; }

    public string? Token { get; private set; }

    public string? FileName { get; private set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => Redirect("/Impor");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        FileName = Upload is null ? null : Uploads.UploadCheck.SafeFileName(Upload.FileName);
        AuditDetail.Set(HttpContext, "pratinjau " + (FileName ?? "-"));
        // The preview reads one file; several chosen at once are imported without one (the upload form's "Impor").
        if (Request.HasFormContentType && Request.Form.Files.GetFiles(nameof(Upload)).Count > 1)
        {
            Error = text["Import.PreviewOneFile"];
            return Page();
        }
        var outcome = await uploads.PreviewAsync(Upload, User.UserName(), User.AccessScope(), cancellationToken, Profile, Village);
        if (outcome.Refusal is { } refusal)
        {
            Error = Show.Text(refusal);
        }
        (Preview, Token) = (outcome.Preview, outcome.Token);
        return Page();
    }
}

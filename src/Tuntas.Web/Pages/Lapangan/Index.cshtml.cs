using Tuntas.FieldCollection;
using Tuntas.Users;

namespace Tuntas.Web.Pages.Lapangan;

/// <summary>
/// Field collection in the back office (docs/field-collection.md): the user's device tokens for ODK Collect (created
/// here, shown once with the server URL to type in Collect, revocable; an administrator manages everyone's), the
/// generated forms and their versions, submissions per enumerator per day and the latest submissions with the reasons
/// of each refusal.
/// </summary>
// The visits' GPS points are where poor families live, and refusal reasons may quote what was submitted: a personal-data read.
[PersonalDataRead("lapangan", null)]
public sealed class IndexModel(FieldActivity activity, CreateDeviceToken create, RevokeDeviceToken revoke, Tuntas.Attachments.AttachmentStore store) : PageModel
{
    public FieldActivity.Outcome Activity { get; private set; } = new([], [], [], []);

    /// <summary>The server URL with the new token, shown once after creating it.</summary>
    public string? ServerUrl { get; private set; }

    public string? Message { get; private set; }

    public bool ManagesUsers => User.Has(UserPermissions.Manage);

    public bool MayCollect => User.Has(FieldPermissions.Collect);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // A partner (mitra) has no part in the verification cycle.
        if (!User.Has(FieldPermissions.Read))
        {
            return Forbid();
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostBuatAsync(string? pengguna, string perangkat, CancellationToken cancellationToken)
    {
        var outcome = await create.RunAsync(new CreateDeviceToken.Input(ManagesUsers && !string.IsNullOrWhiteSpace(pengguna) ? pengguna : User.UserName(),
            perangkat ?? "", User.UserName(), ManagesUsers), cancellationToken);
        if (outcome.Problem is { } problem)
        {
            Message = Text(problem);
        }
        else
        {
            ServerUrl = $"{Request.Scheme}://{Request.Host}{Request.PathBase}/key/{outcome.Secret}";
            AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"token perangkat baru #{outcome.Token!.Id} \"{outcome.Token.Name}\""));
            // The token is shown once, on this response only: never cached.
            Response.Headers.CacheControl = "no-store";
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCabutAsync(long id, CancellationToken cancellationToken)
    {
        var problem = await revoke.RunAsync(new RevokeDeviceToken.Input(id, User.UserName(), ManagesUsers), cancellationToken);
        Message = problem is null ? string.Create(CultureInfo.InvariantCulture, $"#{id} ✓") : Text(problem);
        AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"token perangkat #{id} dicabut"));
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>A submission's photo, to a user who may see the submission; sent as a download (audited as one).</summary>
    public async Task<IActionResult> OnGetFotoAsync(long id, CancellationToken cancellationToken)
    {
        var photo = !User.Has(FieldPermissions.Read) ? null
            : await activity.PhotoAsync(new FieldActivity.Input(User.UserName(), User.AccessScope(), ManagesUsers), id, cancellationToken);
        if (photo is null || Attachments.AttachmentDownload.Prepare(Response, store, photo.StoredName, photo.FileName) is not { } file)
        {
            return NotFound();
        }
        return PhysicalFile(file.Path, file.ContentType, file.DownloadName);
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Activity = await activity.RunAsync(new FieldActivity.Input(User.UserName(), User.AccessScope(), ManagesUsers), cancellationToken);

    private static string Text(Problem problem) => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? problem.MessageEn : problem.Message;
}

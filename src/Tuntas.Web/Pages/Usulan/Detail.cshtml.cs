using Tuntas.Complaints;
using Tuntas.Registry;

namespace Tuntas.Web.Pages.Usulan;

/// <summary>
/// One change request with the diff of its proposed fields (current → proposed) and, once accepted, the one action that
/// applies them through the registry writer (source <c>usulan</c>). The form carries the version the diff was computed
/// on: if the family changed meanwhile, the apply is refused and the page shows the new diff.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("usulan-perubahan", "id")]
public sealed class DetailModel(ApplyChangeRequest applyChangeRequest) : PageModel
{
    public ApplyChangeRequest.Preview Preview { get; private set; } = null!;

    public ApplyChangeRequest.Outcome? Outcome { get; private set; }

    public bool CanApply => User.Has(RegistryPermissions.Write);

    public bool ShowSensitive => User.Has(RegistryPermissions.SeeSensitive);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, long version, CancellationToken cancellationToken)
    {
        if (!CanApply)
        {
            return Forbid();
        }
        Outcome = await applyChangeRequest.RunAsync(id, version, User.UserName(), User.AccessScope(), cancellationToken);
        if (Outcome.Result == ApplyChangeRequest.Result.NotFound)
        {
            return NotFound();
        }
        AuditDetail.Set(HttpContext, $"terapkan usulan #{id}: {Outcome.Result}");
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var preview = await applyChangeRequest.PreviewAsync(id, User.AccessScope(), cancellationToken);
        if (preview is null)
        {
            return false;
        }
        Preview = preview;
        return true;
    }
}

using Tuntas.FieldCollection;

namespace Tuntas.Web.Pages.Lapangan;

/// <summary>
/// The offline field form in the browser, for enumerators without ODK Collect (docs/field-collection.md): a shell page
/// that a service worker (<c>wwwroot/formulir-sw.js</c>, scoped to this page) keeps for use without signal. The
/// worklist comes from <c>GET /api/field/worklist</c> into the phone's IndexedDB; filled forms wait there and go to
/// <c>POST /api/field/submissions</c>, the same <see cref="ReceiveSubmission"/> as ODK Collect's. The page itself holds
/// no personal data (so caching it is safe); <c>wwwroot/js/formulir.js</c> does the rest.
/// </summary>
public sealed class FormulirModel : PageModel
{
    public IActionResult OnGet() => User.Has(FieldPermissions.Collect) ? Page() : Forbid();
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tuntas.Web.Registry;
using Tuntas.Web.Security;

namespace Tuntas.Web.Pages.Wilayah;

public sealed class DesaModel(ListFamilies listFamilies) : PageModel
{
    public const int PageSize = 50;

    public ListFamilies.Outcome Families { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, [FromQuery] int halaman, CancellationToken cancellationToken)
    {
        var outcome = await listFamilies.RunAsync(new ListFamilies.Input(code, Math.Max(1, halaman), PageSize, User.AccessScope()), cancellationToken);
        if (outcome is null)
        {
            return NotFound();
        }
        Families = outcome;
        return Page();
    }
}

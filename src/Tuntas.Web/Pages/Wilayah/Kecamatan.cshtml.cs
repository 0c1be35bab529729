using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tuntas.Regions;
using Tuntas.Web.Security;

namespace Tuntas.Web.Pages.Wilayah;

public sealed class KecamatanModel(RegionCounts regionCounts) : PageModel
{
    public RegionCounts.Outcome Counts { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        var scope = User.RegionScope();
        var outcome = await regionCounts.RunAsync(new RegionCounts.Input(code, scope), cancellationToken);
        if (outcome is null || outcome.Level != Region.District ||
            (scope is not null && !outcome.Code.StartsWith(scope, StringComparison.Ordinal) && !scope.StartsWith(outcome.Code, StringComparison.Ordinal)))
        {
            return NotFound();
        }
        Counts = outcome;
        return Page();
    }
}

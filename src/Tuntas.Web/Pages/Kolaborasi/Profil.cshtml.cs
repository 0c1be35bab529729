using Tuntas.Collaboration;
using Tuntas.Collaboration.VillageLabs;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// The one-page printable village profile for the musdes: aggregates only, for every role whose
/// aggregate scope covers the village (a village operator: its own; a partner: every village). Printing hides the
/// navigation and fits one A4 sheet (site.css, @media print).
/// </summary>
public sealed class ProfilModel(VillageProfile profile, IConfiguration configuration) : PageModel
{
    public VillageProfile.Outcome Profile { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (await profile.RunAsync(new VillageProfile.Input(code, configuration.Regency(), User.AccessScope()), cancellationToken) is not { } outcome)
        {
            return NotFound();
        }
        Profile = outcome;
        return Page();
    }
}

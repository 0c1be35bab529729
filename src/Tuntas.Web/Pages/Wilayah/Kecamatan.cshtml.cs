using Tuntas.Dashboard;
using Tuntas.Regions;
using Tuntas.Web.Dashboard;

namespace Tuntas.Web.Pages.Wilayah;

/// <summary>A kecamatan's dashboard: its villages with their indicators and on the map.</summary>
public sealed class KecamatanModel(ReadDashboard readDashboard, IWebHostEnvironment environment) : PageModel
{
    public DashboardView Dashboard { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        var outcome = await readDashboard.RunAsync(new ReadDashboard.Input(code, User.AccessScope()), cancellationToken);
        if (outcome is null || outcome.Level != Region.District)
        {
            return NotFound();
        }
        Dashboard = new DashboardView(outcome, DashboardView.GeoFileFor(environment, outcome.Code));
        return Page();
    }
}

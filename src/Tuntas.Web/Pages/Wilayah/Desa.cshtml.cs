using Tuntas.Dashboard;
using Tuntas.Regions;
using Tuntas.Web.Dashboard;
using Tuntas.Web.Registry;

namespace Tuntas.Web.Pages.Wilayah;

/// <summary>
/// A village: its indicators (the dashboard at village level) and, for the roles that may see them by
/// name, its families a page at a time. A partner sees the numbers of every village and the families only of villages
/// (or single families) an agreement shares; a village outside the user's scope altogether is not found.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("desa", "code")]
public sealed class DesaModel(ListFamilies listFamilies, ReadDashboard readDashboard, IWebHostEnvironment environment) : PageModel
{
    public const int PageSize = 50;

    public DashboardView? Dashboard { get; private set; }

    public ListFamilies.Outcome? Families { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, [FromQuery] int halaman, CancellationToken cancellationToken)
    {
        var scope = User.AccessScope();
        var dashboard = await readDashboard.RunAsync(new ReadDashboard.Input(code, scope), cancellationToken);
        Families = await listFamilies.RunAsync(new ListFamilies.Input(code, Math.Max(1, halaman), PageSize, scope), cancellationToken);
        if (dashboard is null || dashboard.Level != Region.Village)
        {
            return NotFound();
        }
        Dashboard = new DashboardView(dashboard, DashboardView.GeoFileFor(environment, dashboard.Code));
        return Page();
    }
}

using Microsoft.AspNetCore.Mvc.RazorPages;
using Tuntas.Dashboard;
using Tuntas.Web.Dashboard;
using Tuntas.Web.Security;

namespace Tuntas.Web.Pages;

/// <summary>Beranda: the dashboard of the regency (<c>Tuntas:Regency</c>, default 33.14) from the pre-aggregate, per kecamatan.</summary>
public sealed class IndexModel(ReadDashboard readDashboard, IConfiguration configuration, IWebHostEnvironment environment) : PageModel
{
    public DashboardView? Dashboard { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var regency = configuration["Tuntas:Regency"] is { Length: > 0 } code ? code : "33.14";
        var outcome = await readDashboard.RunAsync(new ReadDashboard.Input(regency, User.AccessScope()), cancellationToken);
        Dashboard = outcome is null ? null : new DashboardView(outcome, DashboardView.GeoFileFor(environment, outcome.Code));
    }
}

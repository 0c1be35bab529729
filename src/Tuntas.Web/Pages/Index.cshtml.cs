using Tuntas.Collaboration;
using Tuntas.Dashboard;
using Tuntas.Web.Collaboration;
using Tuntas.Web.Dashboard;

namespace Tuntas.Web.Pages;

/// <summary>
/// Beranda: the user's own work first (<see cref="YourWork"/>: complaints, change requests, worklist lines, meeting
/// follow-ups, each count linking to the list it counts), then the dashboard of the user's own area from the
/// pre-aggregate — the regency (<c>Tuntas:Regency</c>) for a regency-wide user, their village or kecamatan otherwise.
/// </summary>
public sealed class IndexModel(ReadDashboard readDashboard, YourWork yourWork, Tuntas.Collaboration.Meetings.ListOpenActions openActions, Tuntas.Data.TuntasDb db,
    IConfiguration configuration, IWebHostEnvironment environment) : PageModel
{
    public DashboardView? Dashboard { get; private set; }

    public YourWork.Outcome? Work { get; private set; }

    /// <summary>Meeting follow-ups for this user ("overdue actions surface on the owner's dashboard"): the
    /// secretariat sees every overdue one; a partner or officer those of its organization's stakeholder, open or overdue.</summary>
    public IReadOnlyList<Tuntas.Collaboration.Meetings.ListOpenActions.OpenAction> MyActions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var regency = configuration.Regency();
        var scope = User.AccessScope();
        var outcome = await readDashboard.RunAsync(new ReadDashboard.Input(YourWork.HomeRegion(regency, scope), scope), cancellationToken);
        Work = await yourWork.RunAsync(new YourWork.Input(User.Role(), User.OrganizationOf(), scope, User.UserName(),
            User.Has(Tuntas.Complaints.ComplaintPermissions.Read), User.Has(Tuntas.Verivali.VerivaliPermissions.Read)), cancellationToken);
        Dashboard = outcome is null ? null : new DashboardView(outcome, DashboardView.GeoFileFor(environment, outcome.Code));
        if (User.Has(CollaborationPermissions.ManageStakeholders))
        {
            MyActions = [.. (await openActions.RunAsync(null, cancellationToken)).Where(a => a.Overdue)];
        }
        else if (User.OrganizationOf() is not null)
        {
            // The stakeholders this user acts for, by the same rule as pledging and closing actions (active, same organization).
            var mine = (await db.Stakeholders.AsNoTracking().Where(s => s.Active).ToListAsync(cancellationToken)).Where(User.MayActFor).Select(s => s.Id).ToList();
            MyActions = mine.Count == 0 ? [] : await openActions.RunAsync(mine, cancellationToken);
        }
    }
}

using Tuntas.Targeting;
using Tuntas.Targeting.Runs;

namespace Tuntas.Web.Pages.Penargetan;

/// <summary>
/// Targeting runs, newest first, and the form that starts one. A run is synchronous in the request (a demo regency of
/// 30,000 families takes about a second). Any signed-in role reads; administrators and coordinators start runs.
/// </summary>
public sealed class IndexModel(TuntasDb db, RunTargeting runTargeting) : PageModel
{
    [BindProperty]
    public DateOnly? AsOf { get; set; }

    [BindProperty]
    public string? DecileModel { get; set; }

    public IReadOnlyList<TargetingIssue> Issues { get; private set; } = [];

    public IReadOnlyList<RunViews.RunView> Runs { get; private set; } = [];

    public bool CanManage => User.Has(TargetingPermissions.Manage);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Runs = await RunViews.RecentAsync(db, 50, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        try
        {
            var run = await runTargeting.RunAsync(new RunTargeting.Input(User.UserName(), AsOf,
                string.IsNullOrWhiteSpace(DecileModel) ? null : DecileModel.Trim()), cancellationToken);
            return Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/Penargetan/{run.Id}"));
        }
        catch (TargetingException e)
        {
            Issues = e.Issues;
        }
        Runs = await RunViews.RecentAsync(db, 50, cancellationToken);
        return Page();
    }
}

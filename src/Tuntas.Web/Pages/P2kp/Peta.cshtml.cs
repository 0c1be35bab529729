using Tuntas.P2kp.Planning;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>The BKMs' activities with a location (UPL works above all) on a map, and as a table, within the user's aggregate scope.</summary>
public sealed class PetaModel(ReadPlans plans) : PageModel
{
    public string? Pilar { get; private set; }

    public IReadOnlyList<ReadPlans.MapPoint> Points { get; private set; } = [];

    public async Task OnGetAsync(string? pilar, CancellationToken cancellationToken)
    {
        Pilar = PlanTerms.Pillars.Any(p => p.Code == pilar) ? pilar : null;
        Points = await plans.MapAsync(Pilar, User.AccessScope(), cancellationToken);
    }
}

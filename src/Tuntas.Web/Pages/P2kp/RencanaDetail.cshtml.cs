using Tuntas.P2kp;
using Tuntas.P2kp.Planning;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>
/// One PJM Pronangkis or Renta: its activities per pillar with the budget by source and the realisation, totals per
/// pillar and per source, the CSR commitment funding an activity (linked to its need); add an activity or update one
/// (e.g. its realisation).
/// </summary>
public sealed class RencanaDetailModel(ReadPlans plans, SaveActivity save) : PageModel
{
    public ReadPlans.PlanView View { get; private set; } = null!;
    public IReadOnlyList<ReadPlans.Funding> Available { get; private set; } = [];
    public IReadOnlyList<Problem> Problems { get; private set; } = [];
    public bool CanManage { get; private set; }
    public ReadPlans.ActivityView? Editing { get; private set; }

    [BindProperty] public long? ActivityId { get; set; }
    [BindProperty] public string? Pillar { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public Dictionary<string, long> Planned { get; set; } = [];
    [BindProperty] public Dictionary<string, long> Realised { get; set; } = [];
    [BindProperty] public long? CommitmentId { get; set; }
    // Text, read in the invariant culture: a number input posts "-7.43" whatever the page's language.
    [BindProperty] public string? Latitude { get; set; }
    [BindProperty] public string? Longitude { get; set; }
    [BindProperty] public long SwadayaInKind { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, long? ubah, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Editing = View.Activities.FirstOrDefault(a => a.Id == ubah);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var budget = PlanTerms.Sources.Where(s => Planned.ContainsKey(s) || Realised.ContainsKey(s))
            .ToDictionary(s => s, s => new SaveActivity.Line(Planned.GetValueOrDefault(s), Realised.GetValueOrDefault(s)));
        var outcome = await save.RunAsync(new SaveActivity.Input(id, ActivityId, Pillar, Name, budget, CommitmentId, User.UserName(), User.Role(), User.AccessScope(),
            Coordinate(Latitude), Coordinate(Longitude), SwadayaInKind), cancellationToken);
        if (outcome.Activity is not { } activity)
        {
            Problems = outcome.Problems;
            Editing = View.Activities.FirstOrDefault(a => a.Id == ActivityId);
            return Page();
        }
        AuditDetail.Set(HttpContext, $"kegiatan {activity.Name} ({activity.Pillar}) rencana {id}");
        return Redirect($"/P2kp/Rencana/{id}#kegiatan-{activity.Id}");
    }

    /// <summary>Empty → no coordinate; text that is no number → NaN, which the use case refuses as out of range.</summary>
    private static double? Coordinate(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        if (await plans.ReadAsync(id, User.AccessScope(), cancellationToken) is not { } view)
        {
            return false;
        }
        View = view;
        CanManage = P2kpAccess.MayManage(User.Role(), User.AccessScope(), view.KodeDesa);
        Available = CanManage ? await plans.AvailableFundingAsync(view.KodeDesa, cancellationToken) : [];
        return true;
    }
}

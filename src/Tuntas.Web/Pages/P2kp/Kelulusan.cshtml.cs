using Tuntas.P2kp.Performance;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>
/// Graduation beside the loan indicators (docs/p2kp.md): the KSM members' families by desil at joining and now, and how
/// many left desil 1–4 — per UPK and in total for the regency (or the user's villages), per KSM for one UPK. Counts
/// only, so every signed-in role may read it within its aggregate scope.
/// </summary>
public sealed class KelulusanModel(Graduation graduation) : PageModel
{
    public string? Upk { get; private set; }

    public Graduation.Outcome Outcome { get; private set; } = null!;

    public async Task OnGetAsync(string? upk, CancellationToken cancellationToken)
    {
        Upk = string.IsNullOrWhiteSpace(upk) ? null : upk.Trim();
        Outcome = await graduation.RunAsync(new Graduation.Input(Upk, User.AccessScope()), cancellationToken);
    }
}

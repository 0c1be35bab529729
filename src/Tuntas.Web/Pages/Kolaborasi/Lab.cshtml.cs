using Tuntas.Collaboration;
using Tuntas.Collaboration.VillageLabs;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// Villages as poverty labs: every village's status (merah / kuning / hijau / tuntas) from the regency's
/// thresholds, since when, and its graduations out of merah; the secretariat sets the thresholds here.
/// </summary>
public sealed class LabModel(VillageLab lab, IConfiguration configuration) : PageModel
{
    public IReadOnlyList<VillageLab.VillageStatus> Villages { get; private set; } = [];

    public VillageStatusThresholds Thresholds { get; private set; } = null!;

    public Problem? Problem { get; private set; }

    [BindProperty]
    public string? Indicator { get; set; }

    [BindProperty]
    public double Merah { get; set; }

    [BindProperty]
    public double Kuning { get; set; }

    [BindProperty]
    public double Hijau { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Thresholds = await lab.ThresholdsAsync(cancellationToken);
        Villages = [.. (await lab.RefreshAsync(configuration.Regency(), cancellationToken))
            .OrderBy(v => v.Status switch { VillageLab.Merah => 0, VillageLab.Kuning => 1, VillageLab.Hijau => 2, _ => 3 }).ThenByDescending(v => v.Share)];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!User.Has(CollaborationPermissions.ManageStakeholders))
        {
            return Forbid();
        }
        Problem = await lab.SetThresholdsAsync(Indicator, Merah, Kuning, Hijau, User.UserName(), cancellationToken);
        if (Problem is null)
        {
            AuditDetail.Set(HttpContext, $"ambang status desa: {Indicator} merah ≥ {Merah}, kuning ≥ {Kuning}, hijau ≥ {Hijau}");
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }
}

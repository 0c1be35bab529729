using Microsoft.Extensions.Options;
using Tuntas.Imports;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Web.Pages.Impor;

/// <summary>
/// The villages' data (<see cref="VillageImports"/>): which villages of the reader's scope have sent their file, whose
/// latest file was refused, which have nothing registered yet — the regency operator's checklist of 200 villages.
/// Folder policy: import roles.
/// </summary>
public sealed class DesaModel(TuntasDb db, IOptions<RegencyOptions> regency) : PageModel
{
    public const string Without = "belum";
    public const string Refused = "ditolak";

    /// <summary>Which villages are listed: all, those without data (<see cref="Without"/>), those whose last file was
    /// refused (<see cref="Refused"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Tampil { get; set; }

    public VillageImports.Outcome Outcome { get; private set; } = null!;

    public IReadOnlyList<VillageImports.Village> Listed { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Outcome = await VillageImports.RunAsync(db, regency.Value.Regency, User.AccessScope(), User.Has(RegistryPermissions.SeeAllImports),
            User.UserName(), cancellationToken);
        Listed = Tampil switch
        {
            Without => [.. Outcome.Villages.Where(v => !v.HasData)],
            Refused => [.. Outcome.Villages.Where(v => v.LatestRefused)],
            _ => Outcome.Villages,
        };
    }
}

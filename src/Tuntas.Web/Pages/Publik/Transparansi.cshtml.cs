using Tuntas.Programs;
using Tuntas.PublicPortal;
using Tuntas.Regions;

namespace Tuntas.Web.Pages.Publik;

/// <summary>
/// Transparency, public: the regency's kecamatan, a kecamatan's villages or one village — families in
/// the data, recipients per program, complaints and time to resolve, small counts suppressed (<see cref="Transparency"/>);
/// at the regency, the year's budget against realization per program and funding source. Open-data CSV of the same
/// table at <c>/api/public/transparency/{code}/csv</c>. Everything on it is kept by data state (<see cref="PublicCache"/>)
/// and each client is rate limited (<see cref="PublicPortal.TransparencyRateLimit"/>): an anonymous page must not be a lever on the database.
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(PublicPortal.TransparencyRateLimit.Policy)]
public sealed class TransparansiModel(Transparency transparency, BudgetRealization realization, Tuntas.Collaboration.VillageLabs.VillageLab lab, IConfiguration configuration,
    TimeProvider clock, PublicCache cache, Microsoft.Extensions.Options.IOptions<RegencyOptions> zone) : PageModel
{
    /// <summary>Each village's poverty-lab status, shown on the kecamatan page's village rows.</summary>
    public IReadOnlyDictionary<string, string> VillageStatus { get; private set; } = new Dictionary<string, string>();

    public Transparency.Outcome Report { get; private set; } = null!;

    public BudgetRealization.Outcome? Budget { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        var regency = configuration.Regency();
        var wanted = string.IsNullOrWhiteSpace(code) ? regency : code;
        // Only the regency this installation serves.
        if (RegionCode.ToDotted(wanted) is not { } dotted || !dotted.StartsWith(regency, StringComparison.Ordinal)
            || await transparency.RunAsync(dotted, cancellationToken) is not { } report)
        {
            return NotFound();
        }
        Report = report;
        if (report.Level == Region.District)
        {
            VillageStatus = await cache.GetAsync("lab|" + regency,
                async ct => (IReadOnlyDictionary<string, string>)(await lab.RefreshAsync(regency, ct)).ToDictionary(v => v.KodeDesa, v => v.Status), cancellationToken);
        }
        if (report.Level == Region.Regency)
        {
            // The regency's year: on 1 January before 07:00 WIB, UTC is still in last year.
            var year = zone.Value.Today(clock).Year;
            Budget = await cache.GetAsync("anggaran|" + year.ToString(System.Globalization.CultureInfo.InvariantCulture), ct => realization.RunAsync(year, ct), cancellationToken);
        }
        return Page();
    }

    public static string Show(long? value) => value is { } v ? v.ToString("N0", System.Globalization.CultureInfo.CurrentCulture) : "<5";
}

using Tuntas.P2kp.Performance;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>
/// P2KP performance (LOAN-BOOK-FORMAT.md §4): every UPK within the user's aggregate scope as of a date, the total over
/// them, and the regency's month-end trend of the last twelve months. Aggregates only, so every signed-in role may read it.
/// </summary>
public sealed class IndexModel(UpkPerformance performance, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public DateOnly Per { get; private set; }

    /// <summary>The date asked for was not a date: the page shows today's figures and says so.</summary>
    public bool BadDate { get; private set; }

    public UpkPerformance.Outcome Outcome { get; private set; } = null!;

    public IReadOnlyList<(DateOnly MonthEnd, UpkIndicators Total)> Trend { get; private set; } = [];

    public async Task OnGetAsync(string? per, CancellationToken cancellationToken)
    {
        var parsed = DateOnly.TryParseExact(per, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d);
        // A date that is not one (2026-02-30) is said, not silently replaced by today's figures under the typed date.
        BadDate = !string.IsNullOrWhiteSpace(per) && !parsed;
        Per = parsed ? d : regency.Value.Today(clock);
        var input = new UpkPerformance.Input(Per, null, User.AccessScope());
        Outcome = await performance.RunAsync(input, cancellationToken);
        Trend = Outcome.Upk.Count == 0 ? [] : await performance.TrendAsync(input, 12, cancellationToken);
    }

    public static string Pct(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.CurrentCulture) : "—";
}

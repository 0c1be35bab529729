using Tuntas.Programs;

namespace Tuntas.Web.Pages.Program;

/// <summary>Budget against realization for a year (<see cref="BudgetRealization"/>), per program and per funding source.</summary>
public sealed class RealisasiModel(BudgetRealization realization, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    [FromQuery(Name = "tahun")]
    public int? Year { get; set; }

    public BudgetRealization.Outcome Outcome { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // The regency's year: on 1 January before 07:00 WIB, UTC is still in last year.
        var year = Year is >= 2000 and <= 2100 ? Year.Value : regency.Value.Today(clock).Year;
        Outcome = await realization.RunAsync(year, cancellationToken);
    }
}

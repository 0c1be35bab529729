using Tuntas.Programs;

namespace Tuntas.Web.Pages.Program;

/// <summary>Budget against realization for a year (<see cref="BudgetRealization"/>), per program and per funding source.</summary>
public sealed class RealisasiModel(BudgetRealization realization, TimeProvider clock) : PageModel
{
    [FromQuery(Name = "tahun")]
    public int? Year { get; set; }

    public BudgetRealization.Outcome Outcome { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var year = Year is >= 2000 and <= 2100 ? Year.Value : clock.GetUtcNow().Year;
        Outcome = await realization.RunAsync(year, cancellationToken);
    }
}

using Tuntas.Programs;

namespace Tuntas.Web.Pages.Program;

/// <summary>The integration matrix (<see cref="OverlapMatrix"/>): families receiving both of two programs; counts only.</summary>
public sealed class TumpangTindihModel(OverlapMatrix overlap) : PageModel
{
    public OverlapMatrix.Outcome Matrix { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Matrix = await overlap.RunAsync(cancellationToken);
}

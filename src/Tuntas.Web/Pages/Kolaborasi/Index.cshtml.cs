using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>The Forum CSR view (§5): committed against delivered per company, village and sector; all helixes with <c>?heliks=</c>.</summary>
public sealed class IndexModel(ForumCsrReport report) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Heliks { get; set; } = "swasta";

    [BindProperty(SupportsGet = true)]
    public int? Tahun { get; set; }

    public ForumCsrReport.Outcome Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Report = await report.RunAsync(Tahun, string.IsNullOrWhiteSpace(Heliks) || Heliks == "semua" ? null : Heliks, cancellationToken);
}

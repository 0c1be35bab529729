using Microsoft.AspNetCore.Mvc.RazorPages;
using Tuntas.Regions;
using Tuntas.Web.Security;

namespace Tuntas.Web.Pages;

/// <summary>Beranda: the regency (<c>Tuntas:Regency</c>, default 33.14) with families and persons per kecamatan.</summary>
public sealed class IndexModel(RegionCounts regionCounts, IConfiguration configuration) : PageModel
{
    public RegionCounts.Outcome? Counts { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var regency = configuration["Tuntas:Regency"] is { Length: > 0 } code ? code : "33.14";
        Counts = await regionCounts.RunAsync(new RegionCounts.Input(regency, User.RegionScope()), cancellationToken);
    }
}

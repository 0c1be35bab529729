using Microsoft.Extensions.FileProviders;
using Tuntas.Dashboard;

namespace Tuntas.Web.Dashboard;

/// <summary>What the dashboard partial shows: the read outcome and the village boundary file of its regency, if shipped.</summary>
public sealed record DashboardView(ReadDashboard.Outcome Outcome, string? GeoFile)
{
    /// <summary>
    /// <c>/geo/villages_3314_*.geojson</c> for a region of regency 33.14 (the files of <c>wwwroot/geo</c>, see its
    /// SOURCES.md), or null when none is shipped for that regency.
    /// </summary>
    public static string? GeoFileFor(IWebHostEnvironment environment, string regionCode)
    {
        if (regionCode.Length < 5)
        {
            return null;
        }
        var prefix = "villages_" + regionCode[..5].Replace(".", "", StringComparison.Ordinal) + "_";
        return environment.WebRootFileProvider.GetDirectoryContents("geo")
            .Where(f => !f.IsDirectory && f.Name.StartsWith(prefix, StringComparison.Ordinal) && f.Name.EndsWith(".geojson", StringComparison.Ordinal))
            .Select(f => "/geo/" + f.Name)
            .FirstOrDefault();
    }
}

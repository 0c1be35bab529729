using Microsoft.Extensions.Options;
using Tuntas.Regions;

namespace Tuntas.Web.Display;

/// <summary>
/// Stored times (UTC) as the regency reads them: converted to its zone (<c>Tuntas:TimeZone</c>) and followed by the zone's
/// name (WIB, WITA, WIT), so a time on the dashboard, an import, an audit entry and a complaint means the same hour.
/// Every page has the regency's settings as <c>Zone</c> (<c>_ViewImports.cshtml</c>).
/// </summary>
public static class ZoneTimes
{
    public const string Minutes = "yyyy-MM-dd HH:mm";

    public static string Time(this IOptions<RegencyOptions> zone, DateTime utc, string format = Minutes) =>
        zone.Value.ToRegency(utc).ToString(format, format == Minutes || format.StartsWith("yyyy", StringComparison.Ordinal) ? CultureInfo.InvariantCulture : CultureInfo.CurrentCulture)
        + " " + zone.Value.ZoneLabel;

    public static string Time(this IOptions<RegencyOptions> zone, DateTime? utc, string format = Minutes) => utc is { } t ? zone.Time(t, format) : "—";

    /// <summary>The regency's calendar day of a stored time: near midnight UTC it is already the next day in WIB.</summary>
    public static string Day(this IOptions<RegencyOptions> zone, DateTime utc) => zone.Value.ToRegency(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

using System.Runtime.CompilerServices;
using Tuntas.Regions;

namespace Tuntas.Web;

/// <summary>
/// The regency's settings (<see cref="RegencyOptions"/>, owned by Core) read where a page or endpoint has the
/// configuration at hand. Bound once per configuration object, so a page that converts fifty times reads it once.
/// </summary>
public static class RegencySetting
{
    private static readonly ConditionalWeakTable<IConfiguration, RegencyOptions> _bound = [];

    public static RegencyOptions RegencyOptions(this IConfiguration configuration) =>
        _bound.GetValue(configuration, Tuntas.Regions.RegencyOptions.FromConfiguration);

    /// <summary>The regency this installation serves (<c>Tuntas:Regency</c>; default 33.14 Sragen, the demo).</summary>
    public static string Regency(this IConfiguration configuration) => configuration.RegencyOptions().Regency;

    /// <summary>A time typed in the regency (a datetime-local field) as UTC.</summary>
    public static DateTime ToUtc(this IConfiguration configuration, DateTime local) => configuration.RegencyOptions().ToUtc(local);

    /// <summary>A stored UTC time as the regency reads it.</summary>
    public static DateTime ToRegency(this IConfiguration configuration, DateTime utc) => configuration.RegencyOptions().ToRegency(utc);

    /// <summary>WIB, WITA, WIT; otherwise the zone's id.</summary>
    public static string ZoneLabel(this IConfiguration configuration) => configuration.RegencyOptions().ZoneLabel;
}

namespace Tuntas.Web;

/// <summary>
/// The regency's clock (<c>Tuntas:TimeZone</c>, an IANA zone; default Asia/Jakarta, WIB). Times are stored in UTC;
/// people type and read them in the regency's time — a musdes "at 19:00" is 19:00 WIB, not 19:00 UTC (WITA and WIT
/// regencies set Asia/Makassar or Asia/Jayapura).
/// </summary>
public static class RegencyTime
{
    public const string DefaultZone = "Asia/Jakarta";

    public static TimeZoneInfo Zone(this IConfiguration configuration) =>
        TimeZoneInfo.FindSystemTimeZoneById(configuration["Tuntas:TimeZone"] is { Length: > 0 } zone ? zone : DefaultZone);

    /// <summary>A time typed in the regency (a datetime-local field) as UTC.</summary>
    public static DateTime ToUtc(this IConfiguration configuration, DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), configuration.Zone());

    /// <summary>A stored UTC time as the regency reads it.</summary>
    public static DateTime ToRegency(this IConfiguration configuration, DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), configuration.Zone());

    /// <summary>How people name the zone: WIB, WITA, WIT; otherwise its id.</summary>
    public static string ZoneLabel(this IConfiguration configuration) => configuration.Zone().Id switch
    {
        "Asia/Jakarta" or "Asia/Pontianak" => "WIB",
        "Asia/Makassar" => "WITA",
        "Asia/Jayapura" => "WIT",
        var id => id,
    };
}

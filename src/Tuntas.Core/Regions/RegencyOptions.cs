using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Tuntas.Regions;

/// <summary>
/// The regency this installation serves and its clock, from the configuration section <c>Tuntas</c>:
/// <c>Regency</c> (a Kemendagri regency code; default 33.14 Sragen, the demo) and <c>TimeZone</c> (an IANA zone; default
/// Asia/Jakarta, WIB — WITA and WIT regencies set Asia/Makassar or Asia/Jayapura). Times are stored in UTC; people type
/// and read them in the regency's time, and "today" — the day a birth date is judged against, a visit is counted on, a
/// family was last verified — is the regency's day, not the server's: a musdes "at 19:00" is 19:00 WIB, not 19:00 UTC.
/// The web app binds it as <see cref="IOptions{TOptions}"/>; the CLI reads the same section with
/// <see cref="FromConfiguration"/>; a use case built without it (a test) uses <see cref="Default"/>.
/// </summary>
public sealed class RegencyOptions
{
    public const string Section = "Tuntas";

    public static RegencyOptions Default { get; } = new();

    public string Regency { get; set; } = "33.14";

    public string TimeZone { get; set; } = "Asia/Jakarta";

    private TimeZoneInfo? _zone;

    /// <summary>The zone; an unknown id fails at start-up (<see cref="Validate"/>), not on the first page that shows a time.</summary>
    public TimeZoneInfo Zone => _zone ??= TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>Today's date in the regency.</summary>
    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToRegency(clock.GetUtcNow().UtcDateTime));

    /// <summary>A time typed in the regency (a datetime-local field) as UTC.</summary>
    public DateTime ToUtc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);

    /// <summary>A stored UTC time as the regency reads it.</summary>
    public DateTime ToRegency(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>How people name the zone: WIB, WITA, WIT; otherwise its id.</summary>
    public string ZoneLabel => Zone.Id switch
    {
        "Asia/Jakarta" or "Asia/Pontianak" => "WIB",
        "Asia/Makassar" => "WITA",
        "Asia/Jayapura" => "WIT",
        var id => id,
    };

    /// <summary>The options of a use case: the host's, or <see cref="Default"/> when it was built without them.</summary>
    public static RegencyOptions Of(IOptions<RegencyOptions>? options) => options?.Value ?? Default;

    public static RegencyOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new RegencyOptions();
        configuration.GetSection(Section).Bind(options);
        options.Normalize();
        return options;
    }

    /// <summary>Empty settings take the defaults; 3314 is written 33.14, as region codes are stored.</summary>
    public void Normalize()
    {
        Regency = string.IsNullOrWhiteSpace(Regency) ? Default.Regency : RegionCode.ToDotted(Regency) ?? Regency.Trim();
        TimeZone = string.IsNullOrWhiteSpace(TimeZone) ? Default.TimeZone : TimeZone.Trim();
        _zone = null;
    }

    /// <summary>Null when valid; otherwise what is wrong, in both languages.</summary>
    public string? Validate()
    {
        if (RegionCode.ToDotted(Regency) is not { Length: 5 })
        {
            return $"Tuntas:Regency '{Regency}' bukan kode kabupaten Kemendagri (contoh 33.14) / is not a Kemendagri regency code (e.g. 33.14).";
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _)
            ? null
            : $"Tuntas:TimeZone '{TimeZone}' bukan zona waktu IANA (Asia/Jakarta, Asia/Makassar, Asia/Jayapura) / is not an IANA time zone.";
    }
}

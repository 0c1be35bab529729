using Microsoft.Extensions.Configuration;
using Tuntas.Core.Tests.Imports;
using Tuntas.Regions;

namespace Tuntas.Core.Tests.Regions;

/// <summary>The regency's settings: its code and the day as the regency lives it, whatever the server's zone.</summary>
public sealed class RegencyOptionsTests
{
    private static RegencyOptions From(params (string Key, string Value)[] settings) =>
        RegencyOptions.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Today_is_the_regencys_day_not_the_servers()
    {
        // 16:30 UTC is 23:30 WIB (still 1 March) and 00:30 WITA (already 2 March).
        var clock = new FixedClock(new DateTimeOffset(2027, 3, 1, 16, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2027, 3, 1), From().Today(clock));
        Assert.Equal(new DateOnly(2027, 3, 2), From(("Tuntas:TimeZone", "Asia/Makassar")).Today(clock));
        Assert.Equal("WITA", From(("Tuntas:TimeZone", "Asia/Makassar")).ZoneLabel);
        Assert.Equal("WIB", RegencyOptions.Default.ZoneLabel);
    }

    [Fact]
    public void A_time_typed_in_the_regency_is_stored_in_utc_and_read_back()
    {
        var wit = From(("Tuntas:TimeZone", "Asia/Jayapura"));
        var utc = wit.ToUtc(new DateTime(2027, 3, 1, 19, 0, 0));
        Assert.Equal(new DateTime(2027, 3, 1, 10, 0, 0, DateTimeKind.Utc), utc);
        Assert.Equal(new DateTime(2027, 3, 1, 19, 0, 0), wit.ToRegency(utc));
    }

    [Fact]
    public void Settings_are_normalised_and_checked()
    {
        Assert.Equal("33.14", From().Regency);
        Assert.Equal("35.03", From(("Tuntas:Regency", "3503")).Regency);
        Assert.Null(From(("Tuntas:Regency", "35.03"), ("Tuntas:TimeZone", "Asia/Makassar")).Validate());
        Assert.Contains("TimeZone", From(("Tuntas:TimeZone", "Mars/Olympus")).Validate(), StringComparison.Ordinal);
        Assert.Contains("Regency", From(("Tuntas:Regency", "33.14.01")).Validate(), StringComparison.Ordinal);
    }
}

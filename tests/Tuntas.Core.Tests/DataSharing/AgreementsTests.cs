using Microsoft.Extensions.Options;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.Regions;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Core.Tests.DataSharing;

/// <summary>A data-sharing agreement's dates are the regency's days: in WIB's morning UTC's date is still yesterday.</summary>
public sealed class AgreementsTests
{
    private const string Keden = "33.14.01.2001";

    /// <summary>06:30 WIB on 11 March 2026, 23:30 UTC on the 10th.</summary>
    private static readonly FixedClock _morning = new(new DateTimeOffset(2026, 3, 10, 23, 30, 0, TimeSpan.Zero));

    private static readonly IOptions<RegencyOptions> _wib = Options.Create(RegencyOptions.Default);

    private static RecordAgreement.Input Agreement(string number, DateOnly startsOn, DateOnly endsOn) =>
        new(number, "PT Uji Peduli", "Verifikasi calon penerima bedah rumah CSR", startsOn, endsOn, [Keden], [], "uji");

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_agreement_that_ended_yesterday_in_the_regency_is_refused_in_wibs_morning(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await using var db = test.Database.CreateDb();
        var record = new RecordAgreement(db, _morning, _wib);

        var ended = await record.RunAsync(Agreement("PKS/UJI/1", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 10)), CancellationToken.None);
        Assert.Contains(ended.Problems, p => p.Code == "AGREEMENT_ENDED");

        var endsToday = await record.RunAsync(Agreement("PKS/UJI/2", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 11)), CancellationToken.None);
        Assert.True(endsToday.Succeeded, string.Join("; ", endsToday.Problems.Select(p => p.Code)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_agreement_of_today_shares_its_village_with_the_partner_in_wibs_morning(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await using var db = test.Database.CreateDb();
        var today = new DateOnly(2026, 3, 11);
        Assert.True((await new RecordAgreement(db, _morning, _wib).RunAsync(Agreement("PKS/UJI/3", today, today), CancellationToken.None)).Succeeded);

        var scope = await new ResolveAccessScope(db, _morning, _wib).RunAsync(new ResolveAccessScope.Input(null, Roles.Partner, null, "PT Uji Peduli"),
            CancellationToken.None);

        Assert.Equal([Keden], scope.Regions);
    }
}

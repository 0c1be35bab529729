using Tuntas.Demo;
using Tuntas.Users;

namespace Tuntas.Web;

/// <summary>
/// Demo mode (<c>Demo:Enabled</c>, true in appsettings.json so that <c>dotnet run</c> shows a working back office):
/// makes sure an administrator exists (<c>Demo:AdminUser</c> / <c>Demo:AdminPassword</c>, default admin / tuntas-demo)
/// and fills the registry with a generated demo regency on the first run. Never enable it on real data.
/// </summary>
public sealed class DemoSeeding(TuntasDb db, TuntasDatabase database, TimeProvider clock, AddUser addUser, Tuntas.Targeting.Runs.RunTargeting runTargeting,
    Tuntas.Collaboration.SeedDemoCollaboration seedCollaboration, IConfiguration configuration, ILogger<DemoSeeding> logger,
    Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> zone)
{
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Demo:Enabled", defaultValue: false);

    public static (string User, string Password) AdminCredentials(IConfiguration configuration) =>
        (configuration["Demo:AdminUser"] is { Length: > 0 } user ? user : "admin",
         configuration["Demo:AdminPassword"] is { Length: > 0 } password ? password : "tuntas-demo");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await EnsureAdministratorAsync(cancellationToken);
        var regency = configuration.Regency();
        if (!await db.Families.AnyAsync(cancellationToken))
        {
            // First run only: never touch a registry that already has data.
            await SeedDemoRegistryAsync(regency, cancellationToken);
            await SeedDemoUsersAsync(regency, cancellationToken);
            await SeedDemoWorkAsync(regency, cancellationToken);
        }
    }

    private const string DemoAgency = "Dinas Sosial Kabupaten";
    private const string DemoPartner = "PT Contoh Peduli";

    /// <summary>User names of the demo accounts, one per role besides the administrator, with the administrator's password.</summary>
    public static readonly IReadOnlyList<(string UserName, string Role)> DemoUsers =
    [
        ("koordinator", Roles.TkpkdCoordinator), ("petugas", Roles.AgencyOfficer), ("operator", Roles.VillageOperator),
        ("pendamping", Roles.Facilitator), ("mitra", Roles.Partner), ("auditor", Roles.Auditor),
    ];

    /// <summary>
    /// One demo account per role so that each can be tried: the village operator in the regency's first village, the
    /// facilitator assigned to the first two villages of the second kecamatan, the agency officer in "Dinas Sosial
    /// Kabupaten" (owner of UEP), the partner "PT Contoh Peduli" with a one-year agreement sharing the first village.
    /// </summary>
    private async Task SeedDemoUsersAsync(string regency, CancellationToken cancellationToken)
    {
        var (_, password) = AdminCredentials(configuration);
        var villages = await db.Regions.AsNoTracking().Where(r => r.Level == Tuntas.Regions.Region.Village && r.Code.StartsWith(regency + "."))
            .OrderBy(r => r.Code).Select(r => r.Code).ToListAsync(cancellationToken);
        if (villages.Count == 0)
        {
            return;
        }
        var secondDistrict = villages.Select(Tuntas.Regions.RegionCode.DistrictOf).Distinct().Skip(1).FirstOrDefault() ?? Tuntas.Regions.RegionCode.DistrictOf(villages[0]);
        var facilitatorVillages = villages.Where(v => v.StartsWith(secondDistrict + ".", StringComparison.Ordinal)).Take(2).ToList();
        // The regency's day: the demo agreement starts today in WIB even when seeded in the morning, still yesterday in UTC.
        var today = zone.Value.Today(clock);
        foreach (var (name, role) in DemoUsers)
        {
            var (region, organization) = role switch
            {
                Roles.VillageOperator => (villages[0], null),
                Roles.AgencyOfficer => (null, DemoAgency),
                Roles.Partner => (null, DemoPartner),
                _ => ((string?)null, (string?)null),
            };
            var outcome = await addUser.RunAsync(new AddUser.Input(name, name + " (demo)", password, role, region, organization, DemoAccount: true), cancellationToken);
            if (outcome.User is { } user && role == Roles.Facilitator)
            {
                await new Tuntas.Access.AssignVillages(db, clock).RunAsync(new Tuntas.Access.AssignVillages.Input(user.Id, facilitatorVillages, "demo"), cancellationToken);
            }
        }
        await new Tuntas.Access.RecordAgreement(db, clock, zone).RunAsync(new Tuntas.Access.RecordAgreement.Input("DEMO/PKS/001", DemoPartner,
            "Contoh: verifikasi calon penerima program bedah rumah CSR", today, today.AddYears(1), [villages[0]], [], "demo"), cancellationToken);
        logger.LogInformation("Demo users created: {Users}", string.Join(", ", DemoUsers.Select(u => u.UserName)));
    }

    private async Task EnsureAdministratorAsync(CancellationToken cancellationToken)
    {
        var (user, password) = AdminCredentials(configuration);
        var name = AddUser.NormalizeUserName(user);
        if (await db.Users.AnyAsync(u => u.UserName == name, cancellationToken))
        {
            return;
        }
        var outcome = await addUser.RunAsync(new AddUser.Input(name, "Administrator (demo)", password, Roles.Administrator, DemoAccount: true), cancellationToken);
        if (outcome.Succeeded)
        {
            logger.LogInformation("Demo administrator {UserName} created", name);
        }
        else
        {
            logger.LogError("Demo administrator not created: {Problems}", string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
        }
    }

    /// <summary>
    /// What a regency has after its first weeks, so that every page shows something: one targeting run (desil, the
    /// BPS criteria, eligibility; the demo recipients came with the registry), and the collaboration of the helixes
    /// (<see cref="Tuntas.Collaboration.SeedDemoCollaboration"/>) around the demo users' organizations.
    /// </summary>
    private async Task SeedDemoWorkAsync(string regency, CancellationToken cancellationToken)
    {
        if (!await db.Families.AnyAsync(cancellationToken))
        {
            return;
        }
        var run = await runTargeting.RunAsync(new Tuntas.Targeting.Runs.RunTargeting.Input("demo"), cancellationToken);
        var villages = (await db.Regions.AsNoTracking().Where(r => r.Level == Tuntas.Regions.Region.Village && r.Code.StartsWith(regency + "."))
            .OrderBy(r => r.Code).Select(r => new { r.Code, r.Name }).ToListAsync(cancellationToken)).Select(r => (r.Code, r.Name)).ToList();
        var collaboration = await seedCollaboration.RunAsync(regency, villages, DemoAgency, DemoPartner, cancellationToken);
        // P2KP: a small UPK loan book in the first villages (docs/p2kp.md).
        await new Tuntas.P2kp.LoanBook.SeedDemoLoanBook(database, clock, zone).RunAsync([.. villages.Select(v => v.Code)], cancellationToken);
        logger.LogInformation("Contoh kerja / demo work: targeting run #{Run}, {Stakeholders} stakeholders, {Needs} needs, {Commitments} commitments, {Meetings} meetings",
            run.Id, collaboration.Stakeholders, collaboration.Needs, collaboration.Commitments, collaboration.Meetings);
    }

    /// <summary>
    /// Generates the demo regency (<c>Demo:Families</c>, default 30,000 families; <c>Demo:Seed</c>) over its real
    /// villages and loads it through the real import, so it is validated and historied like a regency's own file.
    /// </summary>
    private async Task SeedDemoRegistryAsync(string regencyCode, CancellationToken cancellationToken)
    {
        var families = configuration.GetValue("Demo:Families", 30_000);
        var seed = configuration.GetValue("Demo:Seed", 1);
        logger.LogInformation("Membuat data contoh {Regency}: {Families} keluarga / generating demo regency", regencyCode, families);
        var started = clock.GetTimestamp();
        var outcome = await new SeedDemoRegistry(database, clock, zone).RunAsync(
            new GenerateDemoRegistry.Input(regencyCode, families, seed), null, cancellationToken);
        var report = outcome.Import;
        if (report.Committed)
        {
            logger.LogInformation("Data contoh siap / demo registry ready: {Regency}, {Families} keluarga, {Persons} jiwa, {Villages} desa, P0 {P0:0.00}% in {Seconds:0.0} s",
                outcome.Generated.RegencyName, report.Families.Added, report.Persons.Added, outcome.Generated.Villages,
                outcome.Generated.AchievedP0, clock.GetElapsedTime(started).TotalSeconds);
        }
        else
        {
            logger.LogError("Data contoh gagal dimuat / demo registry not loaded: {Failure} ({Errors} errors)", report.Failure, report.ErrorCount);
        }
    }
}

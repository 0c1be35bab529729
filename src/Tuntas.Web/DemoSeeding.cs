using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Demo;
using Tuntas.Users;

namespace Tuntas.Web;

/// <summary>
/// Demo mode (<c>Demo:Enabled</c>, true in appsettings.json so that <c>dotnet run</c> shows a working back office):
/// makes sure an administrator exists (<c>Demo:AdminUser</c> / <c>Demo:AdminPassword</c>, default admin / tuntas-demo)
/// and fills the registry with a generated demo regency on the first run. Never enable it on real data.
/// </summary>
public sealed class DemoSeeding(TuntasDb db, TuntasDatabase database, TimeProvider clock, AddUser addUser, IConfiguration configuration, ILogger<DemoSeeding> logger)
{
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Demo:Enabled", defaultValue: false);

    public static (string User, string Password) AdminCredentials(IConfiguration configuration) =>
        (configuration["Demo:AdminUser"] is { Length: > 0 } user ? user : "admin",
         configuration["Demo:AdminPassword"] is { Length: > 0 } password ? password : "tuntas-demo");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await EnsureAdministratorAsync(cancellationToken);
        if (await db.Families.AnyAsync(cancellationToken))
        {
            return; // first run only: never touch a registry that already has data
        }
        var regency = configuration["Tuntas:Regency"] is { Length: > 0 } code ? code : "33.14";
        await SeedDemoRegistryAsync(regency, cancellationToken);
    }

    private async Task EnsureAdministratorAsync(CancellationToken cancellationToken)
    {
        var (user, password) = AdminCredentials(configuration);
        var name = AddUser.NormalizeUserName(user);
        if (await db.Users.AnyAsync(u => u.UserName == name, cancellationToken))
        {
            return;
        }
        var outcome = await addUser.RunAsync(new AddUser.Input(name, "Administrator (demo)", password, Roles.Administrator), cancellationToken);
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
    /// Generates the demo regency (<c>Demo:Families</c>, default 30,000 families; <c>Demo:Seed</c>) over its real
    /// villages and loads it through the real import, so it is validated and historied like a regency's own file.
    /// </summary>
    private async Task SeedDemoRegistryAsync(string regencyCode, CancellationToken cancellationToken)
    {
        var families = configuration.GetValue("Demo:Families", 30_000);
        var seed = configuration.GetValue("Demo:Seed", 1);
        logger.LogInformation("Membuat data contoh {Regency}: {Families} keluarga / generating demo regency", regencyCode, families);
        var started = clock.GetTimestamp();
        var outcome = await new SeedDemoRegistry(database, clock).RunAsync(
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

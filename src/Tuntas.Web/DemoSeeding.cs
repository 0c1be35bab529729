using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Users;

namespace Tuntas.Web;

/// <summary>
/// Demo mode (<c>Demo:Enabled</c>, true in appsettings.json so that <c>dotnet run</c> shows a working back office):
/// makes sure an administrator exists (<c>Demo:AdminUser</c> / <c>Demo:AdminPassword</c>, default admin / tuntas-demo)
/// and fills the registry with a generated demo regency on the first run. Never enable it on real data.
/// </summary>
public sealed class DemoSeeding(TuntasDb db, AddUser addUser, IConfiguration configuration, ILogger<DemoSeeding> logger)
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
    /// SEAM (wired by the lead at merge): generate the demo regency with <c>Tuntas.Demo.GenerateDemoRegistry</c> into a
    /// temporary CSV and load it with <c>Tuntas.Imports.ImportFamilies</c> (ChangedBy "demo"), then delete the file.
    /// </summary>
    private Task SeedDemoRegistryAsync(string regencyCode, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        logger.LogWarning("demo registry seeding not wired (regency {Regency})", regencyCode);
        return Task.CompletedTask;
    }
}

using Tuntas.Regions;

namespace Tuntas.Web;

/// <summary>What the web app does before it answers: migrate, load the region table, and in demo mode seed a demo regency.</summary>
public static class StartUp
{
    public static async Task PrepareDatabaseAsync(WebApplication app)
    {
        var database = app.Services.GetRequiredService<TuntasDatabase>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartUp));
        var applied = await new Migrator(database).MigrateAsync();
        if (applied.Count > 0)
        {
            logger.LogInformation("Migrations applied: {Migrations}", string.Join(", ", applied));
        }
        var regions = await new LoadRegions(database).RunAsync();
        if (regions.Loaded)
        {
            logger.LogInformation("Region table loaded: {Regions} regions", regions.RegionsInFile);
        }
        if (await new Targeting.SeedTargetingDefaults(database, app.Services.GetRequiredService<TimeProvider>()).RunAsync(CancellationToken.None))
        {
            logger.LogInformation("Default targeting models and eligibility rules saved");
        }
        if (await new Programs.SeedPrograms(database, app.Services.GetRequiredService<TimeProvider>()).RunAsync(CancellationToken.None) > 0)
        {
            logger.LogInformation("Default program catalogue saved");
        }
        // What a crash left between an attachment file and its row (AttachmentStore) is settled before anything is served.
        await using (var db = database.CreateDb())
        {
            var swept = await app.Services.GetRequiredService<Tuntas.Attachments.AttachmentStore>()
                .SweepAsync(db, app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, CancellationToken.None);
            if (swept.Published + swept.Removed > 0)
            {
                logger.LogWarning("Attachment sweep: {Published} published after their row was committed, {Removed} orphans removed", swept.Published, swept.Removed);
            }
        }
        if (DemoSeeding.IsEnabled(app.Configuration))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeding>().RunAsync(CancellationToken.None);
        }
    }

    public static void PrintHowToSignIn(WebApplication app)
    {
        var url = app.Urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) ?? app.Urls.FirstOrDefault() ?? "http://localhost:5000";
        url = url.Replace("://127.0.0.1", "://localhost", StringComparison.Ordinal).Replace("://[::1]", "://localhost", StringComparison.Ordinal);
        if (DemoSeeding.IsEnabled(app.Configuration))
        {
            var (user, password) = DemoSeeding.AdminCredentials(app.Configuration);
            Console.WriteLine($"Masuk di {url} dengan {user} / {password}");
            Console.WriteLine($"Sign in at {url} as {user} / {password}");
            Console.WriteLine("Akun contoh per peran / demo account per role (kata sandi sama / same password): "
                + string.Join(", ", DemoSeeding.DemoUsers.Select(u => $"{u.UserName} ({u.Role})")));
        }
        else
        {
            Console.WriteLine($"Tuntas berjalan di {url} (buat pengguna dengan `tuntas users add`)");
        }
    }
}

namespace Tuntas.Cli.Commands;

/// <summary><c>tuntas db migrate</c>: apply pending migrations and load the region table.</summary>
public static class DbCommands
{
    public static Command Create(CliContext context)
    {
        var migrate = new Command("migrate", "Terapkan migrasi skema dan muat tabel wilayah / apply migrations and load regions");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            var database = context.Database;
            var applied = await new Data.Migrator(database).MigrateAsync(cancellationToken);
            var regions = await new Regions.LoadRegions(database).RunAsync(cancellationToken);
            if (await new Targeting.SeedTargetingDefaults(database, context.Clock).RunAsync(cancellationToken))
            {
                context.Error.WriteLine("Model penargetan dan aturan kelayakan bawaan disimpan / default targeting models and rules saved.");
            }
            if (await new Programs.SeedPrograms(database, context.Clock).RunAsync(cancellationToken) is > 0 and var programs)
            {
                context.Error.WriteLine($"Katalog program bawaan disimpan / default programs saved: {programs}");
            }
            context.Error.WriteLine(applied.Count == 0
                ? "Skema sudah mutakhir / schema up to date."
                : "Migrasi diterapkan / applied: " + string.Join(", ", applied));
            context.Error.WriteLine(regions.Loaded
                ? $"Wilayah dimuat / regions loaded: {regions.RegionsInFile}"
                : $"Wilayah sudah lengkap / regions complete: {regions.RegionsBefore}");
            return 0;
        });
        var db = new Command("db", "Basis data / database");
        db.Subcommands.Add(migrate);
        return db;
    }
}

namespace Tuntas.Cli.Commands;

/// <summary><c>tuntas db migrate</c>: apply pending migrations and load the region table.</summary>
public static class DbCommands
{
    public static Command Create(CliContext context)
    {
        var migrate = new Command("migrate", CliTexts.Both("Db.Command.Migrate"));
        migrate.SetAction(async (_, cancellationToken) =>
        {
            var database = context.Database;
            var applied = await new Data.Migrator(database).MigrateAsync(cancellationToken);
            var regions = await new Regions.LoadRegions(database).RunAsync(cancellationToken);
            if (await new Targeting.SeedTargetingDefaults(database, context.Clock).RunAsync(cancellationToken))
            {
                context.Error.WriteLine(CliTexts.Both("Db.TargetingDefaultsSaved"));
            }
            if (await new Programs.SeedPrograms(database, context.Clock).RunAsync(cancellationToken) is > 0 and var programs)
            {
                context.Error.WriteLine(CliTexts.Both("Db.ProgramsSaved", programs));
            }
            context.Error.WriteLine(applied.Count == 0
                ? CliTexts.Both("Db.SchemaUpToDate")
                : CliTexts.Both("Db.MigrationsApplied", string.Join(", ", applied)));
            context.Error.WriteLine(regions.Loaded
                ? CliTexts.Both("Db.RegionsLoaded", regions.RegionsInFile)
                : CliTexts.Both("Db.RegionsComplete", regions.RegionsBefore));
            return 0;
        });
        var db = new Command("db", CliTexts.Both("Db.Command.Db"));
        db.Subcommands.Add(migrate);
        return db;
    }
}

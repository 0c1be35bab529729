using Microsoft.Extensions.Configuration;
using Tuntas.Data;
using Tuntas.Regions;

namespace Tuntas.Cli;

/// <summary>
/// What every command needs: configuration (an optional <c>appsettings.json</c> / <c>tuntas.json</c> in the current
/// folder, then environment variables such as <c>Database__Provider</c> and <c>ConnectionStrings__Tuntas</c>), the
/// database, and where human text goes (standard error; standard output is kept for <c>--json</c>).
/// </summary>
public sealed class CliContext(TextWriter output, TextWriter error, IConfiguration configuration)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public IConfiguration Configuration { get; } = configuration;
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>True when standard error is a terminal: progress bars are drawn only then.</summary>
    public bool Interactive { get; init; }

    public static CliContext FromEnvironment() => new(Console.Out, Console.Error, new ConfigurationBuilder()
        .SetBasePath(Directory.GetCurrentDirectory())
        .AddJsonFile("appsettings.json", optional: true)
        .AddJsonFile("tuntas.json", optional: true)
        .AddEnvironmentVariables()
        .Build())
    {
        Interactive = !Console.IsErrorRedirected,
    };

    public TuntasDatabase Database => TuntasDatabase.FromConfiguration(Configuration, Directory.GetCurrentDirectory());

    /// <summary>The regency and its time zone, from the same section as the web app's (<c>Tuntas</c>).</summary>
    public Microsoft.Extensions.Options.IOptions<Regions.RegencyOptions> Regency =>
        Microsoft.Extensions.Options.Options.Create(Regions.RegencyOptions.FromConfiguration(Configuration));

    /// <summary>The audit key, from the same place as the web app's (<c>Audit:KeyFile</c>, else beside the database).</summary>
    public Audit.AuditKey AuditKey => Audit.AuditKey.FromConfiguration(Configuration, Directory.GetCurrentDirectory(), Database);

    /// <summary>The audit checkpoint file of this database (<c>Audit:CheckpointFile</c>, else beside the database).</summary>
    public string AuditCheckpointFile => Audit.WriteCheckpoint.FileFromConfiguration(Configuration, Directory.GetCurrentDirectory(), Database);

    /// <summary>
    /// Brings the schema, the region table and the seeded defaults up to date. An up-to-date database is recognised by one
    /// cheap query (<see cref="Migrator.IsReadyAsync"/>), so an everyday command does not pay for the full preparation.
    /// </summary>
    public async Task<TuntasDatabase> ReadyDatabaseAsync(CancellationToken cancellationToken)
    {
        var database = Database;
        var migrator = new Migrator(database);
        if (await migrator.IsReadyAsync(cancellationToken))
        {
            return database;
        }
        await migrator.MigrateAsync(cancellationToken);
        await new LoadRegions(database).RunAsync(cancellationToken);
        await new Targeting.SeedTargetingDefaults(database, Clock).RunAsync(cancellationToken);
        await new Programs.SeedPrograms(database, Clock).RunAsync(cancellationToken);
        return database;
    }

    /// <summary>Records a CLI action in the audit trail (origin "cli"), like the web app does for requests.</summary>
    public async Task AuditAsync(Data.TuntasDatabase database, string? user, string action, string? subjectType, string? subjectId, string? detail,
        CancellationToken cancellationToken) =>
        await new Audit.AppendAudit(database, Clock, AuditKey).RunAsync(new Audit.AppendAudit.Input(Operator(user), action, subjectType, subjectId, detail, Origin: "cli"), cancellationToken);

    /// <summary>Who the change history names for CLI work: <c>--user</c>, else the operating-system account.</summary>
    public static string Operator(string? user) => user is { Length: > 0 } ? user : "cli:" + Environment.UserName;
}

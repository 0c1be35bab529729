using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Tuntas.Data;

/// <summary>
/// The one place where the database provider is chosen (ARCHITECTURE §3): <c>Database:Provider</c> = <c>Sqlite</c> (default,
/// a file under <c>App_Data/</c>) or <c>Postgres</c>, and <c>ConnectionStrings:Tuntas</c>. Environment variables
/// <c>Database__Provider</c> and <c>ConnectionStrings__Tuntas</c> override both through the normal configuration chain.
/// </summary>
public sealed record TuntasDatabase(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqliteFile = "App_Data/tuntas.db";

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    /// <summary>What this database's raw SQL says in its own words (<see cref="SqlDialect"/>).</summary>
    public SqlDialect Dialect => SqlDialect.Of(Provider);

    /// <summary>
    /// A date as a raw command's parameter: SQLite keeps dates as ISO text (EF Core's own storage, so SQL compares them
    /// as text), PostgreSQL as <c>date</c>.
    /// </summary>
    public object DateParameter(DateOnly value) => Dialect.Date(value);

    /// <summary>A UTC time as a raw command's parameter: ISO text on SQLite, <c>timestamptz</c> on PostgreSQL.</summary>
    public object TimeParameter(DateTime value) => Dialect.Time(value);

    /// <summary>The database an EF context uses, for the bulk paths that run beside it on its connection.</summary>
    public static TuntasDatabase Of(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database) =>
        new(database.IsSqlite() ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres, database.GetConnectionString() ?? "");

    /// <summary>The SQLite file this database lives in; null in memory and on PostgreSQL.</summary>
    public string? SqliteFile => IsSqlite ? FileOf(new SqliteConnectionStringBuilder(ConnectionString).DataSource) : null;

    /// <summary>
    /// The file path of a SQLite data source: the path itself, or the path of a URI filename (<c>file:/srv/tuntas.db</c>,
    /// <c>file:///srv/tuntas.db?cache=shared</c>, percent-encoded; SQLite's "URI Filenames"); null in memory. Read as a
    /// path, <c>file:/srv/tuntas.db</c> is a folder named "file:" under the working directory: the audit key and
    /// checkpoints kept beside the database went there, and a CLI started elsewhere made a second key.
    /// </summary>
    private static string? FileOf(string? dataSource)
    {
        if (dataSource is not { Length: > 0 } file || file == ":memory:")
        {
            return null;
        }
        if (!file.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return file;
        }
        var path = file[5..];
        if (path.IndexOf('?', StringComparison.Ordinal) is var query and >= 0)
        {
            if (path[query..].Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            path = path[..query];
        }
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            // file://host/path: SQLite accepts only an empty host or "localhost".
            var slash = path.IndexOf('/', 2);
            path = slash < 0 ? "" : path[slash..];
        }
        path = Uri.UnescapeDataString(path);
        return path.Length == 0 || path == ":memory:" ? null : path;
    }

    /// <summary>
    /// The database's name: PostgreSQL's database (<c>tuntas</c> when the connection string names none), the SQLite
    /// file's name, or <c>memory</c>.
    /// </summary>
    public string Name => IsSqlite
        ? SqliteFile is { } file ? Path.GetFileNameWithoutExtension(file) : "memory"
        : new NpgsqlConnectionStringBuilder(ConnectionString).Database ?? "tuntas";

    public static TuntasDatabase FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration["Database:Provider"];
        var provider = string.IsNullOrWhiteSpace(providerText)
            ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(providerText.Trim(), ignoreCase: true, out var p)
                ? p
                : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Database:Provider '{providerText}' tidak dikenal / unknown: use Sqlite or Postgres."));
        var connectionString = configuration.GetConnectionString("Tuntas");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new InvalidOperationException(
                    "ConnectionStrings:Tuntas wajib diisi untuk PostgreSQL / is required for PostgreSQL.");
            }
            connectionString = "Data Source=" + Path.Combine(DataRoot(configuration, contentRoot), DefaultSqliteFile);
        }
        return new TuntasDatabase(provider, connectionString).Normalized();
    }

    /// <summary>
    /// Where the default SQLite file lives: <c>Database:DataRoot</c> if set; otherwise the checkout's root (the folder
    /// holding <c>Tuntas.slnx</c>, found upwards from <paramref name="contentRoot"/>) so that the web app and the CLI,
    /// started from their project folders, share one database; otherwise <paramref name="contentRoot"/>.
    /// </summary>
    public static string DataRoot(IConfiguration configuration, string contentRoot)
    {
        if (configuration["Database:DataRoot"] is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var directory = new DirectoryInfo(contentRoot); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tuntas.slnx")))
            {
                return directory.FullName;
            }
        }
        return contentRoot;
    }

    /// <summary>SQLite: make sure the folder exists, use a shared cache-less pooled connection with foreign keys on.</summary>
    private TuntasDatabase Normalized()
    {
        if (!IsSqlite)
        {
            // Statements run again and again (the status check, the dashboard marker, the audit append) are prepared
            // once per pooled connection: the server parses and plans them once (Npgsql automatic preparation).
            var npgsql = new NpgsqlConnectionStringBuilder(ConnectionString);
            if (npgsql.MaxAutoPrepare == 0)
            {
                npgsql.MaxAutoPrepare = 64;
                npgsql.AutoPrepareMinUsages = 2;
            }
            return this with { ConnectionString = npgsql.ToString() };
        }
        var builder = new SqliteConnectionStringBuilder(ConnectionString) { ForeignKeys = true, DefaultTimeout = 60 };
        if (FileOf(builder.DataSource) is { } file && builder.Mode != SqliteOpenMode.Memory)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        return this with { ConnectionString = builder.ToString() };
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        // A web request's change carries its audit record into its own transaction (Audit/PendingChange).
        options.AddInterceptors(Audit.PendingChangeInterceptor.Instance, Audit.PendingChangeInterceptor.TransactionInterceptor.Instance);
        if (IsSqlite)
        {
            options.UseSqlite(ConnectionString, o => o.CommandTimeout(600));
        }
        else
        {
            options.UseNpgsql(ConnectionString, o => o.CommandTimeout(600));
        }
    }

    public TuntasDb CreateDb()
    {
        var options = new DbContextOptionsBuilder<TuntasDb>();
        Configure(options);
        return new TuntasDb(options.Options);
    }

    /// <summary>An open ADO.NET connection for the bulk paths that bypass EF's change tracker (ARCHITECTURE §3).</summary>
    public async Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        System.Data.Common.DbConnection connection = IsSqlite
            ? new SqliteConnection(ConnectionString)
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        if (IsSqlite)
        {
            await using var pragma = connection.CreateCommand();
            // WAL lets the back office read while an import writes; busy_timeout makes a second writer wait, not fail.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        return connection;
    }
}

public static class TuntasDatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddTuntasDatabase(this IServiceCollection services, TuntasDatabase database)
    {
        services.AddSingleton(database);
        services.AddDbContext<TuntasDb>(database.Configure);
        return services;
    }
}

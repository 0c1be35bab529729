using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tuntas.Data;
using Tuntas.Regions;

namespace Tuntas.Testing;

/// <summary>
/// A fresh, migrated database for one test, on SQLite always and on PostgreSQL too when <c>TUNTAS_TEST_POSTGRES</c>
/// holds a server connection string (e.g. <c>Host=127.0.0.1;Username=postgres;Password=postgres</c>), in the shape of
/// bitwarden's DatabaseDataAttribute: one test body, one row per provider.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "TUNTAS_TEST_POSTGRES";

    public TuntasDatabase Database { get; }
    private readonly string? _sqliteFile;
    private readonly string? _postgresName;

    private TestDatabase(TuntasDatabase database, string? sqliteFile, string? postgresName)
    {
        Database = database;
        _sqliteFile = sqliteFile;
        _postgresName = postgresName;
    }

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>xunit member data: "Sqlite", and "Postgres" when a server is configured.</summary>
    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { nameof(DatabaseProvider.Sqlite) };
            if (PostgresServer is not null)
            {
                data.Add(nameof(DatabaseProvider.Postgres));
            }
            return data;
        }
    }

    public static async Task<TestDatabase> CreateAsync(string provider, bool loadRegions = true)
    {
        TestDatabase test;
        if (provider == nameof(DatabaseProvider.Sqlite))
        {
            var file = Path.Combine(Path.GetTempPath(), "tuntas-test-" + Guid.NewGuid().ToString("N") + ".db");
            test = new TestDatabase(new TuntasDatabase(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
            {
                DataSource = file,
                ForeignKeys = true,
                DefaultTimeout = 60,
                Pooling = false,
            }.ToString()), file, null);
        }
        else
        {
            var server = PostgresServer ?? throw new InvalidOperationException(PostgresVariable + " is not set");
            var name = "tuntas_test_" + Guid.NewGuid().ToString("N")[..16];
            await using (var admin = new NpgsqlConnection(server))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
                await create.ExecuteNonQueryAsync();
            }
            var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false };
            test = new TestDatabase(new TuntasDatabase(DatabaseProvider.Postgres, builder.ToString()), null, name);
        }
        await new Migrator(test.Database).MigrateAsync();
        if (loadRegions)
        {
            await new LoadRegions(test.Database).RunAsync();
        }
        return test;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try
                {
                    File.Delete(_sqliteFile + suffix);
                }
                catch (IOException)
                {
                    // A file still open by a finished test host is cleaned by the OS temp policy.
                }
            }
        }
        if (_postgresName is not null && PostgresServer is { } server)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture, $"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)"), admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

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
        if (provider == nameof(DatabaseProvider.Sqlite))
        {
            var file = Path.Combine(Path.GetTempPath(), "tuntas-test-" + Guid.NewGuid().ToString("N") + ".db");
            File.Copy(await _sqliteTemplates[loadRegions ? 1 : 0].GetAsync(), file);
            return new TestDatabase(SqliteAt(file), file, null);
        }
        var server = PostgresServer ?? throw new InvalidOperationException(PostgresVariable + " is not set");
        var name = "tuntas_test_" + Guid.NewGuid().ToString("N")[..16];
        var templates = _postgresTemplates[loadRegions ? 1 : 0];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            try
            {
                await CreatePostgresAsync(admin, name, await templates.GetAsync());
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                // Dropped by a test run of another checkout whose migrations differ: built again.
                templates.Forget();
                await CreatePostgresAsync(admin, name, await templates.GetAsync());
            }
        }
        return new TestDatabase(PostgresAt(server, name), null, name);
    }

    // Every test starts from a copy of one migrated database (with or without the Kemendagri region table) instead of
    // running the migrations and loading 91,000 regions itself: the same schema and rows, a file copy on SQLite and
    // CREATE DATABASE … TEMPLATE on PostgreSQL. Migrating per test was most of the test suite's time on PostgreSQL and
    // kept CI past its 30-minute budget (README, "Tests").
    private static readonly Once[] _sqliteTemplates = [new(() => BuildSqliteTemplateAsync(false)), new(() => BuildSqliteTemplateAsync(true))];
    private static readonly Once[] _postgresTemplates = [new(() => BuildPostgresTemplateAsync(false)), new(() => BuildPostgresTemplateAsync(true))];

    /// <summary>A template built once per process, and again after a failure: a faulted build must not fail every later
    /// test of the process.</summary>
    private sealed class Once(Func<Task<string>> build)
    {
        private readonly Lock _gate = new();
        private Task<string>? _built;

        public Task<string> GetAsync()
        {
            lock (_gate)
            {
                if (_built is null || _built.IsFaulted || _built.IsCanceled)
                {
                    _built = build();
                }
                return _built;
            }
        }

        public void Forget()
        {
            lock (_gate)
            {
                _built = null;
            }
        }
    }

    private static TuntasDatabase SqliteAt(string file) => new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
    {
        DataSource = file,
        ForeignKeys = true,
        DefaultTimeout = 60,
        Pooling = false,
    }.ToString());

    private static TuntasDatabase PostgresAt(string server, string name) =>
        new(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ToString());

    private static async Task PrepareAsync(TuntasDatabase database, bool loadRegions)
    {
        await new Migrator(database).MigrateAsync();
        if (loadRegions)
        {
            await new LoadRegions(database).RunAsync();
        }
    }

    /// <summary>One template file per test process, in the process's own temporary folder (deleted when it ends,
    /// <see cref="TestTemporaryFolder"/>); the WAL is folded into the file first, so that a copy of the file alone is
    /// the whole database.</summary>
    private static async Task<string> BuildSqliteTemplateAsync(bool loadRegions)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tuntas-template-{Guid.NewGuid():N}.db");
        var database = SqliteAt(file);
        await PrepareAsync(database, loadRegions);
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        return file;
    }

    /// <summary>
    /// The PostgreSQL template, named by a hash of the migration scripts and the region table it holds, so that the
    /// four test projects running side by side (and the next run) share it, and a changed migration makes a new one.
    /// Built under an advisory lock, under a temporary name renamed when complete: a killed run leaves no half-built
    /// template to copy. Templates of older scripts are dropped when a new one is built.
    /// </summary>
    private static async Task<string> BuildPostgresTemplateAsync(bool loadRegions)
    {
        var server = PostgresServer ?? throw new InvalidOperationException(PostgresVariable + " is not set");
        var name = $"tuntas_template_{(loadRegions ? "r" : "n")}_{ContentHash()}";
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        // No timeout: another test process may be building both templates, which takes longer than a command's 30 s.
        await ExecuteAsync(admin, "SELECT pg_advisory_lock(7261853)", timeoutSeconds: 0);
        try
        {
            if (await ExistsAsync(admin, name))
            {
                return name;
            }
            var building = "tuntas_template_building_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync(admin, $"CREATE DATABASE {building}");
            await PrepareAsync(PostgresAt(server, building), loadRegions);
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"ALTER DATABASE {building} RENAME TO {name}");
            await using (var stale = new NpgsqlCommand(
                $"SELECT datname FROM pg_database WHERE datname LIKE 'tuntas\\_template\\_{(loadRegions ? "r" : "n")}\\_%' AND datname <> '{name}' OR datname LIKE 'tuntas\\_template\\_building\\_%'", admin))
            {
                var names = new List<string>();
                await using (var reader = await stale.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        names.Add(reader.GetString(0));
                    }
                }
                foreach (var old in names.Where(n => n != building))
                {
                    // Another checkout's test run may be connected to it; it is dropped by a later run then (a run that
                    // loses its template to this drop builds it again).
                    try
                    {
                        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {old}");
                    }
                    catch (PostgresException)
                    {
                    }
                }
            }
            return name;
        }
        finally
        {
            // A broken connection has released the lock with its session; its error is the one to see.
            if (admin.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(admin, "SELECT pg_advisory_unlock(7261853)");
            }
        }
    }

    /// <summary>A copy of the template. Two copies of one template at the same moment may find it "being accessed by
    /// other users" (55006) for the instant the other copy reads it: tried again.</summary>
    private static async Task CreatePostgresAsync(NpgsqlConnection admin, string name, string template)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(admin, $"CREATE DATABASE {name} TEMPLATE {template}");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                await Task.Delay(50 * attempt);
            }
        }
    }

    private static string ContentHash()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var script in new Migrator(new TuntasDatabase(DatabaseProvider.Postgres, "")).Scripts())
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(script.Name + "\n" + script.Sql + "\n"));
        }
        using (var regions = LoadRegions.OpenShippedRegions())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = regions.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection admin, string name)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync() is not null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection admin, string sql, int timeoutSeconds = 30)
    {
        await using var command = new NpgsqlCommand(sql, admin) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync();
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

using System.Data.Common;
using System.Reflection;

namespace Tuntas.Data;

/// <summary>
/// Forward-only schema migrations: hand-written SQL per provider in <c>Migrations/{Sqlite,Postgres}/NNNN_name.sql</c>
/// (embedded), applied in order inside a transaction each, recorded in the journal table <c>schema_migrations</c>.
/// EF's design-time tooling is not available on this project's package mirror (ARCHITECTURE §3); a drift test checks
/// that every entity round-trips on the migrated schema.
/// </summary>
public sealed class Migrator(TuntasDatabase database)
{
    public sealed record Script(int Version, string Name, string Sql);

    public IReadOnlyList<Script> Scripts()
    {
        var folder = database.IsSqlite ? "Sqlite" : "Postgres";
        var prefix = $"Tuntas.Data.Migrations.{folder}.";
        var assembly = typeof(Migrator).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Read(assembly, n, n[prefix.Length..^4]))
            .OrderBy(s => s.Version)];
    }

    private static Script Read(Assembly assembly, string resource, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        return new Script(version, name, reader.ReadToEnd());
    }

    /// <summary>The newest script's version, read from the embedded resource names only (no script text is read).</summary>
    public int LatestVersion()
    {
        var prefix = $"Tuntas.Data.Migrations.{(database.IsSqlite ? "Sqlite" : "Postgres")}.";
        return typeof(Migrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => int.Parse(n.AsSpan(prefix.Length, n.IndexOf('_', prefix.Length) - prefix.Length), CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Max();
    }

    /// <summary>
    /// True when the database needs nothing from start-up: every migration applied, the region table loaded, the
    /// targeting defaults and the program catalogue seeded. One round trip; a command of the CLI then starts at once
    /// instead of running the migrator, the region loader and the seeders (≈ 2.5 s) every time. False on any doubt
    /// (a new database, a missing journal): the caller then runs the full preparation.
    /// </summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var check = connection.CreateCommand();
            check.CommandText = """
                SELECT (SELECT MAX(version) FROM schema_migrations),
                       (SELECT COUNT(*) FROM (SELECT 1 FROM regions LIMIT 1) r),
                       (SELECT COUNT(*) FROM (SELECT 1 FROM targeting_models LIMIT 1) m),
                       (SELECT COUNT(*) FROM (SELECT 1 FROM programs LIMIT 1) p)
                """;
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0)
                && Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) == LatestVersion()
                && Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) > 0
                && Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture) > 0
                && Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture) > 0;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>Applies every pending script; returns the names applied. Safe to call from web and CLI at once.</summary>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies the pending scripts up to <paramref name="lastVersion"/>: a test of a migration that rewrites
    /// existing rows starts from the schema before it.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(int lastVersion, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var applied = new List<string>();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = database.IsSqlite
                ? "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                : "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at timestamp with time zone NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var script in Scripts().Where(s => s.Version <= lastVersion))
        {
            var rebuild = RebuildsTable(script);
            if (rebuild)
            {
                await PragmaAsync(connection, "PRAGMA foreign_keys = OFF", cancellationToken);
            }
            try
            {
                if (await ApplyAsync(connection, script, rebuild, cancellationToken))
                {
                    applied.Add(script.Name);
                }
            }
            finally
            {
                if (rebuild)
                {
                    await PragmaAsync(connection, "PRAGMA foreign_keys = ON", CancellationToken.None);
                }
            }
        }
        return applied;
    }

    /// <summary>
    /// A SQLite script that rebuilds a table other tables point at says so in a line <c>-- migrator: foreign keys off</c>.
    /// It then runs with foreign keys off, as SQLite's manual asks for a table rebuild (dropping the old table would
    /// otherwise delete every row that points at it, or fail), and the keys of the whole database are checked before the
    /// commit instead. PRAGMA foreign_keys cannot change inside a transaction, so this happens around it.
    /// </summary>
    private bool RebuildsTable(Script script) =>
        database.IsSqlite && script.Sql.Contains("-- migrator: foreign keys off", StringComparison.Ordinal);

    private static async Task PragmaAsync(DbConnection connection, string pragma, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs one script and records it in the journal, in one transaction; false when another process already had.</summary>
    private async Task<bool> ApplyAsync(DbConnection connection, Script script, bool checkForeignKeys, CancellationToken cancellationToken)
    {
        await using var transaction = await BeginExclusiveAsync(connection, cancellationToken);
        if (await IsAppliedAsync(connection, transaction, script.Version, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await using (var run = connection.CreateCommand())
        {
            run.Transaction = transaction;
            run.CommandText = script.Sql;
            run.CommandTimeout = 0;
            await run.ExecuteNonQueryAsync(cancellationToken);
        }
        if (checkForeignKeys)
        {
            await CheckForeignKeysAsync(connection, transaction, script, cancellationToken);
        }
        await using (var journal = connection.CreateCommand())
        {
            journal.Transaction = transaction;
            journal.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)";
            journal.AddParameter("@v", script.Version);
            journal.AddParameter("@n", script.Name);
            journal.AddParameter("@t", database.IsSqlite
                ? DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                : DateTime.UtcNow);
            await journal.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task CheckForeignKeysAsync(DbConnection connection, DbTransaction transaction, Script script, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.Transaction = transaction;
        check.CommandText = "PRAGMA foreign_key_check";
        await using var violations = await check.ExecuteReaderAsync(cancellationToken);
        if (await violations.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException(
                $"Migrasi {script.Name} dibatalkan: sebuah baris {violations.GetString(0)} menunjuk ke baris {violations.GetString(2)} yang tidak ada; tidak ada yang diubah. "
                + $"/ Migration {script.Name} stopped: a row of {violations.GetString(0)} points at a missing row of {violations.GetString(2)}; nothing was changed.");
        }
    }

    private async Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Two processes starting together apply each script once.
        return await database.BeginWriteAsync(connection, LockKey.Migrations, cancellationToken);
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.Transaction = transaction;
        check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = @v";
        check.AddParameter("@v", version);
        return Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }
}

public static class DbCommandExtensions
{
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}

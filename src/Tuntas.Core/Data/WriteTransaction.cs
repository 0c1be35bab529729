using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Tuntas.Data;

/// <summary>
/// The PostgreSQL advisory lock keys of the whole application, in one list so that two features never share a key by
/// accident (a shared key would make unrelated writers wait for each other) and a reader of <c>pg_locks</c> can name
/// what holds one.
/// </summary>
public enum LockKey : long
{
    /// <summary>Schema migrations: two processes starting together apply each script once.</summary>
    Migrations = 7886001,

    /// <summary>The registry: a file import holds it exclusively, the one registry writer shares it (Registry/RegistryWriter).</summary>
    Registry = 7886002,

    /// <summary>The audit hash chain: one appender at a time, so each entry chains to the previous one.</summary>
    AuditChain = 7886003,
}

/// <summary>
/// The one way a bulk path (plain ADO.NET, beside EF's change tracker) begins a transaction that writes: SQLite takes its
/// database-wide write lock at once (<c>BEGIN IMMEDIATE</c>: a second writer waits its busy timeout instead of failing
/// half-way on an upgrade from a read lock), PostgreSQL takes the feature's advisory transaction lock, if it has one,
/// before the first read the write depends on. Both locks end with the transaction.
/// </summary>
public static class WriteTransaction
{
    public static async Task<DbTransaction> BeginWriteAsync(this TuntasDatabase database, DbConnection connection, LockKey? key,
        CancellationToken cancellationToken, bool shared = false)
    {
        if (database.IsSqlite)
        {
            return ((SqliteConnection)connection).BeginTransaction(deferred: false);
        }
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (key is { } lockKey)
        {
            await LockAsync(connection, transaction, lockKey, shared, cancellationToken);
        }
        return transaction;
    }

    /// <summary>
    /// The transaction of a long bulk load beside other writers (the registry import), or of the read-only pass that
    /// checks the same file (<paramref name="exclusive"/> false). SQLite: a loader waits for another one up to 30
    /// minutes (busy timeout) instead of failing with "database is locked"; a page cache of 128 MB keeps the indexes of a
    /// million persons in memory while a large file is written and bounds the load's memory for larger tables (it was
    /// 256 MB; docs/benchmarks.md); a second thread for the sorter of an index build, whose runs spill to temporary
    /// files, not to memory (in memory they took ≈ 400 MB more at 5.5 million persons);
    /// foreign keys checked at commit, as children may reach the database before the batch holding their parent. An
    /// exclusive load begins IMMEDIATE (the write lock at once), a read-only pass deferred. PostgreSQL: an exclusive
    /// load holds <paramref name="key"/> alone for the whole transaction, the writers that share it wait.
    /// </summary>
    public static async Task<DbTransaction> BeginBulkLoadAsync(this TuntasDatabase database, DbConnection connection, LockKey key, bool exclusive,
        CancellationToken cancellationToken)
    {
        if (database.IsSqlite)
        {
            var sqlite = (SqliteConnection)connection;
            await using (var pragmas = sqlite.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA busy_timeout = 1800000; PRAGMA cache_size = -131072; PRAGMA temp_store = FILE; PRAGMA threads = 2";
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
            }
            var sqliteTransaction = sqlite.BeginTransaction(deferred: !exclusive);
            await using (var defer = sqlite.CreateCommand())
            {
                defer.Transaction = sqliteTransaction;
                defer.CommandText = "PRAGMA defer_foreign_keys = ON";
                await defer.ExecuteNonQueryAsync(cancellationToken);
            }
            return sqliteTransaction;
        }
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (exclusive)
        {
            await LockAsync(connection, transaction, key, shared: false, cancellationToken);
        }
        return transaction;
    }

    /// <summary>
    /// Inside an EF transaction that writes: shares the feature's advisory lock with the other writers on PostgreSQL, so
    /// that a holder of it alone (a file import) is waited for. Nothing on SQLite, where one write transaction at a time
    /// already serialises the writers.
    /// </summary>
    public static async Task LockSharedAsync(this DatabaseFacade database, LockKey key, CancellationToken cancellationToken)
    {
        if (!database.IsSqlite())
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({(long)key})", cancellationToken);
        }
    }

    /// <summary>
    /// Holds <paramref name="table"/> against other writers until the transaction ends, so that a read and the write it
    /// decides are not interleaved with another process's: PostgreSQL's <c>LOCK TABLE … IN EXCLUSIVE MODE</c> (plain
    /// reads go on; waits without a command timeout, as the advisory locks do). Nothing on SQLite, whose <c>BEGIN IMMEDIATE</c> (<see cref="BeginWriteAsync"/>) holds the database.
    /// </summary>
    public static async Task LockTableAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table,
        CancellationToken cancellationToken)
    {
        if (!database.IsSqlite)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"LOCK TABLE {table} IN EXCLUSIVE MODE";
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// <paramref name="read"/> at a moment no writer holds <paramref name="key"/>, so that nothing it reads can still be
    /// joined by an earlier, uncommitted write (a high-water mark over ids given out by a sequence). PostgreSQL: inside a
    /// transaction that takes the advisory lock exclusively, waiting at most <paramref name="wait"/>; null when a holder
    /// keeps it longer (a file import). SQLite: the read alone — one write transaction at a time, and a reader sees
    /// only what was committed.
    /// </summary>
    public static async Task<T?> ReadUnheldAsync<T>(this DatabaseFacade database, LockKey key, TimeSpan wait, Func<Task<T>> read,
        CancellationToken cancellationToken)
        where T : struct
    {
        if (database.IsSqlite())
        {
            return await read();
        }
        await using var transaction = await database.BeginTransactionAsync(cancellationToken);
        try
        {
            var timeout = ((int)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
            await database.ExecuteSqlRawAsync("SELECT set_config('lock_timeout', {0}, true)", [timeout], cancellationToken);
            await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(long)key})", cancellationToken);
            var value = await read();
            await transaction.CommitAsync(cancellationToken);
            return value;
        }
        catch (Npgsql.PostgresException exception) when (exception.SqlState == Npgsql.PostgresErrorCodes.LockNotAvailable)
        {
            return null;
        }
    }

    /// <summary>Takes a PostgreSQL advisory lock for the rest of the transaction (waits without a command timeout).</summary>
    public static async Task LockAsync(DbConnection connection, DbTransaction transaction, LockKey key, bool shared, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = shared ? "SELECT pg_advisory_xact_lock_shared(@k)" : "SELECT pg_advisory_xact_lock(@k)";
        command.CommandTimeout = 0;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@k";
        parameter.Value = (long)key;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

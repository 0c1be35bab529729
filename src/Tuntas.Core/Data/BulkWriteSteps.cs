using System.Data.Common;

namespace Tuntas.Data;

/// <summary>A foreign key as its migration created it, to be dropped and re-created around a bulk write.</summary>
public sealed record ForeignKey(string Table, string Name, string Definition);

/// <summary>
/// The steps around a bulk write (ARCHITECTURE §3) that each database takes its own way or only one of them needs, so
/// that a feature's bulk path says what it wants and not how each provider does it. Each runs inside the caller's
/// transaction.
/// </summary>
public static class BulkWriteSteps
{
    /// <summary>
    /// SQLite: a larger page cache for this connection (<paramref name="kibibytes"/>) and temporary b-trees in memory,
    /// so that a write of millions of index entries keeps its b-trees in memory. PostgreSQL: nothing (its shared buffers
    /// are the server's).
    /// </summary>
    public static async Task WidenPageCacheAsync(this TuntasDatabase database, DbConnection connection, int kibibytes, CancellationToken cancellationToken)
    {
        if (database.IsSqlite)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = -{kibibytes}; PRAGMA temp_store = MEMORY");
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Empties <paramref name="tables"/> without deleting row by row: PostgreSQL's <c>TRUNCATE</c> (transactional),
    /// SQLite's unqualified <c>DELETE</c> (which drops the pages at once), in the order given (children first).
    /// </summary>
    public static Task EmptyTablesAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        IReadOnlyList<string> tables, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, database.IsSqlite
            ? string.Join("; ", tables.Select(t => "DELETE FROM " + t))
            : "TRUNCATE " + string.Join(", ", tables), cancellationToken);

    /// <summary>
    /// After rows were written with explicit ids: PostgreSQL's identity sequences moved past the largest id, so that the
    /// back office's own inserts do not collide. SQLite needs nothing (a new rowid is the largest one plus one).
    /// </summary>
    public static Task MoveIdentitiesPastAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        IEnumerable<string> tables, CancellationToken cancellationToken) =>
        database.IsSqlite
            ? Task.CompletedTask
            : ExecuteAsync(connection, transaction, string.Concat(tables.Select(t =>
                $"SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT MAX(id) FROM {t}), 1)); ")), cancellationToken);

    /// <summary>
    /// PostgreSQL: fresh statistics for <paramref name="tables"/> after a bulk write, so that the next statements plan
    /// their joins on the real row counts rather than wait for autovacuum. SQLite: nothing here (its planner's
    /// statistics are refreshed by the registry import, which measured when they pay).
    /// </summary>
    public static Task AnalyzeAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        IEnumerable<string> tables, CancellationToken cancellationToken) =>
        database.IsSqlite
            ? Task.CompletedTask
            : ExecuteAsync(connection, transaction, string.Join("; ", tables.Select(t => "ANALYZE " + t)), cancellationToken);

    /// <summary>
    /// Before a bulk write into empty tables: PostgreSQL drops <paramref name="keys"/> so that it checks them once, when
    /// <see cref="AddForeignKeysAsync"/> re-creates them after the write, instead of one trigger per row (PostgreSQL
    /// manual, "Populating a Database": remove foreign key constraints). Both happen in the caller's transaction, so no
    /// other session sees the tables without them. Returns false, doing nothing, on SQLite (its checks are per row and
    /// cheap in-process).
    /// </summary>
    public static async Task<bool> DropForeignKeysAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        IEnumerable<ForeignKey> keys, CancellationToken cancellationToken)
    {
        if (database.IsSqlite)
        {
            return false;
        }
        await ExecuteAsync(connection, transaction, string.Concat(keys.Select(k => $"ALTER TABLE {k.Table} DROP CONSTRAINT IF EXISTS {k.Name}; ")), cancellationToken);
        return true;
    }

    /// <summary>Re-creates the keys <see cref="DropForeignKeysAsync"/> dropped: every row written is checked here.</summary>
    public static Task AddForeignKeysAsync(DbConnection connection, DbTransaction transaction, IEnumerable<ForeignKey> keys, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, string.Concat(keys.Select(k => $"ALTER TABLE {k.Table} ADD CONSTRAINT {k.Name} {k.Definition}; ")), cancellationToken);

    /// <summary>
    /// Inserts rows, or where <paramref name="key"/> is already stored replaces their other columns, on the provider's
    /// fast path: SQLite one prepared <c>INSERT … ON CONFLICT DO UPDATE</c> stepped per row (<see cref="BulkInsert{T}"/>);
    /// PostgreSQL binary COPY into a temporary table dropped at commit, then one <c>INSERT … SELECT … ON CONFLICT DO
    /// UPDATE</c>.
    /// </summary>
    public static async Task UpsertAsync<T>(this TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table,
        string key, IReadOnlyList<BulkColumn<T>> columns, IEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => c.Sql));
        var conflict = $"ON CONFLICT ({key}) DO UPDATE SET "
            + string.Join(", ", columns.Where(c => c.Sql != key).Select(c => $"{c.Sql} = excluded.{c.Sql}"));
        var load = database.IsSqlite ? table : table + "_load";
        if (!database.IsSqlite)
        {
            await ExecuteAsync(connection, transaction, $"CREATE TEMP TABLE {load} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA", cancellationToken);
        }
        await using (var insert = database.IsSqlite
            ? new SqliteBulkInsert<T>(connection, table, columns, conflict)
            : await BulkInsert<T>.StartAsync(database, connection, transaction, load, columns, cancellationToken))
        {
            foreach (var row in rows)
            {
                await insert.AddAsync(row, cancellationToken);
            }
            await insert.CompleteAsync(cancellationToken);
        }
        if (!database.IsSqlite)
        {
            await ExecuteAsync(connection, transaction, $"INSERT INTO {table} ({names}) SELECT {names} FROM {load} {conflict}", cancellationToken);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

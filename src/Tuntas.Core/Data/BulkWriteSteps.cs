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
    /// their joins on the real row counts rather than wait for autovacuum (ANALYZE samples a fixed number of rows: about
    /// a second even on a million). Inside the writer's transaction, or after its commit with none: then each table is
    /// analysed on a connection of its own, at the same time, because one ANALYZE uses one server core and the client
    /// waits on it (a first load of 1,000,000 persons: 0.8 s one after another, the longest table's 0.4 s together;
    /// docs/benchmarks.md, "Import"). SQLite: nothing (its planner needs no statistics for the indexed lookups that
    /// follow a load).
    /// </summary>
    /// <param name="keyColumnsOnly">
    /// Only the columns an index or a foreign key of the table is on (their keys, expressions and partial-index
    /// conditions, as the catalogue records them in <c>pg_depend</c>): the columns by which the next statements look
    /// rows up and join, whose statistics decide between an index and a scan. ANALYZE spends about 10 ms per column
    /// after reading its sample, and <c>families</c> has 46 columns. An ANALYZE of some columns leaves the table's count
    /// of changes since its last analysis as it was (PostgreSQL resets it only when a whole table is analysed,
    /// <c>do_analyze_rel</c>), so autovacuum still analyses every column within its next rounds (<c>autovacuum_naptime</c>,
    /// a minute). Its sample is also smaller: <see cref="KeyColumnStatisticsTarget"/>.
    /// </param>
    public static async Task AnalyzeAsync(this TuntasDatabase database, DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<string> tables, CancellationToken cancellationToken, bool keyColumnsOnly = false)
    {
        if (database.IsSqlite || tables.Count == 0)
        {
            return;
        }
        List<string> statements = keyColumnsOnly
            ? [.. (await KeyColumnAnalysesAsync(connection, transaction, tables, cancellationToken))
                .Select(analyse => transaction is null
                    ? $"BEGIN; SET LOCAL default_statistics_target = {KeyColumnStatisticsTarget}; {analyse}; COMMIT"
                    : $"SET LOCAL default_statistics_target = {KeyColumnStatisticsTarget}; {analyse}")]
            : [.. tables.Select(t => "ANALYZE " + t)];
        if (transaction is not null)
        {
            await ExecuteAsync(connection, transaction, string.Join("; ", statements), cancellationToken);
            return;
        }
        var others = statements.Skip(1).Select(async statement =>
        {
            await using var own = await database.OpenConnectionAsync(cancellationToken);
            await ExecuteAsync(own, null, statement, cancellationToken);
        }).ToList();
        others.Add(ExecuteAsync(connection, null, statements[0], cancellationToken));
        await Task.WhenAll(others);
    }

    /// <summary>
    /// The statistics target of the key columns' ANALYZE: a sample of 300 × 25 = 7,500 rows instead of the default's 30,000
    /// (PostgreSQL manual, "ANALYZE": the sample is 300 × the target). Sampling is most of ANALYZE's time: on a million
    /// persons 0.41–0.50 s fell to 0.10 s, the families' 0.19 to 0.08 s, during which the import's caller waits. These
    /// statistics only have to choose between an index and a scan until autovacuum analyses the whole table at the
    /// default target within its next rounds (see keyColumnsOnly); 7,500 rows still see that a NIK is unique and how
    /// many persons a family has.
    /// </summary>
    public const int KeyColumnStatisticsTarget = 25;

    /// <summary>One <c>ANALYZE table (columns)</c> per table, of the columns its indexes and foreign keys depend on.</summary>
    private static async Task<List<string>> KeyColumnAnalysesAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT d.refobjid::regclass::text, string_agg(DISTINCT quote_ident(a.attname), ', ')
            FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid IN ({Relations(tables)}) AND d.refobjsubid > 0
              AND d.classid IN ('pg_class'::regclass, 'pg_constraint'::regclass)
            GROUP BY d.refobjid
            """;
        var columns = (await ReadPairsAsync(connection, transaction, sql, cancellationToken)).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        // Every table has at least its primary key; one without any such column would be analysed whole.
        return [.. tables.Select(t => columns.TryGetValue(t, out var list) ? $"ANALYZE {t} ({list})" : "ANALYZE " + t)];
    }

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

    /// <summary>
    /// The foreign keys of <paramref name="tables"/> as the database's own catalogue holds them, for
    /// <see cref="DropForeignKeysAsync"/> to drop before a load into empty tables. None on SQLite, which keeps its keys.
    /// </summary>
    public static async Task<List<ForeignKey>> ReadForeignKeysAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        if (database.IsSqlite)
        {
            return [];
        }
        var sql = $"""
            SELECT conrelid::regclass::text || ' ' || quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND conrelid IN ({Relations(tables)})
            ORDER BY conrelid::regclass::text, conname
            """;
        var keys = new List<ForeignKey>();
        foreach (var (tableAndName, definition) in await ReadPairsAsync(connection, transaction, sql, cancellationToken))
        {
            var split = tableAndName.IndexOf(' ', StringComparison.Ordinal);
            keys.Add(new ForeignKey(tableAndName[..split], tableAndName[(split + 1)..], definition));
        }
        return keys;
    }

    /// <summary>Re-creates the keys <see cref="DropForeignKeysAsync"/> dropped: every row written is checked here.</summary>
    public static Task AddForeignKeysAsync(DbConnection connection, DbTransaction transaction, IEnumerable<ForeignKey> keys, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, string.Concat(keys.Select(k => $"ALTER TABLE {k.Table} ADD CONSTRAINT {k.Name} {k.Definition}; ")), cancellationToken);

    /// <summary>
    /// The definition of trigger <paramref name="name"/> on <paramref name="table"/> as the database's own catalogue
    /// holds it (a full <c>CREATE TRIGGER</c>), or null when the table has no such trigger.
    /// </summary>
    public static async Task<string?> ReadTriggerAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        string table, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = database.IsSqlite
            ? "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = @table AND name = @name"
            : "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = @table::regclass AND tgname = @name";
        command.AddParameter("@table", table);
        command.AddParameter("@name", name);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Drops a trigger <see cref="ReadTriggerAsync"/> found, inside the caller's transaction (which gives it
    /// back if it rolls back); <see cref="ExecuteDefinitionAsync"/> re-creates it from its definition.</summary>
    public static Task DropTriggerAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table, string name,
        CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, database.IsSqlite ? $"DROP TRIGGER {name}" : $"DROP TRIGGER {name} ON {table}", cancellationToken);

    /// <summary>Runs a definition read from the catalogue (a trigger's <c>CREATE TRIGGER</c>) in the caller's transaction.</summary>
    public static Task ExecuteDefinitionAsync(DbConnection connection, DbTransaction transaction, string definition, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, definition, cancellationToken);

    /// <summary>
    /// The secondary indexes of <paramref name="tables"/> as (name, definition) from the database's own catalogue, for a
    /// load into empty tables to drop before it and build once after it (<see cref="BuildIndexesAsync"/>). Indexes that
    /// back a constraint (primary keys, SQLite's autoindexes) are left out: they cannot be dropped on their own.
    /// </summary>
    public static Task<List<(string Name, string Definition)>> ReadSecondaryIndexesAsync(this TuntasDatabase database, DbConnection connection,
        DbTransaction transaction, IReadOnlyCollection<string> tables, CancellationToken cancellationToken) =>
        ReadPairsAsync(connection, transaction, database.IsSqlite
            ? $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))}) ORDER BY name"
            : $"""
               SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
               WHERE x.indrelid IN ({Relations(tables)}) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
               ORDER BY c.relname
               """, cancellationToken);

    /// <summary>
    /// Builds indexes from their definitions (<see cref="ReadSecondaryIndexesAsync"/>). On PostgreSQL the sorts get more
    /// memory for this transaction only (<c>SET LOCAL</c> ends with it): a million persons' keys sort in memory instead
    /// of on disk.
    /// </summary>
    public static Task BuildIndexesAsync(this TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        IReadOnlyCollection<string> definitions, CancellationToken cancellationToken) =>
        definitions.Count == 0
            ? Task.CompletedTask
            : ExecuteAsync(connection, transaction, (database.IsSqlite ? "" : "SET LOCAL maintenance_work_mem = '256MB';\n") + string.Join(";\n", definitions),
                cancellationToken);

    /// <summary>
    /// How many new rows a writer of parents and children that streams them gathers before it writes them: SQLite's
    /// prepared insert (<see cref="SqliteBulkInsert{T}"/>) takes each row as it comes; PostgreSQL's COPY holds the
    /// connection for one table, so parents and children are copied in turns of 50,000 rows.
    /// </summary>
    public static int RowsPerInsertChunk(this TuntasDatabase database) => database.IsSqlite ? 1 : 50_000;

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

    private static string Relations(IEnumerable<string> tables) => string.Join(", ", tables.Select(t => $"'{t}'::regclass"));

    private static async Task<List<(string, string)>> ReadPairsAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var pairs = new List<(string, string)>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }
        return pairs;
    }

    /// <summary>Without a command timeout: a step over a whole load (an index build, a key check of a million rows) takes
    /// as long as the rows do, and a timeout would roll back a load that was going to finish.</summary>
    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

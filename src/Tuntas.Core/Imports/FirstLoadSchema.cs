using System.Data.Common;

namespace Tuntas.Imports;

/// <summary>
/// A first load into an empty registry builds the registry's secondary indexes once at the end (a sort) instead of
/// updating them row by row, and on PostgreSQL checks the foreign keys of the tables it fills once (one join per key)
/// instead of with a trigger per row (docs/registry.md, "Pass 2", item 3). The indexes and keys are read from the
/// database's own catalogue, not from a list kept by hand: such a list missed the two indexes of the duplicate check
/// (migration 0029), which were then maintained row by row through every first load (docs/benchmarks.md, "Import: every index after a first load").
/// Dropped and restored inside the import's transaction: a failed or killed import restores them with everything else.
/// </summary>
internal sealed class FirstLoadSchema
{
    /// <summary>Tables the first load fills row by row (families, persons) or in one statement (their history).</summary>
    private static readonly string[] _tables = ["families", "persons", "family_changes"];

    /// <summary>Indexes are rebuilt only for the two tables written row by row: the history's index is filled in
    /// family order by one statement, which costs less than a rebuild.</summary>
    private static readonly string[] _indexedTables = ["families", "persons"];

    private readonly List<string> _restore = [];

    /// <summary>The foreign keys dropped on PostgreSQL, re-created by the same steps any bulk write uses (<see cref="BulkWriteSteps"/>).</summary>
    private readonly List<ForeignKey> _keys = [];

    private FirstLoadSchema()
    {
    }

    public static async Task<FirstLoadSchema> DropAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sqlite = database.IsSqlite;
        var schema = new FirstLoadSchema();
        var drops = new List<string>();
        // Indexes that back a constraint (primary keys, SQLite's autoindexes) stay: they cannot be dropped on their own,
        // and ids arrive in ascending order, so their B-trees only grow at the right edge.
        var indexes = sqlite
            ? $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({List(_indexedTables)}) ORDER BY name"
            : $"""
               SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
               WHERE x.indrelid IN ({Relations(_indexedTables)}) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
               ORDER BY c.relname
               """;
        foreach (var (name, definition) in await ReadPairsAsync(connection, transaction, indexes, cancellationToken))
        {
            drops.Add($"DROP INDEX {Quote(name)}");
            schema._restore.Add(definition);
        }
        if (!sqlite)
        {
            // PostgreSQL checks a foreign key with a trigger per inserted row; re-adding the constraint checks all rows
            // in one join. SQLite's checks are plain index probes and stay (deferred to the commit).
            var keys = $"""
                SELECT conrelid::regclass::text || ' ' || quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype = 'f' AND conrelid IN ({Relations(_tables)})
                ORDER BY conrelid::regclass::text, conname
                """;
            foreach (var (tableAndName, definition) in await ReadPairsAsync(connection, transaction, keys, cancellationToken))
            {
                var split = tableAndName.IndexOf(' ', StringComparison.Ordinal);
                schema._keys.Add(new ForeignKey(tableAndName[..split], tableAndName[(split + 1)..], definition));
            }
        }
        if (drops.Count > 0)
        {
            await ExecuteAsync(connection, transaction, string.Join(";\n", drops), cancellationToken);
        }
        await database.DropForeignKeysAsync(connection, transaction, schema._keys, cancellationToken);
        return schema;
    }

    /// <summary>Builds the indexes and re-checks the foreign keys. On PostgreSQL the index sorts get more memory for this
    /// transaction only (<c>SET LOCAL</c> ends with it): a million persons' keys sort in memory instead of on disk.</summary>
    public async Task RestoreAsync(bool sqlite, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (_restore.Count > 0)
        {
            var prefix = sqlite ? "" : "SET LOCAL maintenance_work_mem = '256MB';\n";
            await ExecuteAsync(connection, transaction, prefix + string.Join(";\n", _restore), cancellationToken);
        }
        if (_keys.Count > 0)
        {
            await BulkWriteSteps.AddForeignKeysAsync(connection, transaction, _keys, cancellationToken);
        }
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static string Relations(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'::regclass"));

    /// <summary>Index names come from the catalogue; quoted anyway, as the catalogue allows any name.</summary>
    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<List<(string, string)>> ReadPairsAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
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

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

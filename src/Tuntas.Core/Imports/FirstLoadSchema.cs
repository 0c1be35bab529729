using System.Data.Common;
using Tuntas.Registry;

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
    /// <summary>Tables the first load fills: families, persons and the families' history lines.</summary>
    private static readonly string[] _tables = ["families", "persons", "family_changes"];

    /// <summary>Indexes are rebuilt only for families and persons: the history's index (by family) is filled in family
    /// order, which costs less than a rebuild.</summary>
    private static readonly string[] _indexedTables = ["families", "persons"];

    private readonly List<string> _restore = [];

    /// <summary>
    /// PostgreSQL fills a person's name skeleton with this trigger (migration 0045). A BEFORE ROW trigger makes COPY
    /// insert row by row and costs a PL/pgSQL call per person, where the server is the slower side of a first load; the
    /// load drops it and writes the skeleton itself (<see cref="WritesNameSkeleton"/>). SQLite has no such trigger (a
    /// generated column): nothing to drop, nothing more to write.
    /// </summary>
    private const string NameSkeletonTrigger = "persons_name_skeleton";

    private string? _nameSkeletonTrigger;

    /// <summary>The load must write <c>nama_kerangka</c> and <c>nama_kerangka_akhir</c> (<see cref="RegistryColumns.PersonWithSkeleton"/>):
    /// the trigger that fills them is dropped until <see cref="RestoreAsync"/>.</summary>
    public bool WritesNameSkeleton => _nameSkeletonTrigger is not null;

    /// <summary>The foreign keys dropped on PostgreSQL, re-created by the same steps any bulk write uses (<see cref="BulkWriteSteps"/>).</summary>
    private readonly List<ForeignKey> _keys = [];

    private FirstLoadSchema()
    {
    }

    public static async Task<FirstLoadSchema> DropAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var schema = new FirstLoadSchema();
        var drops = new List<string>();
        // Indexes that back a constraint (primary keys, SQLite's autoindexes) stay, and ids arrive in ascending order,
        // so their B-trees only grow at the right edge. Every other index goes, even those whose keys also arrive in
        // order (family id, village): kept, each row's insert into them is PostgreSQL's work while the rows stream in,
        // when the server is the side both cores wait for; rebuilt, they are a sort of keys already in order. Dropping
        // the three measured 0.2-0.4 s faster on PostgreSQL, the same on SQLite (docs/benchmarks.md, "The CSV reader a
        // run at a time").
        foreach (var (name, definition) in await database.ReadSecondaryIndexesAsync(connection, transaction, _indexedTables, cancellationToken))
        {
            drops.Add($"DROP INDEX {Quote(name)}");
            schema._restore.Add(definition);
        }
        // PostgreSQL checks a foreign key with a trigger per inserted row; re-adding the constraint checks all rows in
        // one join. SQLite's checks are plain index probes and stay (deferred to the commit): it reads no keys.
        schema._keys.AddRange(await database.ReadForeignKeysAsync(connection, transaction, _tables, cancellationToken));
        if (drops.Count > 0)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = string.Join(";\n", drops);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await database.DropForeignKeysAsync(connection, transaction, schema._keys, cancellationToken);
        schema._nameSkeletonTrigger = await database.ReadTriggerAsync(connection, transaction, "persons", NameSkeletonTrigger, cancellationToken);
        if (schema._nameSkeletonTrigger is not null)
        {
            await database.DropTriggerAsync(connection, transaction, "persons", NameSkeletonTrigger, cancellationToken);
        }
        return schema;
    }

    /// <summary>Builds the indexes once (<see cref="BulkWriteSteps.BuildIndexesAsync"/>), re-checks the foreign keys and
    /// re-creates the name-skeleton trigger.</summary>
    public async Task RestoreAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await database.BuildIndexesAsync(connection, transaction, _restore, cancellationToken);
        if (_keys.Count > 0)
        {
            await BulkWriteSteps.AddForeignKeysAsync(connection, transaction, _keys, cancellationToken);
        }
        if (_nameSkeletonTrigger is not null)
        {
            await BulkWriteSteps.ExecuteDefinitionAsync(connection, transaction, _nameSkeletonTrigger, cancellationToken);
        }
    }

    /// <summary>Index names come from the catalogue; quoted anyway, as the catalogue allows any name.</summary>
    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

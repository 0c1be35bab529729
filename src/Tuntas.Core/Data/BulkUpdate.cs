using System.Data.Common;

namespace Tuntas.Data;

/// <summary>
/// Updates rows by id beside EF's change tracker (ARCHITECTURE §3): a prepared <c>UPDATE table SET every column but id
/// WHERE id = @id</c>, reused for every changed row; with <paramref name="checkVersion"/> also <c>AND version =
/// @expected</c> (the registry writer's concurrency check). <see cref="VersionedAsync"/> picks the provider's fast path
/// for many rows at once.
/// </summary>
public sealed class BulkUpdate<T>(TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn<T>> columns,
    bool checkVersion = false) : IAsyncDisposable
{
    private DbCommand? _command;

    /// <summary>Returns the rows updated: 0 when <paramref name="expectedVersion"/> no longer matches.</summary>
    public async Task<int> UpdateAsync(long id, T row, CancellationToken cancellationToken, long expectedVersion = 0)
    {
        var settable = columns.Where(c => c.Sql != "id").ToList();
        if (_command is null)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = $"UPDATE {table} SET {string.Join(", ", settable.Select((c, i) => $"{c.Sql} = @p{i}"))} WHERE id = @id"
                + (checkVersion ? " AND version = @expected" : "");
            for (var i = 0; i < settable.Count; i++)
            {
                _command.AddParameter(string.Create(CultureInfo.InvariantCulture, $"@p{i}"), null);
            }
            _command.AddParameter("@id", 0L);
            if (checkVersion)
            {
                _command.AddParameter("@expected", 0L);
            }
        }
        for (var i = 0; i < settable.Count; i++)
        {
            _command.Parameters[i].Value = database.Dialect.Value(settable[i].Kind, settable[i].Get(row));
        }
        _command.Parameters[settable.Count].Value = id;
        if (checkVersion)
        {
            _command.Parameters[settable.Count + 1].Value = expectedVersion;
        }
        return await _command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_command is not null)
        {
            await _command.DisposeAsync();
        }
    }

    /// <summary>
    /// Sets <paramref name="columns"/> (never <c>id</c>) of many rows, each guarded by the version its writer read;
    /// returns the rows updated (fewer than given when another writer raised a version meanwhile). SQLite: the prepared
    /// UPDATE run per row (in-process, no round trip). PostgreSQL: one <c>UPDATE … FROM unnest(arrays)</c> for all of
    /// them (a statement per row is a round trip each: 33 s for 50,000 families, docs/benchmarks.md#verivali).
    /// </summary>
    public static Task<int> VersionedAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<BulkColumn<T>> columns, IReadOnlyList<(long Id, long ExpectedVersion, T Row)> rows, CancellationToken cancellationToken) =>
        ManyAsync(database, connection, transaction, table, columns, rows, versioned: true, cancellationToken);

    /// <summary>
    /// Sets <paramref name="columns"/> (never <c>id</c>) of many rows, unguarded: the import's changed rows, written under
    /// its exclusive lock. The same fast paths as <see cref="VersionedAsync"/>.
    /// </summary>
    public static Task<int> ManyAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<BulkColumn<T>> columns, IReadOnlyList<(long Id, T Row)> rows, CancellationToken cancellationToken) =>
        ManyAsync(database, connection, transaction, table, columns, [.. rows.Select(r => (r.Id, 0L, r.Row))], versioned: false, cancellationToken);

    private static async Task<int> ManyAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<BulkColumn<T>> columns, IReadOnlyList<(long Id, long ExpectedVersion, T Row)> rows, bool versioned, CancellationToken cancellationToken)
    {
        columns = [.. columns.Where(c => c.Sql != "id")];
        var updated = 0;
        if (database.IsSqlite)
        {
            await using var updater = new BulkUpdate<T>(database, connection, transaction, table, columns, checkVersion: versioned);
            foreach (var (id, expected, row) in rows)
            {
                updated += await updater.UpdateAsync(id, row, cancellationToken, expectedVersion: expected);
            }
            return updated;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE {table} t SET {string.Join(", ", columns.Select((c, i) => $"{c.Sql} = v.c{i}"))} "
            + $"FROM unnest(@id, @expected{string.Concat(columns.Select((_, i) => $", @c{i}"))}) AS v(id, expected{string.Concat(columns.Select((_, i) => $", c{i}"))}) "
            + "WHERE t.id = v.id" + (versioned ? " AND t.version = v.expected" : "");
        command.AddParameter("@id", rows.Select(r => r.Id).ToArray());
        command.AddParameter("@expected", rows.Select(r => r.ExpectedVersion).ToArray());
        for (var i = 0; i < columns.Count; i++)
        {
            command.AddParameter(string.Create(CultureInfo.InvariantCulture, $"@c{i}"), TypedArray(columns[i], rows.Select(r => r.Row)));
        }
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One column of many rows as an array PostgreSQL types from its CLR type (bigint[], date[], …).</summary>
    private static object TypedArray(BulkColumn<T> column, IEnumerable<T> rows)
    {
        var values = rows.Select(column.Get);
        return column.Kind switch
        {
            ColumnKind.Long => values.Select(v => v is null ? (long?)null : Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray(),
            ColumnKind.Int => values.Select(v => v is null ? (int?)null : Convert.ToInt32(v, CultureInfo.InvariantCulture)).ToArray(),
            ColumnKind.Double => values.Select(v => (double?)v).ToArray(),
            ColumnKind.Bool => values.Select(v => (bool?)v).ToArray(),
            ColumnKind.Date => values.Select(v => (DateOnly?)v).ToArray(),
            ColumnKind.Timestamp => values.Select(v => (DateTime?)v).ToArray(),
            _ => values.Select(v => (string?)v).ToArray(),
        };
    }
}

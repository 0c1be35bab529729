using System.Data.Common;

namespace Tuntas.Registry;

/// <summary>Reads registry rows by id (the changed rows of an import), a chunk in one statement; they are written back
/// with <see cref="BulkUpdate{T}"/>.</summary>
public static class RegistryRows
{
    /// <summary>
    /// The rows of many ids in one statement (the ids as one parameter, <see cref="SqlDialect.Ids"/>), keyed by id. An
    /// import that changes every family of a regency read them one statement each: a round trip per row, which on
    /// PostgreSQL was most of an update of 20,000 persons (docs/benchmarks.md, "Import profiles").
    /// </summary>
    public static async Task<Dictionary<long, T>> ReadManyAsync<T>(TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<RegistryColumn<T>> columns, IReadOnlyCollection<long> ids, Func<T> create, CancellationToken cancellationToken) where T : class
    {
        var rows = new Dictionary<long, T>(ids.Count);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT id, {string.Join(", ", columns.Select(c => c.Sql))} FROM {table} WHERE id IN ({database.Dialect.SelectIds("@ids")})";
        command.AddParameter("@ids", database.Dialect.Ids(ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = create();
            for (var i = 0; i < columns.Count; i++)
            {
                columns[i].Set(row, ReadValue(reader, i + 1, columns[i].Kind));
            }
            rows[reader.GetInt64(0)] = row;
        }
        return rows;
    }

    public static object? ReadValue(DbDataReader reader, int i, ColumnKind kind)
    {
        if (reader.IsDBNull(i))
        {
            return null;
        }
        return kind switch
        {
            ColumnKind.Long => reader.GetInt64(i),
            ColumnKind.Int => Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture),
            ColumnKind.Double => reader.GetDouble(i),
            ColumnKind.Bool => reader.GetValue(i) is bool b ? b : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture) != 0,
            ColumnKind.Text => reader.GetString(i),
            ColumnKind.Date => reader.GetValue(i) switch
            {
                DateOnly d => d,
                DateTime t => DateOnly.FromDateTime(t),
                var v => DateOnly.Parse(Convert.ToString(v, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
            },
            ColumnKind.Timestamp => reader.GetValue(i) switch
            {
                DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
                var v => DateTime.SpecifyKind(DateTime.Parse(Convert.ToString(v, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture), DateTimeKind.Utc),
            },
            _ => reader.GetValue(i),
        };
    }
}

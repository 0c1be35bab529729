using System.Data.Common;

namespace Tuntas.Registry;

/// <summary>Reads and updates single registry rows by id (the changed rows of an import): plain prepared statements.</summary>
public static class RegistryRows
{
    public static async Task<T?> ReadAsync<T>(DbConnection connection, DbTransaction transaction, string table,
        IReadOnlyList<RegistryColumn<T>> columns, long id, Func<T> create, CancellationToken cancellationToken) where T : class
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => c.Sql))} FROM {table} WHERE id = @id";
        command.AddParameter("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var row = create();
        for (var i = 0; i < columns.Count; i++)
        {
            columns[i].Set(row, ReadValue(reader, i, columns[i].Kind));
        }
        return row;
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

    /// <summary>
    /// A prepared <c>UPDATE table SET every column but id WHERE id = @id</c>, reused for every changed row; with
    /// <paramref name="checkVersion"/> also <c>AND version = @expected</c> (the registry writer's concurrency check).
    /// </summary>
    public sealed class Updater<T>(TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn<T>> columns,
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
                var value = settable[i].Get(row);
                _command.Parameters[i].Value = database.IsSqlite
                    ? BulkInsert<T>.SqliteValue(settable[i].Kind, value)
                    : value ?? DBNull.Value;
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
    }
}

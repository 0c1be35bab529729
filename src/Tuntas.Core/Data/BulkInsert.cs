using System.Data.Common;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Tuntas.Registry;

namespace Tuntas.Data;

/// <summary>
/// Streams rows into a table on the provider's fast path, bypassing EF's change tracker (ARCHITECTURE §3): SQLite
/// multi-row prepared INSERTs inside the caller's transaction; PostgreSQL binary COPY. Ids are assigned by the caller.
/// </summary>
public abstract class BulkInsert<T> : IAsyncDisposable
{
    public static async Task<BulkInsert<T>> StartAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        string table, IReadOnlyList<RegistryColumn<T>> columns, CancellationToken cancellationToken)
    {
        if (database.IsSqlite)
        {
            return new SqliteBulkInsert<T>(connection, transaction, table, columns);
        }
        var columnList = string.Join(", ", columns.Select(c => c.Sql));
        var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            $"COPY {table} ({columnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        return new PostgresBulkInsert<T>(importer, columns);
    }

    public long Count { get; protected set; }

    public abstract ValueTask AddAsync(T row, CancellationToken cancellationToken);

    public abstract ValueTask CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>SQLite stores booleans as 0/1, dates and times as ISO text (as EF Core's SQLite provider does).</summary>
    internal static object SqliteValue(ColumnKind kind, object? value) => value switch
    {
        null => DBNull.Value,
        bool b => b ? 1L : 0L,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        _ => kind == ColumnKind.Int ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : value,
    };
}

internal sealed class SqliteBulkInsert<T> : BulkInsert<T>
{
    // Rows per statement: one INSERT with many VALUES tuples cuts per-statement overhead (measured in bench/).
    private const int RowsPerStatement = 1;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly IReadOnlyList<RegistryColumn<T>> _columns;
    private readonly string _table;
    private readonly List<T> _pending = new(RowsPerStatement);
    private DbCommand? _full;

    public SqliteBulkInsert(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<RegistryColumn<T>> columns)
    {
        _connection = connection;
        _transaction = transaction;
        _table = table;
        _columns = columns;
    }

    public override async ValueTask AddAsync(T row, CancellationToken cancellationToken)
    {
        _pending.Add(row);
        Count++;
        if (_pending.Count == RowsPerStatement)
        {
            _full ??= await PrepareAsync(RowsPerStatement, cancellationToken);
            await ExecuteAsync(_full, cancellationToken);
        }
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count > 0)
        {
            await using var partial = await PrepareAsync(_pending.Count, cancellationToken);
            await ExecuteAsync(partial, cancellationToken);
        }
    }

    private async Task<DbCommand> PrepareAsync(int rows, CancellationToken cancellationToken)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        var sql = new StringBuilder();
        sql.Append("INSERT INTO ").Append(_table).Append(" (").AppendJoin(", ", _columns.Select(c => c.Sql)).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Count; c++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{c}");
                sql.Append(c == 0 ? "" : ", ").Append(name);
                command.AddParameter(name, null);
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        await command.PrepareAsync(cancellationToken);
        return command;
    }

    private async Task ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var p = 0;
        foreach (var row in _pending)
        {
            foreach (var column in _columns)
            {
                command.Parameters[p++].Value = SqliteValue(column.Kind, column.Get(row));
            }
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
        _pending.Clear();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync();
        }
    }
}

internal sealed class PostgresBulkInsert<T>(NpgsqlBinaryImporter importer, IReadOnlyList<RegistryColumn<T>> columns) : BulkInsert<T>
{
    private bool _completed;

    public override async ValueTask AddAsync(T row, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken);
        foreach (var column in columns)
        {
            var value = column.Get(row);
            if (value is null)
            {
                await importer.WriteNullAsync(cancellationToken);
                continue;
            }
            switch (column.Kind)
            {
                case ColumnKind.Long:
                    await importer.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, cancellationToken);
                    break;
                case ColumnKind.Int:
                    await importer.WriteAsync((int)value, NpgsqlDbType.Integer, cancellationToken);
                    break;
                case ColumnKind.Double:
                    await importer.WriteAsync((double)value, NpgsqlDbType.Double, cancellationToken);
                    break;
                case ColumnKind.Bool:
                    await importer.WriteAsync((bool)value, NpgsqlDbType.Boolean, cancellationToken);
                    break;
                case ColumnKind.Text:
                    await importer.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken);
                    break;
                case ColumnKind.Date:
                    await importer.WriteAsync((DateOnly)value, NpgsqlDbType.Date, cancellationToken);
                    break;
                case ColumnKind.Timestamp:
                    await importer.WriteAsync((DateTime)value, NpgsqlDbType.TimestampTz, cancellationToken);
                    break;
            }
        }
        Count++;
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await importer.CompleteAsync(cancellationToken);
        _completed = true;
    }

    public override async ValueTask DisposeAsync()
    {
        // Disposing an uncompleted importer cancels the COPY; the surrounding transaction then rolls back.
        _ = _completed;
        await importer.DisposeAsync();
    }
}

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

    /// <summary>A prepared <c>UPDATE table SET every column but id WHERE id = @id</c>, reused for every changed row.</summary>
    public sealed class Updater<T>(TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<RegistryColumn<T>> columns) : IAsyncDisposable
    {
        private DbCommand? _command;

        public async Task UpdateAsync(long id, T row, CancellationToken cancellationToken)
        {
            var settable = columns.Where(c => c.Sql != "id").ToList();
            if (_command is null)
            {
                _command = connection.CreateCommand();
                _command.Transaction = transaction;
                _command.CommandText = $"UPDATE {table} SET {string.Join(", ", settable.Select((c, i) => $"{c.Sql} = @p{i}"))} WHERE id = @id";
                for (var i = 0; i < settable.Count; i++)
                {
                    _command.AddParameter(string.Create(CultureInfo.InvariantCulture, $"@p{i}"), null);
                }
                _command.AddParameter("@id", 0L);
            }
            for (var i = 0; i < settable.Count; i++)
            {
                var value = settable[i].Get(row);
                _command.Parameters[i].Value = database.IsSqlite
                    ? BulkInsert<T>.SqliteValue(settable[i].Kind, value)
                    : value ?? DBNull.Value;
            }
            _command.Parameters[settable.Count].Value = id;
            await _command.ExecuteNonQueryAsync(cancellationToken);
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

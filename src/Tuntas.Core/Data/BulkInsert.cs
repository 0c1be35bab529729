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
            return new SqliteBulkInsert<T>(connection, table, columns);
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

/// <summary>
/// SQLite's fastest path: one statement prepared once on the connection's native handle, values bound by position
/// (Microsoft.Data.Sqlite re-resolves every named parameter on each execution), stepped and reset per row, inside the
/// caller's transaction. Strings are bound as UTF-8 from a reused buffer.
/// </summary>
internal sealed class SqliteBulkInsert<T> : BulkInsert<T>
{
    private readonly SQLitePCL.sqlite3 _handle;
    private readonly SQLitePCL.sqlite3_stmt _statement;
    private readonly IReadOnlyList<RegistryColumn<T>> _columns;
    private byte[] _utf8 = new byte[1024];
    private DateTime _lastTimestamp;
    private byte[] _lastTimestampText = [];

    public SqliteBulkInsert(DbConnection connection, string table, IReadOnlyList<RegistryColumn<T>> columns)
    {
        _columns = columns;
        _handle = ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle!;
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Sql))}) VALUES ({string.Join(", ", columns.Select(_ => "?"))})";
        Check(SQLitePCL.raw.sqlite3_prepare_v2(_handle, sql, out _statement));
    }

    public override ValueTask AddAsync(T row, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            var index = i + 1;
            switch (_columns[i].Get(row))
            {
                case null:
                    SQLitePCL.raw.sqlite3_bind_null(_statement, index);
                    break;
                case long l:
                    SQLitePCL.raw.sqlite3_bind_int64(_statement, index, l);
                    break;
                case int n:
                    SQLitePCL.raw.sqlite3_bind_int64(_statement, index, n);
                    break;
                case bool b:
                    SQLitePCL.raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0);
                    break;
                case double d:
                    SQLitePCL.raw.sqlite3_bind_double(_statement, index, d);
                    break;
                case string text:
                    BindText(index, text);
                    break;
                case DateOnly date:
                    date.TryFormat(_utf8, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    SQLitePCL.raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, written));
                    break;
                case DateTime time:
                    // Every row of an import carries the same timestamp: format it once.
                    if (time != _lastTimestamp || _lastTimestampText.Length == 0)
                    {
                        _lastTimestamp = time;
                        _lastTimestampText = Encoding.UTF8.GetBytes((string)SqliteValue(ColumnKind.Timestamp, time));
                    }
                    SQLitePCL.raw.sqlite3_bind_text(_statement, index, _lastTimestampText);
                    break;
                default:
                    throw new InvalidOperationException("Unsupported value for column " + _columns[i].Sql);
            }
        }
        var rc = SQLitePCL.raw.sqlite3_step(_statement);
        SQLitePCL.raw.sqlite3_reset(_statement);
        if (rc != SQLitePCL.raw.SQLITE_DONE)
        {
            throw new Microsoft.Data.Sqlite.SqliteException(SQLitePCL.raw.sqlite3_errmsg(_handle).utf8_to_string(), rc);
        }
        Count++;
        return ValueTask.CompletedTask;
    }

    private void BindText(int index, string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > _utf8.Length)
        {
            _utf8 = new byte[max];
        }
        var length = Encoding.UTF8.GetBytes(text, _utf8);
        SQLitePCL.raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, length));
    }

    private void Check(int rc)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            throw new Microsoft.Data.Sqlite.SqliteException(SQLitePCL.raw.sqlite3_errmsg(_handle).utf8_to_string(), rc);
        }
    }

    public override ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public override ValueTask DisposeAsync()
    {
        _statement.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL binary COPY. The synchronous writer API is used on purpose: one awaited call per value costs more than
/// the value itself, and the import already runs this on its own thread.
/// </summary>
internal sealed class PostgresBulkInsert<T>(NpgsqlBinaryImporter importer, IReadOnlyList<RegistryColumn<T>> columns) : BulkInsert<T>
{
    public override ValueTask AddAsync(T row, CancellationToken cancellationToken)
    {
        importer.StartRow();
        foreach (var column in columns)
        {
            var value = column.Get(row);
            if (value is null)
            {
                importer.WriteNull();
                continue;
            }
            switch (column.Kind)
            {
                case ColumnKind.Long:
                    importer.Write(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint);
                    break;
                case ColumnKind.Int:
                    importer.Write((int)value, NpgsqlDbType.Integer);
                    break;
                case ColumnKind.Double:
                    importer.Write((double)value, NpgsqlDbType.Double);
                    break;
                case ColumnKind.Bool:
                    importer.Write((bool)value, NpgsqlDbType.Boolean);
                    break;
                case ColumnKind.Text:
                    importer.Write((string)value, NpgsqlDbType.Text);
                    break;
                case ColumnKind.Date:
                    importer.Write((DateOnly)value, NpgsqlDbType.Date);
                    break;
                case ColumnKind.Timestamp:
                    importer.Write((DateTime)value, NpgsqlDbType.TimestampTz);
                    break;
            }
        }
        Count++;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken) => await importer.CompleteAsync(cancellationToken);

    // Disposing an uncompleted importer cancels the COPY; the surrounding transaction then rolls back.
    public override ValueTask DisposeAsync() => importer.DisposeAsync();
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

    /// <summary>
    /// A prepared <c>UPDATE table SET every column but id WHERE id = @id</c>, reused for every changed row; with
    /// <paramref name="checkVersion"/> also <c>AND version = @expected</c> (the registry writer's concurrency check).
    /// </summary>
    public sealed class Updater<T>(TuntasDatabase database, DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<RegistryColumn<T>> columns,
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

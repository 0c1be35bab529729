using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Tuntas.Data;

/// <summary>
/// Streams rows into a table on the provider's fast path, bypassing EF's change tracker (ARCHITECTURE §3): SQLite
/// multi-row prepared INSERTs inside the caller's transaction; PostgreSQL binary COPY. Ids are assigned by the caller.
/// </summary>
public abstract class BulkInsert<T> : IAsyncDisposable
{
    public static async Task<BulkInsert<T>> StartAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        string table, IReadOnlyList<BulkColumn<T>> columns, CancellationToken cancellationToken)
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
    private readonly IReadOnlyList<BulkColumn<T>> _columns;
    private byte[] _utf8 = new byte[1024];
    private DateTime _lastTimestamp;
    private byte[] _lastTimestampText = [];

    /// <param name="conflict">An <c>ON CONFLICT …</c> clause for an upsert (<see cref="BulkWriteSteps.UpsertAsync"/>), or none.</param>
    public SqliteBulkInsert(DbConnection connection, string table, IReadOnlyList<BulkColumn<T>> columns, string conflict = "")
    {
        _columns = columns;
        _handle = ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle!;
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Sql))}) VALUES ({string.Join(", ", columns.Select(_ => "?"))})"
            + (conflict.Length > 0 ? " " + conflict : "");
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
                        _lastTimestampText = Encoding.UTF8.GetBytes((string)SqlDialect.SqliteValue(ColumnKind.Timestamp, time));
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
internal sealed class PostgresBulkInsert<T>(NpgsqlBinaryImporter importer, IReadOnlyList<BulkColumn<T>> columns) : BulkInsert<T>
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

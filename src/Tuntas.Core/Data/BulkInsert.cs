using System.Buffers.Binary;
using System.Data.Common;
using System.Runtime.InteropServices;
using Npgsql;

namespace Tuntas.Data;

/// <summary>
/// Streams rows into a table on the provider's fast path, bypassing EF's change tracker (ARCHITECTURE §3): SQLite one
/// prepared INSERT stepped per row inside the caller's transaction; PostgreSQL binary COPY. Ids are assigned by the caller.
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
        return await PostgresBulkInsert<T>.BeginAsync((NpgsqlConnection)connection, table, columns, cancellationToken);
    }

    public long Count { get; protected set; }

    public abstract ValueTask AddAsync(T row, CancellationToken cancellationToken);

    public abstract ValueTask CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// SQLite's fastest path: one statement prepared once on the connection's native handle, values bound by position
/// (Microsoft.Data.Sqlite re-resolves every named parameter on each execution), stepped and reset per row, inside the
/// caller's transaction. A row's texts are written as UTF-8 one after another into a pinned buffer and bound where they
/// lie (SQLITE_STATIC), so SQLite copies none of them; the binds go straight to the statement pointer
/// (<see cref="SqliteNative"/>).
/// </summary>
internal sealed class SqliteBulkInsert<T> : BulkInsert<T>
{
    private readonly SQLitePCL.sqlite3 _handle;
    private readonly SQLitePCL.sqlite3_stmt _statement;
    private readonly IntPtr _pointer;
    private readonly IReadOnlyList<BulkColumn<T>> _columns;

    /// <summary>The current row's texts. Pinned, so the addresses bound stay valid until the row is stepped.</summary>
    private byte[] _row = _spareRow ?? GC.AllocateUninitializedArray<byte>(16 * 1024, pinned: true);

    /// <summary>The buffer of the last insert on this thread, for the next one: a first load starts an insert per batch
    /// of rows, and a pinned buffer each time counted against the large-object budget, which set off a full collection
    /// every few batches.</summary>
    [ThreadStatic]
    private static byte[]? _spareRow;

    /// <summary>Rows too long for <see cref="_row"/> move to a bigger buffer; the old one is kept while the statement may
    /// still point into it (until this insert is disposed: it happens a handful of times, if ever).</summary>
    private readonly List<byte[]> _outgrown = [];
    private int _used;
    private DateTime _lastTimestamp;
    private string _lastTimestampText = "";

    /// <param name="conflict">An <c>ON CONFLICT …</c> clause for an upsert (<see cref="BulkWriteSteps.UpsertAsync"/>), or none.</param>
    public SqliteBulkInsert(DbConnection connection, string table, IReadOnlyList<BulkColumn<T>> columns, string conflict = "")
    {
        _columns = columns;
        _handle = ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle!;
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Sql))}) VALUES ({string.Join(", ", columns.Select(_ => "?"))})"
            + (conflict.Length > 0 ? " " + conflict : "");
        Check(SQLitePCL.raw.sqlite3_prepare_v2(_handle, sql, out _statement));
        _pointer = _statement.DangerousGetHandle();
        _spareRow = null;
    }

    public override ValueTask AddAsync(T row, CancellationToken cancellationToken)
    {
        _used = 0;
        for (var i = 0; i < _columns.Count; i++)
        {
            var index = i + 1;
            var value = _columns[i].Read(row);
            var rc = value.Type switch
            {
                ColumnValueType.Null => SqliteNative.BindNull(_pointer, index),
                ColumnValueType.Long or ColumnValueType.Int => SqliteNative.BindInt64(_pointer, index, value.Long),
                ColumnValueType.Bool => SqliteNative.BindInt64(_pointer, index, value.Bool ? 1 : 0),
                ColumnValueType.Double => SqliteNative.BindDouble(_pointer, index, value.Double),
                ColumnValueType.Text => BindText(index, value.Text),
                ColumnValueType.Date => BindDate(index, value.Date),
                // Every row of an import carries the same timestamp: format it once.
                ColumnValueType.Timestamp => BindText(index, TimestampText(value.Timestamp)),
                _ => throw new InvalidOperationException("Unsupported value for column " + _columns[i].Sql),
            };
            Check(rc);
        }
        var step = SqliteNative.Step(_pointer);
        SqliteNative.Reset(_pointer);
        if (step != SQLitePCL.raw.SQLITE_DONE)
        {
            throw new Microsoft.Data.Sqlite.SqliteException(SQLitePCL.raw.sqlite3_errmsg(_handle).utf8_to_string(), step);
        }
        Count++;
        return ValueTask.CompletedTask;
    }

    private string TimestampText(DateTime time)
    {
        if (time != _lastTimestamp || _lastTimestampText.Length == 0)
        {
            _lastTimestamp = time;
            _lastTimestampText = (string)SqlDialect.SqliteValue(ColumnKind.Timestamp, time);
        }
        return _lastTimestampText;
    }

    private int BindText(int index, string text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        return BindWritten(index, Encoding.UTF8.GetBytes(text, _row.AsSpan(_used)));
    }

    private int BindDate(int index, DateOnly date)
    {
        Reserve(10);
        date.TryFormat(_row.AsSpan(_used), out var length, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return BindWritten(index, length);
    }

    private void Reserve(int bytes)
    {
        if (_used + bytes > _row.Length)
        {
            _outgrown.Add(_row);
            _row = GC.AllocateUninitializedArray<byte>(Math.Max(_row.Length * 2, bytes), pinned: true);
            _used = 0;
        }
    }

    /// <summary>Binds the <paramref name="length"/> bytes just written at the end of the row's texts.</summary>
    private int BindWritten(int index, int length)
    {
        var rc = SqliteNative.BindText(_pointer, index, Marshal.UnsafeAddrOfPinnedArrayElement(_row, _used), length, SqliteNative.Static);
        _used += length;
        return rc;
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
        _outgrown.Clear();
        _spareRow = _row;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL binary COPY, encoded here into one reused buffer and sent on the connection's raw COPY stream. Npgsql's
/// binary importer resolved a converter and ran a state machine for every value, which cost the import more CPU than
/// the values themselves on a two-core machine where the server needs the other core; the format itself is a few
/// big-endian integers per value (PostgreSQL's "Binary Format" of COPY). Written synchronously on purpose: the import
/// already runs this on its own thread.
/// </summary>
internal sealed class PostgresBulkInsert<T>(Stream stream, IReadOnlyList<BulkColumn<T>> columns) : BulkInsert<T>
{
    /// <summary>The columns as an array: a <c>foreach</c> over the list interface allocated an enumerator per row.</summary>
    private readonly BulkColumn<T>[] _columns = [.. columns];

    /// <summary>The signature, flags and header extension length that open every binary COPY.</summary>
    private static readonly byte[] _header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>PostgreSQL counts dates and timestamps from 2000-01-01.</summary>
    private static readonly int _epochDay = new DateOnly(2000, 1, 1).DayNumber;

    private static readonly long _epochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private byte[] _buffer = new byte[64 * 1024];
    private int _length;
    private bool _completed;

    public static async Task<PostgresBulkInsert<T>> BeginAsync(NpgsqlConnection connection, string table, IReadOnlyList<BulkColumn<T>> columns,
        CancellationToken cancellationToken) =>
        EncodingInto(await BeginCopyAsync(connection, table, columns, cancellationToken), columns);

    /// <summary>The <c>COPY … FROM STDIN (FORMAT BINARY)</c> of these columns, begun on the connection.</summary>
    public static Task<NpgsqlRawCopyStream> BeginCopyAsync(NpgsqlConnection connection, string table, IReadOnlyList<BulkColumn<T>> columns,
        CancellationToken cancellationToken) =>
        connection.BeginRawBinaryCopyAsync($"COPY {table} ({string.Join(", ", columns.Select(c => c.Sql))}) FROM STDIN (FORMAT BINARY)", cancellationToken);

    /// <summary>Encodes rows into <paramref name="target"/>: a COPY begun on the connection, or memory holding them for later
    /// (<see cref="QueuedRows{T}"/>, which ends them with <see cref="EndRows"/>).</summary>
    public static PostgresBulkInsert<T> EncodingInto(Stream target, IReadOnlyList<BulkColumn<T>> columns)
    {
        var insert = new PostgresBulkInsert<T>(target, columns);
        _header.CopyTo(insert._buffer, 0);
        insert._length = _header.Length;
        return insert;
    }

    public override ValueTask AddAsync(T row, CancellationToken cancellationToken)
    {
        Add(row);
        return ValueTask.CompletedTask;
    }

    public void Add(T row)
    {
        Reserve(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), (short)_columns.Length);
        _length += 2;
        foreach (var column in _columns)
        {
            var value = column.Read(row);
            if (value.IsNull)
            {
                WriteInt32(-1, 0);
                continue;
            }
            switch (column.Kind)
            {
                case ColumnKind.Long:
                    WriteInt64(value.Long);
                    break;
                case ColumnKind.Int:
                    WriteInt32(4, 4);
                    WriteInt32(value.Int, 0);
                    break;
                case ColumnKind.Double:
                    WriteInt64(BitConverter.DoubleToInt64Bits(value.Double));
                    break;
                case ColumnKind.Bool:
                    WriteInt32(1, 1);
                    _buffer[_length++] = value.Bool ? (byte)1 : (byte)0;
                    break;
                case ColumnKind.Text:
                    WriteText(value.Text);
                    break;
                case ColumnKind.Date:
                    WriteInt32(4, 4);
                    WriteInt32(DateValue(value.Date), 0);
                    break;
                case ColumnKind.Timestamp:
                    WriteInt64(TimestampValue(value.Timestamp));
                    break;
            }
        }
        Count++;
    }

    /// <summary>The extremes are PostgreSQL's infinities, as Npgsql writes them.</summary>
    private static int DateValue(DateOnly date) =>
        date == DateOnly.MinValue ? int.MinValue : date == DateOnly.MaxValue ? int.MaxValue : date.DayNumber - _epochDay;

    /// <summary>A <c>timestamptz</c> is an instant: only a UTC time is one (Npgsql refuses the other kinds too).</summary>
    private static long TimestampValue(DateTime time)
    {
        if (time == DateTime.MinValue)
        {
            return long.MinValue;
        }
        if (time == DateTime.MaxValue)
        {
            return long.MaxValue;
        }
        if (time.Kind != DateTimeKind.Utc)
        {
            throw new InvalidCastException($"Cannot write a DateTime of kind {time.Kind} to a timestamp with time zone; only UTC is supported.");
        }
        return (time.Ticks - _epochTicks) / TimeSpan.TicksPerMicrosecond;
    }

    /// <summary>A field's length, then its eight bytes.</summary>
    private void WriteInt64(long value)
    {
        WriteInt32(8, 8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>Writes a big-endian int32, with room for <paramref name="following"/> more bytes after it.</summary>
    private void WriteInt32(int value, int following)
    {
        Reserve(4 + following);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    private void WriteText(string text)
    {
        Reserve(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), written);
        _length += 4 + written;
    }

    /// <summary>Sends the buffer when <paramref name="bytes"/> more would not fit; grows it for a value larger than the buffer.</summary>
    private void Reserve(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }
        Flush();
        if (bytes > _buffer.Length)
        {
            _buffer = new byte[bytes];
        }
    }

    private void Flush()
    {
        stream.Write(_buffer, 0, _length);
        _length = 0;
    }

    /// <summary>The trailer that ends the rows, and everything still in the buffer, written to the target.</summary>
    public void EndRows()
    {
        WriteTrailer();
        Flush();
    }

    private void WriteTrailer()
    {
        Reserve(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), -1);
        _length += 2;
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        WriteTrailer();
        await stream.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
        _length = 0;
        _completed = true;
        // Disposing the raw stream ends the COPY and reads the server's answer (a constraint violated by a row surfaces here).
        await stream.DisposeAsync();
    }

    // An uncompleted COPY is cancelled, never ended: a row half in the buffer must not reach the table. The surrounding
    // transaction then rolls back.
    public override async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _completed = true;
            await ((NpgsqlRawCopyStream)stream).CancelAsync();
            await stream.DisposeAsync();
        }
    }
}

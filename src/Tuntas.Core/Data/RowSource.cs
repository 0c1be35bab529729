using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tuntas.Data;

/// <summary>
/// Forward-only rows of one query, read column by column, the provider's own way (chosen here, so that the readers —
/// the targeting snapshot, the linkage's persons, open enrollments — do not ask). The snapshot reads millions of
/// values, so SQLite is read through its native statement (no ADO.NET per-value overhead, as the import writes it);
/// PostgreSQL through Npgsql's data reader with one typed accessor per column chosen once.
/// </summary>
internal abstract class RowSource : IDisposable
{
    public static RowSource Open(DbConnection connection, string sql) => connection is SqliteConnection sqlite
        ? new SqliteRowSource(sqlite, sql)
        : new ReaderRowSource(connection, sql);

    public abstract bool Next();

    /// <summary>A number, NaN when NULL (booleans 0/1).</summary>
    public abstract double Number(int column);

    /// <summary>A number from a NOT NULL column: skips the NULL check (a third of the columns, millions of calls).</summary>
    public virtual double Required(int column) => Number(column);

    public abstract long Int64(int column);

    public abstract string? Text(int column);

    /// <summary>
    /// A text from a small set of distinct values (occupations), returned as the set's shared instance: looked up
    /// without allocating a string per row when the provider hands out bytes.
    /// </summary>
    public virtual string? SharedText(int column, Dictionary<string, string> shared)
    {
        if (Text(column) is not { } text) return null;
        if (!shared.TryGetValue(text, out var instance)) shared[text] = instance = text;
        return instance;
    }

    public abstract DateOnly Date(int column);

    public abstract void Dispose();
}

internal sealed class SqliteRowSource : RowSource
{
    private readonly sqlite3_stmt _statement;

    public SqliteRowSource(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), rc);
        }
    }

    public override bool Next()
    {
        var rc = raw.sqlite3_step(_statement);
        return rc == raw.SQLITE_ROW ? true
            : rc == raw.SQLITE_DONE ? false
            : throw new SqliteException("sqlite3_step: " + rc.ToString(CultureInfo.InvariantCulture), rc);
    }

    public override double Number(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? double.NaN : raw.sqlite3_column_double(_statement, column);

    public override double Required(int column) => raw.sqlite3_column_double(_statement, column);

    public override long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public override string? Text(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(_statement, column));

    private char[] _chars = new char[256];

    public override string? SharedText(int column, Dictionary<string, string> shared)
    {
        if (raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL) return null;
        var bytes = raw.sqlite3_column_blob(_statement, column);
        if (bytes.Length > _chars.Length) _chars = new char[bytes.Length];
        var length = Encoding.UTF8.GetChars(bytes, _chars);
        var lookup = shared.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(_chars.AsSpan(0, length), out var instance)) return instance;
        var text = new string(_chars, 0, length);
        shared[text] = text;
        return text;
    }

    /// <summary>Dates are stored as ISO text <c>yyyy-MM-dd</c> (as EF Core's SQLite provider writes them).</summary>
    public override DateOnly Date(int column)
    {
        var text = raw.sqlite3_column_blob(_statement, column);
        static int Digits(ReadOnlySpan<byte> s) { var n = 0; foreach (var b in s) n = n * 10 + (b - '0'); return n; }
        return new DateOnly(Digits(text[..4]), Digits(text.Slice(5, 2)), Digits(text.Slice(8, 2)));
    }

    public override void Dispose() => _statement.Dispose();
}

internal sealed class ReaderRowSource : RowSource
{
    private readonly DbCommand _command;
    private readonly DbDataReader _reader;
    private readonly Func<int, double>[] _numbers;

    public ReaderRowSource(DbConnection connection, string sql)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _command.CommandTimeout = 0;
        _reader = _command.ExecuteReader(System.Data.CommandBehavior.SequentialAccess);
        _numbers = Enumerable.Range(0, _reader.FieldCount).Select(NumberReader).ToArray();
    }

    private Func<int, double> NumberReader(int ordinal)
    {
        var type = _reader.GetFieldType(ordinal);
        if (type == typeof(bool)) return i => _reader.IsDBNull(i) ? double.NaN : _reader.GetBoolean(i) ? 1 : 0;
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return i => _reader.IsDBNull(i) ? double.NaN : _reader.GetDouble(i);
        if (type == typeof(int) || type == typeof(short)) return i => _reader.IsDBNull(i) ? double.NaN : _reader.GetInt32(i);
        if (type == typeof(long)) return i => _reader.IsDBNull(i) ? double.NaN : _reader.GetInt64(i);
        return _ => double.NaN;
    }

    public override bool Next() => _reader.Read();

    public override double Number(int column) => _numbers[column](column);

    public override long Int64(int column) => _reader.GetInt64(column);

    public override string? Text(int column) => _reader.IsDBNull(column) ? null : _reader.GetString(column);

    public override DateOnly Date(int column) => _reader.GetFieldValue<DateOnly>(column);

    public override void Dispose()
    {
        _reader.Dispose();
        _command.Dispose();
    }
}

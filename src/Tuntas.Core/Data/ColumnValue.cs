namespace Tuntas.Data;

/// <summary>What a <see cref="ColumnValue"/> holds: the .NET type the row's property had, or nothing.</summary>
public enum ColumnValueType : byte
{
    Null,
    Int,
    Long,
    Double,
    Bool,
    Date,
    Timestamp,
    Text,
}

/// <summary>
/// One value of a row as a bulk writer reads it (<see cref="BulkColumn{T}.Read"/>), unboxed: a first load reads about
/// forty values per person, and as <c>object</c> each number, flag and date was a heap allocation — 1.4 GB of a
/// 3.1 GB million-person PostgreSQL load, with the collections they cost (docs/benchmarks.md, "Values read without
/// boxing"). A property of any supported type converts to it implicitly, so a column is still declared as
/// <c>p =&gt; p.Nama</c>. It keeps the property's own type, not only the column's kind, because the row hash
/// (<see cref="Registry.RegistryColumns.ValueHash(ColumnValue)"/>) hashes by type.
/// </summary>
public readonly struct ColumnValue
{
    /// <summary>The number, flag (0/1), day number, ticks or double's bits; 0 for text and null.</summary>
    private readonly long _bits;
    private readonly string? _text;
    private readonly DateTimeKind _timeKind;

    public ColumnValueType Type { get; }

    private ColumnValue(ColumnValueType type, long bits, string? text = null, DateTimeKind timeKind = default)
    {
        Type = type;
        _bits = bits;
        _text = text;
        _timeKind = timeKind;
    }

    public static readonly ColumnValue Null = default;

    public bool IsNull => Type == ColumnValueType.Null;

    public int Int => (int)_bits;

    /// <summary>An int or a long: a column of kind Long may be read from an int property.</summary>
    public long Long => _bits;

    public double Double => BitConverter.Int64BitsToDouble(_bits);

    public bool Bool => _bits != 0;

    public DateOnly Date => DateOnly.FromDayNumber((int)_bits);

    public DateTime Timestamp => new(_bits, _timeKind);

    public string Text => _text!;

    /// <summary>The boxed value, for the paths that are not bulk (history text, comparisons, the back office's edits).</summary>
    public object? ToObject() => Type switch
    {
        ColumnValueType.Int => Int,
        ColumnValueType.Long => Long,
        ColumnValueType.Double => Double,
        ColumnValueType.Bool => Bool,
        ColumnValueType.Date => Date,
        ColumnValueType.Timestamp => Timestamp,
        ColumnValueType.Text => _text,
        _ => null,
    };

    public static implicit operator ColumnValue(int value) => new(ColumnValueType.Int, value);

    public static implicit operator ColumnValue(int? value) => value is { } v ? new(ColumnValueType.Int, v) : Null;

    public static implicit operator ColumnValue(long value) => new(ColumnValueType.Long, value);

    public static implicit operator ColumnValue(long? value) => value is { } v ? new(ColumnValueType.Long, v) : Null;

    public static implicit operator ColumnValue(double value) => new(ColumnValueType.Double, BitConverter.DoubleToInt64Bits(value));

    public static implicit operator ColumnValue(double? value) => value is { } v ? v : Null;

    public static implicit operator ColumnValue(bool value) => new(ColumnValueType.Bool, value ? 1 : 0);

    public static implicit operator ColumnValue(bool? value) => value is { } v ? v : Null;

    public static implicit operator ColumnValue(DateOnly value) => new(ColumnValueType.Date, value.DayNumber);

    public static implicit operator ColumnValue(DateOnly? value) => value is { } v ? v : Null;

    public static implicit operator ColumnValue(DateTime value) => new(ColumnValueType.Timestamp, value.Ticks, timeKind: value.Kind);

    public static implicit operator ColumnValue(DateTime? value) => value is { } v ? v : Null;

    public static implicit operator ColumnValue(string? value) => value is null ? Null : new(ColumnValueType.Text, 0, value);
}

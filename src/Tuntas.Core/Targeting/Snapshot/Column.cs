using System.Numerics;
using System.Runtime.InteropServices;

namespace Tuntas.Targeting.Snapshot;

/// <summary>
/// One value per family (or per member) as rules, models, deciles and the regression read it: a double, NaN when
/// unknown. Stored in the narrowest type that holds every value of the column exactly — a code or a 0/1 answer in a
/// byte, a count in a byte or a short, money, ratios and scores as doubles — because at the size of the largest
/// regencies (5.5 million persons) a registry of doubles alone is over a gigabyte (docs/benchmarks.md, "CLI start-up,
/// targeting export and memory"). Readers see the same doubles whatever the storage.
/// </summary>
public abstract class Column
{
    public abstract int Length { get; }

    public abstract double this[int index] { get; }

    /// <summary>Values <paramref name="start"/> … into <paramref name="target"/> (its whole length), NaN for unknown.</summary>
    public abstract void CopyTo(int start, Span<double> target);

    /// <summary>Every value as a new array of doubles.</summary>
    public double[] ToArray()
    {
        var values = new double[Length];
        CopyTo(0, values);
        return values;
    }

    /// <summary>A column over doubles as they are (NaN = unknown); the array is shared, not copied.</summary>
    public static Column Of(double[] values) => new Column<double>(values, double.NaN);

    /// <summary>A condition's outcome read as a value: true 1, false 0, unknown (−1) NaN. The array is shared.</summary>
    public static Column Of(sbyte[] truth) => new Column<sbyte>(truth, -1);

    /// <summary>The same value for every index, without an array (a run field no model computed: all unknown).</summary>
    public static Column Constant(int length, double value) => new ConstantColumn(length, value);

    /// <summary>A family column seen from each member: member i reads its family's value (no copy per member).</summary>
    public static Column PerMember(Column family, int[] personFamily) => new MemberView(family, personFamily);

    /// <summary>The values of a computation stored narrow (<see cref="ColumnBuilder"/>).</summary>
    public static Column Narrow(int length, Func<int, double> value)
    {
        var builder = new ColumnBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Set(i, value(i));
        }
        return builder.Build(length);
    }

    private sealed class ConstantColumn(int length, double value) : Column
    {
        public override int Length => length;

        public override double this[int index] => value;

        public override void CopyTo(int start, Span<double> target) => target.Fill(value);
    }

    private sealed class MemberView(Column family, int[] personFamily) : Column
    {
        public override int Length => personFamily.Length;

        public override double this[int index] => family[personFamily[index]];

        public override void CopyTo(int start, Span<double> target)
        {
            for (var i = 0; i < target.Length; i++)
            {
                target[i] = family[personFamily[start + i]];
            }
        }
    }
}

/// <summary>Values stored as <typeparamref name="T"/>, with one value of the type reserved for "unknown".</summary>
internal sealed class Column<T> : Column
    where T : unmanaged, INumber<T>
{
    private readonly T[] _values;
    private readonly T _unknown;

    public Column(T[] values, T unknown)
    {
        _values = values;
        _unknown = unknown;
    }

    public override int Length => _values.Length;

    // For doubles the marker is NaN, which equals nothing: every value, NaN included, is passed through as it is.
    public override double this[int index]
    {
        get
        {
            var value = _values[index];
            return value == _unknown ? double.NaN : double.CreateTruncating(value);
        }
    }

    public override void CopyTo(int start, Span<double> target)
    {
        var source = _values.AsSpan(start, target.Length);
        if (typeof(T) == typeof(double))
        {
            MemoryMarshal.Cast<T, double>(source).CopyTo(target);
            return;
        }
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            target[i] = value == _unknown ? double.NaN : double.CreateTruncating(value);
        }
    }
}

/// <summary>
/// Collects a column's values as they are read or computed, in the narrowest storage that holds them so far: bytes
/// (0–254, 255 = unknown) until a value does not fit, then shorts, ints (the type's minimum = unknown) or doubles (a
/// fraction, or a number beyond int). Each widening copies the values once, so a column of codes never leaves its
/// bytes and a column of money reaches doubles at its first fraction or large amount. Not thread-safe: one per reader.
/// </summary>
public sealed class ColumnBuilder
{
    private const byte ByteUnknown = byte.MaxValue;
    private const short ShortUnknown = short.MinValue;
    private const int IntUnknown = int.MinValue;

    private enum Storage
    {
        Byte,
        Short,
        Int,
        Double,
    }

    private Storage _storage;
    private byte[]? _bytes;
    private short[]? _shorts;
    private int[]? _ints;
    private double[]? _doubles;

    /// <param name="capacity">The most values the column will hold.</param>
    /// <param name="unknown">Start with every value unknown (otherwise 0, as a new array of doubles starts).</param>
    public ColumnBuilder(int capacity, bool unknown = false)
    {
        _bytes = new byte[capacity];
        if (unknown)
        {
            Array.Fill(_bytes, ByteUnknown);
        }
    }

    public void Set(int index, double value)
    {
        switch (_storage)
        {
            case Storage.Byte when value is >= 0 and < ByteUnknown && (byte)value == value:
                _bytes![index] = (byte)value;
                return;
            case Storage.Short when value is > ShortUnknown and <= short.MaxValue && (short)value == value:
                _shorts![index] = (short)value;
                return;
            case Storage.Int when value is > IntUnknown and <= int.MaxValue && (int)value == value:
                _ints![index] = (int)value;
                return;
            case Storage.Double:
                _doubles![index] = value;
                return;
        }
        if (double.IsNaN(value))
        {
            SetUnknown(index);
            return;
        }
        Widen(value);
        Set(index, value);
    }

    private void SetUnknown(int index)
    {
        switch (_storage)
        {
            case Storage.Byte:
                _bytes![index] = ByteUnknown;
                break;
            case Storage.Short:
                _shorts![index] = ShortUnknown;
                break;
            case Storage.Int:
                _ints![index] = IntUnknown;
                break;
            default:
                _doubles![index] = double.NaN;
                break;
        }
    }

    /// <summary>Moves to the storage that holds <paramref name="value"/> and every value so far.</summary>
    private void Widen(double value)
    {
        var needed = value != Math.Floor(value) || value is <= IntUnknown or > int.MaxValue ? Storage.Double
            : value is <= ShortUnknown or > short.MaxValue ? Storage.Int
            : Storage.Short;
        if (needed <= _storage)
        {
            needed = _storage + 1;
        }
        switch (needed)
        {
            case Storage.Short:
                _shorts = Widened(_bytes!, b => b == ByteUnknown ? ShortUnknown : b);
                break;
            case Storage.Int:
                _ints = _storage == Storage.Byte
                    ? Widened(_bytes!, b => b == ByteUnknown ? IntUnknown : b)
                    : Widened(_shorts!, s => s == ShortUnknown ? IntUnknown : s);
                break;
            default:
                _doubles = _storage switch
                {
                    Storage.Byte => Widened(_bytes!, b => b == ByteUnknown ? double.NaN : b),
                    Storage.Short => Widened(_shorts!, s => s == ShortUnknown ? double.NaN : s),
                    _ => Widened(_ints!, i => i == IntUnknown ? double.NaN : i),
                };
                break;
        }
        (_bytes, _storage) = (null, needed);
        if (needed != Storage.Short) _shorts = null;
        if (needed != Storage.Int) _ints = null;
    }

    // Straight from the old storage to the new one: no array of doubles in between (a column of millions of members).
    private static TTo[] Widened<TFrom, TTo>(TFrom[] values, Func<TFrom, TTo> widen)
    {
        var widened = new TTo[values.Length];
        for (var i = 0; i < values.Length; i++) widened[i] = widen(values[i]);
        return widened;
    }

    /// <summary>
    /// The first <paramref name="length"/> values as a column; with <paramref name="order"/>, value <c>order[i]</c> at
    /// index i (members grouped by family). The builder is spent afterwards.
    /// </summary>
    public Column Build(int length, int[]? order = null)
    {
        Column column = _storage switch
        {
            Storage.Byte => new Column<byte>(Take(_bytes!, length, order), ByteUnknown),
            Storage.Short => new Column<short>(Take(_shorts!, length, order), ShortUnknown),
            Storage.Int => new Column<int>(Take(_ints!, length, order), IntUnknown),
            _ => new Column<double>(Take(_doubles!, length, order), double.NaN),
        };
        (_bytes, _shorts, _ints, _doubles) = (null, null, null, null);
        return column;
    }

    private static T[] Take<T>(T[] values, int length, int[]? order)
    {
        if (order is null)
        {
            return values.Length == length ? values : values[..length];
        }
        var taken = new T[order.Length];
        for (var i = 0; i < taken.Length; i++)
        {
            taken[i] = values[order[i]];
        }
        return taken;
    }
}

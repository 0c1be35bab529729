using Tuntas.Targeting.Snapshot;

namespace Tuntas.Core.Tests.Targeting;

public sealed class ColumnTests
{
    public static TheoryData<double[]> Values => new()
    {
        // codes and answers (bytes), with 254 the largest byte and 255 the first value past it
        { [1, 0, double.NaN, 254, 7] },
        { [1, 255, double.NaN, 0] },
        // counts past a byte, negative numbers, the shortest short and past it
        { [3, double.NaN, 40_000, -1, short.MaxValue, short.MinValue] },
        // money past an int, a fraction after whole numbers, an unknown before the widening
        { [double.NaN, 2, 10_000_000_000, 0.5, -7] },
        { [double.NaN, 12, 36.75, int.MinValue, int.MaxValue, 1e300] },
        // an int column meeting the value it keeps for unknown
        { [70_000, double.NaN, int.MinValue] },
    };

    [Theory, MemberData(nameof(Values))]
    public void Reads_back_every_value_exactly_and_unknown_as_unknown_whatever_the_storage(double[] values)
    {
        var builder = new ColumnBuilder(values.Length + 2);
        for (var i = 0; i < values.Length; i++)
        {
            builder.Set(i, values[i]);
        }
        var column = builder.Build(values.Length);

        Assert.Equal(values.Length, column.Length);
        Assert.Equal(values, Enumerable.Range(0, values.Length).Select(i => column[i]));
        Assert.Equal(values, column.ToArray());
        var tail = new double[2];
        column.CopyTo(values.Length - 2, tail);
        Assert.Equal(values[^2..], tail);
    }

    [Fact]
    public void Starts_unknown_when_asked_and_keeps_unset_values_unknown_across_a_widening()
    {
        var builder = new ColumnBuilder(4, unknown: true);
        builder.Set(1, 3);
        builder.Set(2, 1_000_000.25);
        var column = builder.Build(4);
        Assert.Equal(new double[] { double.NaN, 3, 1_000_000.25, double.NaN }, column.ToArray());
    }

    [Fact]
    public void Groups_values_in_the_given_order()
    {
        var builder = new ColumnBuilder(3);
        builder.Set(0, 10);
        builder.Set(1, double.NaN);
        builder.Set(2, 30);
        Assert.Equal(new double[] { 30, 10, double.NaN }, builder.Build(3, [2, 0, 1]).ToArray());
    }

    [Fact]
    public void A_condition_read_as_a_value_is_one_zero_or_unknown_and_a_member_sees_its_family()
    {
        Assert.Equal(new double[] { 1, 0, double.NaN }, Column.Of(new sbyte[] { 1, 0, -1 }).ToArray());
        var family = Column.Of(new double[] { 5, double.NaN });
        Assert.Equal(new double[] { 5, 5, double.NaN }, Column.PerMember(family, [0, 0, 1]).ToArray());
        Assert.Equal(new double[] { double.NaN, double.NaN }, Column.Constant(2, double.NaN).ToArray());
    }
}

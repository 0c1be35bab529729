using Tuntas.Programs;

namespace Tuntas.Core.Tests.Programs;

public sealed class RupiahTests
{
    [Theory]
    [InlineData("1500000", 1_500_000L)]
    [InlineData("1.500.000", 1_500_000L)]
    [InlineData("Rp 1.500.000,00", 1_500_000L)]
    [InlineData("Rp1,5 jt", 1_500_000L)]
    [InlineData("1,5 juta", 1_500_000L)]
    [InlineData("300rb", 300_000L)]
    [InlineData("300 ribu", 300_000L)]
    [InlineData("rp. 200.000", 200_000L)]
    [InlineData("Rp 1,5 M", 1_500_000_000L)]
    public void Reads_amounts_as_recipient_lists_write_them(string text, long expected)
    {
        var (value, problem, _) = Rupiah.Parse(text);
        Assert.Null(problem);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1,500")]
    [InlineData("1.5")]
    [InlineData("1,5")]
    [InlineData("satu juta")]
    [InlineData("-200000")]
    public void Refuses_ambiguous_or_unreadable_amounts_with_a_message(string text)
    {
        var (value, problem, problemEn) = Rupiah.Parse(text);
        Assert.Null(value);
        Assert.False(string.IsNullOrEmpty(problem));
        Assert.False(string.IsNullOrEmpty(problemEn));
    }

    [Fact]
    public void An_empty_cell_is_no_amount_not_an_error()
    {
        Assert.Equal((null, null, null), Rupiah.Parse(" "));
    }
}

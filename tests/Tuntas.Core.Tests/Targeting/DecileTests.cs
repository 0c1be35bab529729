using Tuntas.Targeting.Runs;

namespace Tuntas.Core.Tests.Targeting;

public sealed class DecileTests
{
    [Fact]
    public void Deciles_are_weighted_by_persons_and_leave_unscored_families_out()
    {
        // Ten one-person families and one ten-person family: the big family holds half the persons.
        var key = Enumerable.Range(0, 10).Select(i => (double)i).Append(100).Append(double.NaN).ToArray();
        var persons = Enumerable.Repeat(1, 10).Append(10).Append(3).ToArray();
        var desil = Deciles.Assign(key, persons);
        Assert.Equal(1, desil[0]);
        Assert.Equal(5, desil[9]);   // the 10th of 20 persons: its middle is at 47.5 %
        Assert.Equal(8, desil[10]);  // the big family's middle is at 75 %
        Assert.Equal(0, desil[11]);  // no score, no decile
    }

    [Fact]
    public void Ties_are_broken_by_registry_order()
    {
        var desil = Deciles.Assign([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], Enumerable.Repeat(1, 10).ToArray());
        Assert.Equal(Enumerable.Range(1, 10), desil);
    }
}

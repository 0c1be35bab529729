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
    public void Families_the_model_cannot_tell_apart_share_one_decile_whatever_their_registry_order()
    {
        // Ten one-person families with one score: the middle of all ten is at 50 %, decile 6 for each; none is put in
        // decile 1 for having been registered first.
        Assert.All(Deciles.Assign([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], Enumerable.Repeat(1, 10).ToArray()), d => Assert.Equal(6, d));

        // An index of few values, as from an OpenSID file alone: scores 4 (poorest), 3, 2 and 0 over 1 + 1 + 5 + 3
        // persons. Score 2's five persons sit at 20–70 %, their middle at 45 %: decile 5 for all five, in any order.
        double[] key = [-2, -3, -2, 0, -2, -4, -2, 0, -2, 0];
        var persons = Enumerable.Repeat(1, 10).ToArray();
        var desil = Deciles.Assign(key, persons, out var spread);
        Assert.Equal([5, 2, 5, 9, 5, 1, 5, 9, 5, 9], desil);
        var reversed = Deciles.Assign([.. key.Reverse()], persons);
        Assert.Equal(desil.Reverse(), reversed);

        Assert.Equal(new Deciles.Spread(4, 5, 10), spread);
        // The five of score 2 stand somewhere in places 3-7 of ten: deciles 3 to 7, their middle decile 5 within.
        Deciles.Assign(key, persons, out _, out var spans);
        Assert.Equal(new Deciles.Span(3, 7), spans[0]);
        Assert.Equal((new Deciles.Span(1, 1), new Deciles.Span(2, 2), new Deciles.Span(8, 10)), (spans[5], spans[1], spans[3]));
        Assert.Equal([false, false, true], new[] { spans[5], spans[1], spans[0] }.Select(x => x.IsRange));

        // A family alone on its value is where it is, however many members reach into the next decile: six persons at
        // places 4-9 of nine, their middle at 67 %, decile 7 exact. Of two families of one value (one and five persons at
        // places 1-6 of ten), the one-person family could stand first or last: deciles 1 to 6; the five-person family's
        // middle could be at 2.5 or 3.5 of ten: deciles 3 to 4.
        var alone = new[] { 1.0, 2, 3, 4 };
        Deciles.Assign(alone, [1, 1, 1, 6], out _, out var aloneSpans);
        Assert.Equal(new Deciles.Span(7, 7), aloneSpans[3]);
        Deciles.Assign([1.0, 1, 2, 3, 4, 5], [1, 5, 1, 1, 1, 1], out _, out var pair);
        Assert.Equal(new Deciles.Span(1, 6), pair[0]);
        Assert.Equal(new Deciles.Span(3, 4), pair[1]);
        Assert.True(spread.Coarse);
        Deciles.Assign([.. Enumerable.Range(0, 10).Select(i => (double)i)], persons, out var fine);
        Assert.False(fine.Coarse);
    }
}

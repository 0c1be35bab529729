namespace Tuntas.Targeting.Runs;

/// <summary>
/// Regency deciles (desil 1–10) weighted by persons, as DTSEN's are: families sorted from poorest to richest by a
/// model's key, then each family's decile is where the middle of its members falls on the cumulative person share.
/// Families the model cannot tell apart (the same key) share one decile, where the middle of all their members falls:
/// a decile is a statement about a family's welfare, and two families the model judges equal must not fall on either
/// side of a program's cut (desil ≤ 4) because one was registered first. An index built on a few indicators, as from an
/// OpenSID file alone, gives few distinct values; its deciles are then coarse, not ten tenths, and the run says so
/// (<see cref="Spread"/>). Such a run of equal keys also spans deciles: each of its families could stand anywhere from
/// the run's start to its end (<see cref="Span"/>), and a rule's cut inside that span cannot say on which side they are
/// (docs/targeting.md, "Deciles").
/// </summary>
public static class Deciles
{
    /// <summary>Indices of the keys sorted ascending, NaN left out, ties in index order (deterministic, unlike Array.Sort alone).</summary>
    public static int[] PoorestFirst(double[] poorerFirst)
    {
        var scored = new List<int>(poorerFirst.Length);
        for (var f = 0; f < poorerFirst.Length; f++)
        {
            if (!double.IsNaN(poorerFirst[f]))
            {
                scored.Add(f);
            }
        }
        var order = scored.ToArray();
        var keys = order.Select(f => poorerFirst[f]).ToArray();
        Array.Sort(keys, order);
        // Array.Sort is not stable: restore index order inside every run of equal keys.
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && keys[end] == keys[start]) end++;
            if (end - start > 1) Array.Sort(order, start, end - start);
            start = end;
        }
        return order;
    }

    /// <param name="poorerFirst">Sort key, smaller = poorer; NaN = no score, no decile (0).</param>
    /// <param name="persons">Members per family (the weight).</param>
    public static int[] Assign(double[] poorerFirst, int[] persons) => Assign(poorerFirst, persons, out _);

    /// <param name="spread">How finely the key told the families apart, read from the same runs of equal keys.</param>
    public static int[] Assign(double[] poorerFirst, int[] persons, out Spread spread) => Assign(poorerFirst, persons, out spread, out _);

    /// <param name="spans">Per family, the deciles its run of equal keys spans (<see cref="Span"/>); default (0, 0) for
    /// a family without a decile.</param>
    public static int[] Assign(double[] poorerFirst, int[] persons, out Spread spread, out Span[] spans)
    {
        var order = PoorestFirst(poorerFirst);
        double total = 0;
        foreach (var f in order) total += persons[f];
        var desil = new int[poorerFirst.Length];
        spans = new Span[poorerFirst.Length];
        double before = 0;
        var values = 0;
        double largest = 0;
        for (var start = 0; start < order.Length;)
        {
            // One run of equal keys, one decile: the middle of the run's members on the cumulative share.
            var end = start;
            double members = 0;
            for (; end < order.Length && poorerFirst[order[end]] == poorerFirst[order[start]]; end++) members += persons[order[end]];
            var decile = DecileAt(before + members / 2.0, total);
            for (var i = start; i < end; i++)
            {
                // Where this family could stand had the model told the run apart: its own middle with the family put first
                // in the run, and put last. A family alone on its value stands where it stands: its own decile.
                var own = persons[order[i]];
                desil[order[i]] = decile;
                spans[order[i]] = new Span((byte)DecileAt(before + own / 2.0, total), (byte)DecileAt(before + members - own / 2.0, total));
            }
            before += members;
            values++;
            largest = Math.Max(largest, members);
            start = end;
        }
        spread = new Spread(values, (long)largest, (long)total);
        return desil;
    }

    /// <summary>The decile of a place on the cumulative person count.</summary>
    private static int DecileAt(double persons, double total) => Math.Clamp((int)Math.Floor(persons / Math.Max(1, total) * 10) + 1, 1, 10);

    /// <summary>The deciles a family's run of equal keys spans, lowest to highest; one decile when both are the same. A
    /// family's <see cref="Assign(double[], int[])"/> decile lies within it.</summary>
    public readonly record struct Span(byte Lowest, byte Highest)
    {
        public bool IsRange => Highest > Lowest;
    }

    /// <summary>How finely the key tells families apart: its distinct values among the placed families, and the persons
    /// of its largest run of equal keys beside all placed persons. A run above a tenth of the persons fills a decile on
    /// its own and leaves others empty.</summary>
    public sealed record Spread(int Values, long LargestTiePersons, long Persons)
    {
        /// <summary>The deciles cannot be tenths: one value holds more than a tenth of the persons.</summary>
        public bool Coarse => Persons > 0 && LargestTiePersons * 10 > Persons;
    }
}

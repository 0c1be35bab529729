namespace Tuntas.Targeting.Runs;

/// <summary>
/// Regency deciles (desil 1–10) weighted by persons, as DTSEN's are: families sorted from poorest to richest by a
/// model's key, then each family's decile is where the middle of its members falls on the cumulative person share.
/// Ties are broken by registry order (family id), so the same inputs give the same deciles.
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
    public static int[] Assign(double[] poorerFirst, int[] persons)
    {
        var order = PoorestFirst(poorerFirst);
        double total = 0;
        foreach (var f in order) total += persons[f];
        var desil = new int[poorerFirst.Length];
        double before = 0;
        foreach (var f in order)
        {
            var middle = (before + persons[f] / 2.0) / Math.Max(1, total);
            desil[f] = Math.Clamp((int)Math.Floor(middle * 10) + 1, 1, 10);
            before += persons[f];
        }
        return desil;
    }
}

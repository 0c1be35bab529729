namespace Tuntas.Linkage;

/// <summary>
/// The Fellegi-Sunter model (Fellegi &amp; Sunter 1969) as Splink and fastLink (Enamorado, Fifield &amp; Imai 2019) fit it:
/// for each field and agreement level, m = P(level | same person) and u = P(level | different persons); a pair's match
/// weight is log2(λ/(1−λ)) + Σ log2(m/u) over its non-missing fields, and its score the match probability
/// 2^w / (1 + 2^w). u starts from random pairs (nearly all of which are different persons — Splink's
/// <c>estimate_u_using_random_sampling</c>); then m, u and λ are estimated by expectation-maximisation over the blocked
/// candidate pairs as fastLink does, grouped by their comparison pattern so that EM runs over a few thousand patterns, not
/// millions of pairs. Fields are assumed conditionally independent (the model's standard assumption).
/// </summary>
public sealed class FellegiSunter
{
    /// <summary>Level used in patterns for a missing value (3 bits per field, 20 fields at most).</summary>
    private const int MissingCode = 7;
    private const double Floor = 1e-6;

    private FellegiSunter(IReadOnlyList<FieldKind> kinds, double[][] m, double[][] u, double lambda, int iterations)
    {
        Kinds = kinds;
        M = m;
        U = u;
        Lambda = lambda;
        Iterations = iterations;
    }

    public IReadOnlyList<FieldKind> Kinds { get; }
    /// <summary>[field][level]</summary>
    public double[][] M { get; }
    /// <summary>[field][level]</summary>
    public double[][] U { get; }
    /// <summary>Share of candidate pairs that are matches (EM's estimate).</summary>
    public double Lambda { get; }
    public int Iterations { get; }

    /// <summary>The partial match weight log2(m/u) of one field at one level (what docs/linkage.md tabulates).</summary>
    public double Weight(int field, int level) => level < 0 ? 0 : Math.Log2(M[field][level] / U[field][level]);

    public double PriorWeight => Math.Log2(Lambda / (1 - Lambda));

    public static long Pattern(ReadOnlySpan<int> levels)
    {
        long pattern = 0;
        for (var f = 0; f < levels.Length; f++)
        {
            pattern |= (long)(levels[f] < 0 ? MissingCode : levels[f]) << (3 * f);
        }
        return pattern;
    }

    public static int LevelOf(long pattern, int field)
    {
        var level = (int)((pattern >> (3 * field)) & 7);
        return level == MissingCode ? Comparisons.Missing : level;
    }

    public double MatchWeight(long pattern)
    {
        var weight = PriorWeight;
        for (var f = 0; f < Kinds.Count; f++)
        {
            weight += Weight(f, LevelOf(pattern, f));
        }
        return weight;
    }

    public double Probability(long pattern) => ToProbability(MatchWeight(pattern));

    public static double ToProbability(double weight)
    {
        var odds = Math.Pow(2, weight);
        return double.IsPositiveInfinity(odds) ? 1 : odds / (1 + odds);
    }

    /// <summary>
    /// Fits the model: <paramref name="randomPatterns"/> (pattern → count over random pairs) give the starting u; EM over
    /// <paramref name="candidatePatterns"/> gives m and λ, starting from m high at the top level of every field.
    /// </summary>
    public static FellegiSunter Train(IReadOnlyList<FieldKind> kinds, IReadOnlyDictionary<long, long> candidatePatterns,
        IReadOnlyDictionary<long, long> randomPatterns, int maxIterations = 200)
    {
        var levels = kinds.Select(k => Comparisons.Levels(k).Count).ToArray();
        var u = levels.Select(n => new double[n]).ToArray();
        for (var f = 0; f < kinds.Count; f++)
        {
            var counts = new double[levels[f]];
            foreach (var (pattern, count) in randomPatterns)
            {
                var level = LevelOf(pattern, f);
                if (level >= 0)
                {
                    counts[level] += count;
                }
            }
            // Add-one smoothing: a level never seen among random pairs (an equal NIK) gets a small, finite u.
            var total = counts.Sum() + levels[f];
            for (var l = 0; l < levels[f]; l++)
            {
                u[f][l] = (counts[l] + 1) / total;
            }
        }
        var m = levels.Select(n => Enumerable.Range(0, n).Select(l => l == n - 1 ? 0.9 : 0.1 / (n - 1)).ToArray()).ToArray();
        var lambda = 0.1;
        var patterns = candidatePatterns.Keys.ToArray();
        var weights = candidatePatterns.Values.Select(c => (double)c).ToArray();
        var decoded = patterns.Select(p => Enumerable.Range(0, kinds.Count).Select(f => LevelOf(p, f)).ToArray()).ToArray();
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            // E-step: the posterior match probability of each pattern.
            var posterior = new double[patterns.Length];
            for (var p = 0; p < patterns.Length; p++)
            {
                double logM = Math.Log(lambda), logU = Math.Log(1 - lambda);
                for (var f = 0; f < kinds.Count; f++)
                {
                    var level = decoded[p][f];
                    if (level >= 0)
                    {
                        logM += Math.Log(m[f][level]);
                        logU += Math.Log(u[f][level]);
                    }
                }
                posterior[p] = 1 / (1 + Math.Exp(logU - logM));
            }
            // M-step: λ, m and u from the expected matches and non-matches (fastLink). Fixing u at the random-pair values,
            // as Splink does, let EM call blocked non-matches (which agree on their blocking field far more often than
            // random pairs do) matches when few fields are mapped: FEBRL4 with four fields fell to precision 0.60.
            double matches = 0, total = 0;
            var newM = levels.Select(n => new double[n]).ToArray();
            var newU = levels.Select(n => new double[n]).ToArray();
            for (var p = 0; p < patterns.Length; p++)
            {
                matches += posterior[p] * weights[p];
                total += weights[p];
                for (var f = 0; f < kinds.Count; f++)
                {
                    var level = decoded[p][f];
                    if (level >= 0)
                    {
                        newM[f][level] += posterior[p] * weights[p];
                        newU[f][level] += (1 - posterior[p]) * weights[p];
                    }
                }
            }
            var change = 0.0;
            for (var f = 0; f < kinds.Count; f++)
            {
                var next = Normalize(newM[f], m[f]);
                var nextU = Normalize(newU[f], u[f]);
                Monotone(next, nextU);
                for (var l = 0; l < levels[f]; l++)
                {
                    change = Math.Max(change, Math.Max(Math.Abs(next[l] - m[f][l]), Math.Abs(nextU[l] - u[f][l])));
                }
                m[f] = next;
                u[f] = nextU;
            }
            var newLambda = total > 0 ? Math.Clamp(matches / total, Floor, 1 - Floor) : lambda;
            change = Math.Max(change, Math.Abs(newLambda - lambda));
            lambda = newLambda;
            if (change < 1e-5)
            {
                iterations++;
                break;
            }
        }
        return new FellegiSunter(kinds, m, u, lambda, iterations);
    }

    private static double[] Normalize(double[] counts, double[] previous)
    {
        var sum = counts.Sum();
        return sum > 0 ? [.. counts.Select(c => Math.Max(Floor, c / sum))] : previous;
    }

    /// <summary>
    /// The level-ordering constraint on every field (monotone likelihood ratio, as fastLink's and Splink's ordered
    /// comparison levels assume): a closer level is never weaker evidence of a match than a farther one, m/u non-decreasing
    /// from "different" to "equal", fitted by pooling adjacent violators (a pooled block takes m/u = Σm/Σu, so Σm stays 1).
    /// It implies the sign constraint — full agreement never counts against a match, full disagreement never for one —
    /// without which EM settled on a "match" class that was really a blocking artefact (same surname, same birth year)
    /// when true duplicates are rare, as in a registry. It also keeps a rare level's weight sensible: with few pairs whose
    /// day and month of birth are swapped, EM gave that level a negative weight, below "one day off".
    /// </summary>
    private static void Monotone(double[] m, double[] u)
    {
        // Blocks of levels as (first level, Σm, Σu); merge while the last block's ratio falls below the one before it.
        var first = new List<int>(m.Length);
        var sumM = new List<double>(m.Length);
        var sumU = new List<double>(m.Length);
        for (var l = 0; l < m.Length; l++)
        {
            first.Add(l);
            sumM.Add(m[l]);
            sumU.Add(u[l]);
            while (sumM.Count > 1 && sumM[^1] * sumU[^2] < sumM[^2] * sumU[^1])
            {
                sumM[^2] += sumM[^1];
                sumU[^2] += sumU[^1];
                first.RemoveAt(first.Count - 1);
                sumM.RemoveAt(sumM.Count - 1);
                sumU.RemoveAt(sumU.Count - 1);
            }
        }
        for (var b = 0; b < first.Count; b++)
        {
            var end = b + 1 < first.Count ? first[b + 1] : m.Length;
            if (end - first[b] > 1)
            {
                for (var l = first[b]; l < end; l++)
                {
                    m[l] = Math.Max(Floor, u[l] * sumM[b] / sumU[b]);
                }
            }
        }
    }

    /// <summary>Levels of every field for one pair, as a pattern.</summary>
    public static long Compare(LinkageTable a, int i, LinkageTable b, int j)
    {
        Span<int> levels = stackalloc int[a.Fields.Count];
        for (var f = 0; f < levels.Length; f++)
        {
            levels[f] = Comparisons.Compare(a.Fields[f], a.Values[f][i], b.Values[f][j]);
        }
        return Pattern(levels);
    }
}

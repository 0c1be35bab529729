namespace Tuntas.Linkage;

/// <summary>
/// The Fellegi-Sunter model (Fellegi &amp; Sunter 1969) as Splink and fastLink (Enamorado, Fifield &amp; Imai 2019) fit it:
/// for each field and agreement level, m = P(level | same person) and u = P(level | different persons); a pair's match
/// weight is log2(λ/(1−λ)) + Σ log2(m/u) over its non-missing fields, and its score the match probability
/// 2^w / (1 + 2^w). u comes from random pairs of the whole table or tables (nearly all of which are different persons —
/// Splink's <c>estimate_u_using_random_sampling</c>) and stays fixed; m and λ are estimated by expectation-maximisation
/// over the blocked candidate pairs, grouped by their comparison pattern so that EM runs over a few hundred patterns, not
/// millions of pairs; λ is the prior of all pairs, not of the candidates. Fields are assumed conditionally independent
/// (the model's standard assumption).
/// </summary>
public sealed class FellegiSunter
{
    /// <summary>Level used in patterns for a missing value (3 bits per field, 20 fields at most).</summary>
    private const int MissingCode = 7;
    private const double Floor = 1e-6;
    private const double MinLambda = 1e-15;

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
    /// <summary>The probability that two records drawn at random are one person (EM's expected matches over all pairs).</summary>
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
    /// Fits the model as Splink does: u from <paramref name="randomPatterns"/> (pattern → count over pairs drawn at random
    /// from the whole table or tables, <c>estimate_u_using_random_sampling</c>), held fixed; m by expectation-maximisation
    /// over <paramref name="candidatePatterns"/>, starting from m high at the top level of every field; λ the probability
    /// that two records drawn at random are one person — EM's expected matches over <paramref name="totalPairs"/>, all the
    /// pairs the tables hold (pairs outside the candidates count as non-matches: blocking is built to miss almost none). The
    /// prior and u then describe the same population, so a candidate is scored by the model of all pairs and blocking only
    /// chooses which pairs are worth scoring. Re-estimating u over the candidates instead (as this class did before) made
    /// every field the blocking keys agree on — the name, within the kecamatan — as common among non-matches as among
    /// matches: weight 0.
    /// <para>Tried on the demo registry and left out (docs/linkage.md): Splink's training sessions per blocking key with
    /// the key's comparisons switched off, and the NIK left out of the E-step. Every field there is tied to some blocking
    /// key (the NIK encodes birth date, sex and kecamatan; the name and birth-date keys are narrowed to the kecamatan; one
    /// key is name + birth year), and each such session's "match" class became what its keys fixed — namesakes of one
    /// desa, pairs of one sex — proposing 4,193 to 49,483 pairs instead of 1,652.</para>
    /// </summary>
    public static FellegiSunter Train(IReadOnlyList<FieldKind> kinds, IReadOnlyDictionary<long, long> candidatePatterns,
        IReadOnlyDictionary<long, long> randomPatterns, double totalPairs, int maxIterations = 200)
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
        var patterns = candidatePatterns.ToArray();
        totalPairs = Math.Max(totalPairs, Math.Max(patterns.Sum(p => (double)p.Value), 1));
        var (m, lambda, iterations) = Em(kinds, levels, u, patterns, totalPairs, maxIterations);
        return new FellegiSunter(kinds, m, u, lambda, iterations);
    }

    /// <summary>
    /// EM over the candidates' patterns with u fixed: m of every field and λ, the prior of all pairs. The E-step weighs each
    /// candidate with that prior, not with the share of matches among the candidates: with u from random pairs, the
    /// candidates' own share made a "match" class of whatever the blocking keys agree on — namesakes in a small registry,
    /// neighbours born the same day (NIKs one digit apart) at a million persons — and proposed 48,766 pairs on the demo
    /// registry instead of 1,652.
    /// </summary>
    private static (double[][] M, double Lambda, int Iterations) Em(IReadOnlyList<FieldKind> kinds, int[] levels, double[][] u,
        KeyValuePair<long, long>[] patterns, double totalPairs, int maxIterations)
    {
        var m = levels.Select(n => Enumerable.Range(0, n).Select(l => l == n - 1 ? 0.9 : 0.1 / (n - 1)).ToArray()).ToArray();
        var weights = patterns.Select(p => (double)p.Value).ToArray();
        var decoded = patterns.Select(p => Enumerable.Range(0, kinds.Count).Select(f => LevelOf(p.Key, f)).ToArray()).ToArray();
        // Start: one candidate in ten a match.
        var lambda = Math.Clamp(0.1 * weights.Sum() / totalPairs, MinLambda, 0.5);
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
            // M-step: λ and m from the expected matches; u stays the random pairs'.
            var matches = 0.0;
            var newM = levels.Select(n => new double[n]).ToArray();
            for (var p = 0; p < patterns.Length; p++)
            {
                matches += posterior[p] * weights[p];
                for (var f = 0; f < kinds.Count; f++)
                {
                    var level = decoded[p][f];
                    if (level >= 0)
                    {
                        newM[f][level] += posterior[p] * weights[p];
                    }
                }
            }
            var change = 0.0;
            for (var f = 0; f < kinds.Count; f++)
            {
                var next = Normalize(newM[f], m[f]);
                Monotone(next, u[f]);
                for (var l = 0; l < levels[f]; l++)
                {
                    change = Math.Max(change, Math.Abs(next[l] - m[f][l]));
                }
                m[f] = next;
            }
            // λ to within a relative 1 %: it is as small as 10⁻⁹ at a million persons.
            var newLambda = Math.Clamp(matches / totalPairs, MinLambda, 1 - Floor);
            change = Math.Max(change, Math.Abs(newLambda - lambda) / lambda * 1e-3);
            lambda = newLambda;
            if (change < 1e-5)
            {
                iterations++;
                break;
            }
        }
        return (m, lambda, iterations);
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

namespace Tuntas.Linkage;

/// <summary>
/// The pipeline every linkage use case shares: blocking → comparison patterns of the candidates → u from random pairs of
/// the whole table(s), fixed → m and λ by EM over the candidates → a match probability per candidate. Deterministic for a given input (fixed sampling seed).
/// </summary>
public static class LinkageEngine
{
    /// <summary>
    /// The default threshold on the match probability: a pair is reported when the model finds it more likely the same
    /// person than not by a margin of 9:1 (match weight ≥ 3.17), the usual "probable match" cut of Splink's examples.
    /// </summary>
    public const double DefaultMinScore = 0.9;

    /// <summary>A minimum match probability a caller may ask for: 0–1. Written as the range it accepts because NaN compares
    /// false with every bound, so "refuse below 0 or above 1" would let it through (and then no pair would pass it).</summary>
    public static bool IsMinScore(double score) => score is >= 0 and <= 1;

    /// <summary>
    /// Random pairs sampled to estimate u (capped by the number of possible pairs), from the whole table or tables, with a
    /// fixed seed. Splink's default for <c>estimate_u_using_random_sampling</c> is a million; at one microsecond or so per
    /// comparison it costs seconds, against the tens of millions of candidates a million persons give.
    /// </summary>
    public const int RandomPairs = 1_000_000;

    public sealed record ScoredPair(int A, int B, double Score, long Pattern);

    public sealed record Result(FellegiSunter Model, IReadOnlyList<ScoredPair> Pairs, long Candidates,
        IReadOnlyDictionary<string, long> PairsPerRule, long SkippedBlocks, double MinScore);

    /// <summary>Links <paramref name="a"/> to <paramref name="b"/>, or deduplicates <paramref name="a"/> when <paramref name="b"/> is null.</summary>
    public static Result Run(LinkageTable a, LinkageTable? b, double? minScore, CancellationToken cancellationToken = default,
        Func<int, int, long, bool>? exclude = null)
    {
        var other = b ?? a;
        var rules = Blocking.RulesFor(a.Fields, a.Count + (b?.Count ?? 0));
        var blocked = Blocking.CandidatePairs(a, b, rules, cancellationToken);
        var candidates = blocked.Pairs;
        // Each candidate keeps the index of its comparison pattern (a few hundred distinct), not the 8-byte pattern: at a
        // million persons the candidates run to tens of millions.
        var patternIds = new int[candidates.Buckets.Length][];
        var ids = new Dictionary<long, int>();
        var patternList = new List<long>();
        var counts = new List<long>();
        Parallel.For(0, candidates.Buckets.Length, new ParallelOptions { CancellationToken = cancellationToken }, () => Array.Empty<long>(), (bucket, _, local) =>
        {
            var pairs = candidates.Buckets[bucket];
            if (local.Length < pairs.Length)
            {
                local = new long[pairs.Length];
            }
            for (var k = 0; k < pairs.Length; k++)
            {
                local[k] = FellegiSunter.Compare(a, (int)(pairs[k] >> 32), other, (int)(pairs[k] & 0xFFFFFFFF));
            }
            var idsOfBucket = new int[pairs.Length];
            lock (ids)
            {
                for (var k = 0; k < pairs.Length; k++)
                {
                    if (!ids.TryGetValue(local[k], out var id))
                    {
                        ids[local[k]] = id = patternList.Count;
                        patternList.Add(local[k]);
                        counts.Add(0);
                    }
                    idsOfBucket[k] = id;
                    counts[id]++;
                }
            }
            patternIds[bucket] = idsOfBucket;
            return local;
        }, _ => { });
        // In pattern order, whatever order the threads met them: EM's sums, and so the weights, are the same on every run.
        var candidateCounts = new Dictionary<long, long>(patternList.Count);
        foreach (var id in Enumerable.Range(0, patternList.Count).OrderBy(id => patternList[id]))
        {
            candidateCounts[patternList[id]] = counts[id];
        }
        Blocking.Progress?.Invoke($"compared {candidates.Count:N0} candidate pairs ({candidateCounts.Count:N0} patterns)");
        var randomCounts = Count(SampleRandom(a, b, cancellationToken));
        var model = FellegiSunter.Train(a.Fields, candidateCounts, randomCounts, PossiblePairs(a, b));
        var threshold = minScore ?? DefaultMinScore;
        var scoreOf = patternList.Select(model.Probability).ToArray();
        var result = new List<ScoredPair>();
        for (var bucket = 0; bucket < candidates.Buckets.Length; bucket++)
        {
            var pairs = candidates.Buckets[bucket];
            var idsOfBucket = patternIds[bucket];
            for (var k = 0; k < pairs.Length; k++)
            {
                var score = scoreOf[idsOfBucket[k]];
                if (score < threshold)
                {
                    continue;
                }
                var i = (int)(pairs[k] >> 32);
                var j = (int)(pairs[k] & 0xFFFFFFFF);
                var pattern = patternList[idsOfBucket[k]];
                if (exclude is not null && exclude(i, j, pattern))
                {
                    continue;
                }
                result.Add(new ScoredPair(i, j, score, pattern));
            }
        }
        result.Sort((x, y) => y.Score.CompareTo(x.Score) is var c && c != 0 ? c : x.A.CompareTo(y.A) is var d && d != 0 ? d : x.B.CompareTo(y.B));
        return new Result(model, result, candidates.Count, blocked.PairsPerRule, blocked.SkippedBlocks, threshold);
    }

    private static Dictionary<long, long> Count(long[] patterns)
    {
        var counts = new Dictionary<long, long>();
        foreach (var p in patterns)
        {
            counts[p] = counts.GetValueOrDefault(p) + 1;
        }
        return counts;
    }

    /// <summary>Every pair the tables hold: i &lt; j within one table, or A × B.</summary>
    private static long PossiblePairs(LinkageTable a, LinkageTable? b) => b is null ? (long)a.Count * (a.Count - 1) / 2 : (long)a.Count * b.Count;

    private static long[] SampleRandom(LinkageTable a, LinkageTable? b, CancellationToken cancellationToken)
    {
        var other = b ?? a;
        var n = (int)Math.Min(RandomPairs, PossiblePairs(a, b));
        var patterns = new long[n];
        if (n == 0)
        {
            return patterns;
        }
        // One seed per chunk keeps the sample identical whatever the thread count.
        const int Chunk = 65_536;
        Parallel.For(0, (n + Chunk - 1) / Chunk, new ParallelOptions { CancellationToken = cancellationToken }, chunk =>
        {
            var random = new Random(7919 + chunk);
            for (var k = chunk * Chunk; k < Math.Min(n, (chunk + 1) * Chunk); k++)
            {
                int i, j;
                do
                {
                    i = random.Next(a.Count);
                    j = random.Next(other.Count);
                }
                while (b is null && i == j);
                patterns[k] = FellegiSunter.Compare(a, i, other, j);
            }
        });
        return patterns;
    }
}

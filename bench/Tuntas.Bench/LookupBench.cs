using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tuntas.Data;
using Tuntas.Registry;

namespace Tuntas.Bench;

/// <summary>
/// Times the FindFamilies use case on a loaded registry: random NIKs, NO_KKs and names sampled from the database with a
/// fixed seed, plus a spelling variant of each name (one space removed, or one inserted) and a misspelling (a typo or an
/// old/Indonesian spelling variant, <see cref="Misspell"/>). Each call gets a fresh DbContext, as a web request does; a
/// few warm-up calls of each kind run first and are not counted. The reference is the plain indexed exact-prefix match a
/// search without forgiveness would be: the correctly spelt name's key against <c>persons.nama_kunci</c> (LIKE 'k%' on
/// PostgreSQL's C-collated column, GLOB 'k*' on SQLite — its case-sensitive LIKE that uses the BINARY index), 20 rows.
/// </summary>
public static class LookupBench
{
    private const int WarmUp = 20;
    private static readonly CultureInfo _c = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string provider, TuntasDatabase database, BenchOptions options, BenchResults results, CancellationToken cancellationToken)
    {
        BenchRun.Log($"{provider} lookups: sampling…");
        var rng = new Random(options.Seed * 7919);
        List<string> niks, noKks, names;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            var maxPerson = await ScalarAsync<long>(connection, "SELECT coalesce(max(id), 0) FROM persons", cancellationToken);
            var maxFamily = await ScalarAsync<long>(connection, "SELECT coalesce(max(id), 0) FROM families", cancellationToken);
            if (maxPerson == 0)
            {
                throw new InvalidOperationException("the registry is empty: run the import first");
            }
            niks = await SampleAsync(connection, "SELECT nik FROM persons WHERE id = ", maxPerson, options.NikSamples + WarmUp, rng, cancellationToken);
            noKks = await SampleAsync(connection, "SELECT no_kk FROM families WHERE id = ", maxFamily, options.NoKkSamples + WarmUp, rng, cancellationToken);
            names = await SampleAsync(connection, "SELECT nama FROM persons WHERE id = ", maxPerson, options.NameSamples + WarmUp, rng, cancellationToken);
            await PlansAsync(provider, database, connection, niks[0], noKks[0], NameKey.For(names[0]), results, cancellationToken);
        }
        var variants = names.Select(n => Variant(n, rng)).ToList();
        var misspelt = names.Select(n => Misspell(n, rng)).ToList();

        // Warm-up: JIT, EF model and query caches, connection pool, page cache.
        foreach (var query in niks.Take(WarmUp).Concat(noKks.Take(WarmUp)).Concat(names.Take(WarmUp)).Concat(variants.Take(WarmUp)).Concat(misspelt.Take(WarmUp)))
        {
            await FindAsync(database, query, cancellationToken);
        }
        foreach (var name in names.Take(WarmUp))
        {
            await PrefixReferenceAsync(database, name, cancellationToken);
        }
        results.Lookups.Add(await MeasureAsync(provider, "NIK", niks.Skip(WarmUp), 10, database,
            (q, o) => o.Hits.Any(h => h.MatchedBy == FindFamilies.MatchKind.Nik), cancellationToken));
        results.Lookups.Add(await MeasureAsync(provider, "NO_KK", noKks.Skip(WarmUp), 10, database,
            (q, o) => o.Hits.Count > 0, cancellationToken));
        results.Lookups.Add(await MeasureAsync(provider, "name", names.Skip(WarmUp), 100, database,
            (q, o) => o.Hits.Any(h => Plain(h.MatchedName) == Plain(q)), cancellationToken));
        results.Lookups.Add(await MeasureAsync(provider, "name, spelling variant", variants.Skip(WarmUp), 100, database,
            (q, o) => o.Hits.Any(h => Plain(h.MatchedName) == Plain(q)), cancellationToken));
        var intended = misspelt.Zip(names).GroupBy(x => x.First).ToDictionary(g => g.Key, g => g.First().Second);
        results.Lookups.Add(await MeasureAsync(provider, "name, misspelt (typo or old spelling)", misspelt.Skip(WarmUp), 100, database,
            (q, o) => o.Hits.Any(h => Plain(h.MatchedName) == Plain(intended[q])), cancellationToken));
        results.Lookups.Add(await MeasureReferenceAsync(provider, names.Skip(WarmUp), database, cancellationToken));
    }

    /// <summary>
    /// A misspelling of the kind the search must forgive: an old or variant spelling where the name allows one (y→j, u→oe,
    /// j→dj, c→tj, kh→ch, i→y at the end, a doubled consonant), else one typo — a letter changed, dropped or two swapped.
    /// </summary>
    public static string Misspell(string name, Random rng)
    {
        (string From, string To)[] variants = [("y", "j"), ("u", "oe"), ("j", "dj"), ("c", "tj"), ("kh", "ch"), ("sy", "sj"), ("ny", "nj"), ("i ", "y "), ("a", "e"), ("i", "e")];
        var lower = name.ToLowerInvariant();
        var possible = variants.Where(v => lower.Contains(v.From, StringComparison.Ordinal)).ToList();
        if (possible.Count > 0 && rng.Next(2) == 0)
        {
            var (from, to) = possible[rng.Next(possible.Count)];
            var at = lower.IndexOf(from, StringComparison.Ordinal);
            return name[..at] + to + name[(at + from.Length)..];
        }
        var letters = Enumerable.Range(1, Math.Max(0, name.Length - 2)).Where(i => char.IsLetter(name[i]) && char.IsLetter(name[i + 1])).ToList();
        if (letters.Count == 0)
        {
            return name;
        }
        var i = letters[rng.Next(letters.Count)];
        return rng.Next(3) switch
        {
            0 => name[..i] + (char)('a' + rng.Next(26)) + name[(i + 1)..],
            1 => name.Remove(i, 1),
            _ => name[..i] + name[i + 1] + name[i] + name[(i + 2)..],
        };
    }

    private static async Task<int> PrefixReferenceAsync(TuntasDatabase database, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = database.IsSqlite
            ? "SELECT id, family_id, nik, nama, nama_kunci FROM persons WHERE nama_kunci GLOB @p LIMIT 20"
            : "SELECT id, family_id, nik, nama, nama_kunci FROM persons WHERE nama_kunci LIKE @p LIMIT 20";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p";
        parameter.Value = NameKey.For(name) + (database.IsSqlite ? "*" : "%");
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows++;
        }
        return rows;
    }

    private static async Task<LookupResult> MeasureReferenceAsync(string provider, IEnumerable<string> names, TuntasDatabase database, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var hits = 0;
        foreach (var name in names)
        {
            var start = Stopwatch.GetTimestamp();
            var rows = await PrefixReferenceAsync(database, name, cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            hits += rows > 0 ? 1 : 0;
        }
        return Summarise(provider, "reference: exact-prefix LIKE on nama_kunci, correct spelling", times, hits, 100);
    }

    private static async Task<FindFamilies.Outcome> FindAsync(TuntasDatabase database, string query, CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        return await new FindFamilies(db).RunAsync(new FindFamilies.Input(query), cancellationToken);
    }

    private static async Task<LookupResult> MeasureAsync(string provider, string kind, IEnumerable<string> queries, int targetMs,
        TuntasDatabase database, Func<string, FindFamilies.Outcome, bool> found, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var hits = 0;
        foreach (var query in queries)
        {
            var start = Stopwatch.GetTimestamp();
            var outcome = await FindAsync(database, query, cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (found(query, outcome))
            {
                hits++;
            }
        }
        return Summarise(provider, kind, times, hits, targetMs);
    }

    private static LookupResult Summarise(string provider, string kind, List<double> times, int hits, int targetMs)
    {
        times.Sort();
        double Percentile(double p) => times[Math.Clamp((int)Math.Ceiling(p * times.Count) - 1, 0, times.Count - 1)];
        var result = new LookupResult(provider, kind, times.Count, hits, Percentile(0.50), Percentile(0.95), Percentile(0.99), times[^1], times.Average(), targetMs);
        BenchRun.Log($"  {kind}: n {result.Count}, found {hits}, p50 {result.P50Ms:0.00} ms, p95 {result.P95Ms:0.00} ms, max {result.MaxMs:0.00} ms");
        return result;
    }

    /// <summary>One space removed from a name with spaces ("Siti Aminah" → "SitiAminah"), else one inserted mid-word.</summary>
    private static string Variant(string name, Random rng)
    {
        var spaces = Enumerable.Range(1, Math.Max(0, name.Length - 2)).Where(i => name[i] == ' ').ToList();
        if (spaces.Count > 0)
        {
            var at = spaces[rng.Next(spaces.Count)];
            return name.Remove(at, 1);
        }
        return name.Length < 4 ? name : name.Insert(name.Length / 2, " ");
    }

    private static string Plain(string name) => new([.. name.Where(char.IsLetter).Select(char.ToLowerInvariant)]);

    private static async Task<List<string>> SampleAsync(DbConnection connection, string sqlById, long maxId, int count, Random rng, CancellationToken cancellationToken)
    {
        var picked = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; picked.Count < count && attempt < count * 20; attempt++)
        {
            var id = rng.NextInt64(1, maxId + 1);
            if (await ScalarAsync<string>(connection, sqlById + id.ToString(_c), cancellationToken) is { Length: > 0 } value && seen.Add(value))
            {
                picked.Add(value);
            }
        }
        return picked;
    }

    private static async Task<T?> ScalarAsync<T>(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), _c);
    }

    /// <summary>
    /// The plans of the statements FindFamilies issues (the same predicates, literal values) — index use is what matters.
    /// PostgreSQL runs them (EXPLAIN ANALYZE) to show the actual time too.
    /// </summary>
    private static async Task PlansAsync(string provider, TuntasDatabase database, DbConnection connection, string nik, string noKk, string nameKey,
        BenchResults results, CancellationToken cancellationToken)
    {
        // Letters only (a skeleton never holds a quote).
        var skeleton = NameKey.Skeleton(nameKey);
        string[] statements =
        [
            $"SELECT id, family_id, nik, nama, nama_kunci FROM persons WHERE nik = '{nik}' LIMIT 1",
            $"SELECT id FROM families WHERE no_kk = '{noKk}' LIMIT 1",
            $"SELECT id, family_id, nik, nama, nama_kunci FROM persons WHERE nama_kunci >= '{nameKey.Replace("'", "''", StringComparison.Ordinal)}' AND nama_kunci < '{nameKey.Replace("'", "''", StringComparison.Ordinal)}~' ORDER BY nama_kunci LIMIT 200",
            $"SELECT id, family_id, nik, nama, nama_kunci FROM persons WHERE nama_kerangka >= '{skeleton}' AND nama_kerangka < '{skeleton}~' ORDER BY nama_kerangka LIMIT 200",
            $"SELECT id, family_id, nik, nama, nama_kunci FROM persons WHERE nama_kerangka_akhir = '{NameKey.SkeletonEnd(skeleton)}' ORDER BY nama_kerangka_akhir, nama_kerangka LIMIT 200",
            $"SELECT id, family_id, nik, nama, nama_kunci FROM persons WHERE nama_kunci {(database.IsSqlite ? "GLOB" : "LIKE")} '{nameKey.Replace("'", "''", StringComparison.Ordinal)}{(database.IsSqlite ? "*" : "%")}' LIMIT 20",
        ];
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = (database.IsSqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE) ") + sql;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var plan = new StringBuilder();
            while (await reader.ReadAsync(cancellationToken))
            {
                plan.AppendLine(database.IsSqlite ? reader.GetString(3) : reader.GetString(0));
            }
            results.Plans.Add(new PlanResult(provider, sql, plan.ToString().TrimEnd()));
            BenchRun.Log($"  plan {sql[..Math.Min(60, sql.Length)]}…: {plan.ToString().Split('\n')[0].Trim()}");
        }
    }
}

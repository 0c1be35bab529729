using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tuntas.Data;
using Tuntas.Demo;
using Tuntas.Imports;
using Tuntas.Regions;

namespace Tuntas.Bench;

/// <summary>
/// Registry duplicates on the Indonesian demo set (docs/benchmarks.md "Record linkage"): the demo generator with
/// <c>--faults</c> plants duplicate persons with the registry patterns (NIK one digit wrong or two swapped, temporary NIK
/// beside the real one, Muhammad/Moh., Siti/Sitti, old spelling, Hj. and bin added, day and month swapped) and
/// look-alikes of different persons (twins, a son named after his father, two Siti Aminah of one village). The
/// families the import refuses (the other faults: no head, conflicting rows) are left out of the file; then the real
/// import, then <c>tuntas duplicates find --json</c> as a child process under <c>/usr/bin/time -v</c> (wall clock, CPU,
/// peak RSS), scored against the planted pairs.
/// Usage: <c>duplicates [--families N] [--faults R] [--seed S] [--provider sqlite|postgres|both] [--cli DIR]</c>.
/// </summary>
public static class DuplicatesBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var families = int.Parse(CollaborationBench.Value(args, "--families") ?? "30000", CultureInfo.InvariantCulture);
        var faults = double.Parse(CollaborationBench.Value(args, "--faults") ?? "0.02", CultureInfo.InvariantCulture);
        var seed = int.Parse(CollaborationBench.Value(args, "--seed") ?? "7", CultureInfo.InvariantCulture);
        var provider = CollaborationBench.Value(args, "--provider") ?? "sqlite";
        var postgres = CollaborationBench.Value(args, "--postgres") ?? BenchOptions.DefaultPostgres;
        var root = Path.GetFullPath(".");
        var cli = Path.Combine(Path.GetFullPath(CollaborationBench.Value(args, "--cli") ?? Path.Combine(root, "src", "Tuntas.Cli", "bin", "Release", "net10.0")), "tuntas");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"no CLI at {cli}: dotnet build -c Release src/Tuntas.Cli (or pass --cli DIR)");
            return 2;
        }
        var work = Path.Combine(root, "bench", "out", "duplicates");
        Directory.CreateDirectory(work);
        var generated = Path.Combine(work, "demo.csv");
        var importable = Path.Combine(work, "importable.csv");
        var outcome = await GenerateDemoRegistry.WriteFileAsync(new(Families: families, Seed: seed, FaultRate: faults), generated, CancellationToken.None);
        var kept = KeepImportable(generated, importable);
        File.Delete(generated);
        var planted = outcome.Planted.Where(p => kept.Contains(p.NikA) && kept.Contains(p.NikB)).ToList();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"demo: {outcome.Persons:N0} persons, {kept.Count:N0} importable; planted {planted.Count(p => p.Same)} duplicates, {planted.Count(p => !p.Same)} look-alikes"));
        await File.WriteAllLinesAsync(Path.Combine(work, "planted.csv"), planted.Select(p => $"{p.NikA},{p.NikB},{p.Pattern},{p.Same}"));
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Registry duplicates on the Indonesian demo set, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average before {Load()}"),
            "",
            "| Provider | Persons | Planted duplicates | Look-alike pairs | Proposed | Correct | Precision | Recall | Look-alikes proposed | Generator collisions proposed | Precision without them | Wall (s) | CPU user+sys (s) | Peak RSS (MB) | Load average after |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        };
        var byPattern = new List<string>();
        var checks = new List<string>();
        var weights = new List<string>();
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            var file = Path.Combine(work, "tuntas.db");
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
            var connection = name == "sqlite" ? $"Data Source={file}" : postgres + $";Database=tuntas_bench_dups_{stamp}";
            var database = name == "sqlite" ? new TuntasDatabase(DatabaseProvider.Sqlite, connection) : new TuntasDatabase(DatabaseProvider.Postgres, connection);
            if (name == "postgres")
            {
                await CollaborationBench.ExecuteAsync(postgres, $"CREATE DATABASE tuntas_bench_dups_{stamp}");
            }
            try
            {
                await new Migrator(database).MigrateAsync(CancellationToken.None);
                await new LoadRegions(database).RunAsync(CancellationToken.None);
                var watch = Stopwatch.StartNew();
                var report = await new ImportFamilies(database, TimeProvider.System).RunAsync(new ImportFamilies.Input(importable, "demo.csv", false, "bench"), null, CancellationToken.None);
                if (!report.Committed)
                {
                    Console.Error.WriteLine("import failed: " + report.Failure + " " + string.Join("; ", report.Errors.Take(5).Select(e => $"{e.Row} {e.Column} {e.Code}")));
                    return 1;
                }
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: imported in {watch.Elapsed.TotalSeconds:0} s"));
                checks.Add(await OnePersonAsync(name, database, planted, importable));
                Console.Error.WriteLine(checks[^1]);
                if (args.Contains("--checks-only"))
                {
                    continue;
                }
                var environment = new Dictionary<string, string> { ["Database__Provider"] = name == "sqlite" ? "Sqlite" : "Postgres", ["ConnectionStrings__Tuntas"] = connection };
                var pairsFile = Path.Combine(work, $"pairs-{name}.json");
                var run = await ChildProcess.RunAsync(cli, ["duplicates", "find", "--json", "--out", pairsFile], work, environment, null, CancellationToken.None);
                if (run.ExitCode != 0)
                {
                    Console.Error.WriteLine(run.StandardError);
                    return 1;
                }
                Console.Error.WriteLine(run.StandardError.Split('\n').Where(l => l.StartsWith('[') || l.Contains("pasangan", StringComparison.Ordinal)).Aggregate(new StringBuilder(), (b, l) => b.AppendLine(l)));
                var found = ReadPairs(pairsFile);
                var same = planted.Where(p => p.Same).Select(p => Key(p.NikA, p.NikB)).ToHashSet();
                var lookAlikes = planted.Where(p => !p.Same).Select(p => Key(p.NikA, p.NikB)).ToHashSet();
                var correct = found.Count(same.Contains);
                var precision = found.Count == 0 ? 0 : (double)correct / found.Count;
                var recall = same.Count == 0 ? 0 : (double)correct / same.Count;
                var collisions = Collisions(importable, found.Where(p => !same.Contains(p) && !lookAlikes.Contains(p)).ToList());
                var precisionWithout = found.Count - collisions == 0 ? 0 : (double)correct / (found.Count - collisions);
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {kept.Count:N0} | {same.Count:N0} | {lookAlikes.Count:N0} | {found.Count:N0} | {correct:N0} | {precision:0.000} | {recall:0.000} | {found.Count(lookAlikes.Contains)} | {collisions:N0} | {precisionWithout:0.000} | {run.WallSeconds:0.0} | {run.UserSeconds + run.SystemSeconds:0.0} | {run.MaxRssKb / 1024:N0} | {Load()} |"));
                Console.Error.WriteLine(lines[^1]);
                if (weights.Count == 0)
                {
                    weights.AddRange(Weights(pairsFile));
                    Console.Error.WriteLine(string.Join('\n', weights));
                }
                if (byPattern.Count == 0 && planted.Count > 0)
                {
                    var foundSet = found.ToHashSet();
                    byPattern.Add("| Pattern | Planted | Found | Recall |");
                    byPattern.Add("|---|---:|---:|---:|");
                    foreach (var group in planted.SelectMany(p => p.Pattern.Split('+').Select(part => (Part: part, Pair: p))).GroupBy(x => x.Part).OrderBy(g => g.Key, StringComparer.Ordinal))
                    {
                        var n = group.Count();
                        var hit = group.Count(x => foundSet.Contains(Key(x.Pair.NikA, x.Pair.NikB)));
                        byPattern.Add(string.Create(CultureInfo.InvariantCulture, $"| {group.Key}{(group.First().Pair.Same ? "" : " (different persons)")} | {n} | {hit} | {(double)hit / n:0.00} |"));
                    }
                    Console.Error.WriteLine(string.Join('\n', byPattern));
                }
            }
            finally
            {
                if (name == "postgres")
                {
                    Npgsql.NpgsqlConnection.ClearAllPools();
                    await CollaborationBench.ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS tuntas_bench_dups_{stamp} WITH (FORCE)");
                }
            }
        }
        Console.WriteLine(string.Join('\n', lines));
        Console.WriteLine();
        Console.WriteLine(string.Join('\n', byPattern));
        Console.WriteLine();
        Console.WriteLine(string.Join('\n', checks));
        Console.WriteLine();
        Console.WriteLine(string.Join('\n', weights));
        return 0;
    }

    /// <summary>
    /// The one-person check of the entry points (<see cref="Linkage.CheckDuplicate"/>) timed on the imported registry:
    /// each planted duplicate as a "new" person (its own row excluded by NIK), then as many ordinary persons; median and
    /// 95th percentile per check, on one open connection as the import uses it.
    /// </summary>
    private static async Task<string> OnePersonAsync(string name, TuntasDatabase database, List<GenerateDemoRegistry.PlantedPair> planted, string file)
    {
        var wanted = planted.Where(p => p.Same).Select(p => p.NikB).Take(500).ToHashSet();
        var ordinary = 0;
        var persons = new List<Linkage.CheckDuplicate.Person>();
        using (var reader = new StreamReader(file))
        {
            var header = reader.ReadLine()!.Split(',');
            int Col(string c) => Array.IndexOf(header, c);
            while (reader.ReadLine() is { } line && (persons.Count < 1000))
            {
                var cells = line.Split(',');
                var nik = cells[Col("NIK")];
                var take = wanted.Contains(nik) || (ordinary < 500 && nik.GetHashCode(StringComparison.Ordinal) % 97 == 0 && ordinary++ >= 0);
                if (take)
                {
                    persons.Add(new(nik, cells[Col("NAMA")], DateOnly.ParseExact(cells[Col("TANGGAL_LAHIR")], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                        int.Parse(cells[Col("JENIS_KELAMIN")], CultureInfo.InvariantCulture), cells[Col("KODE_DESA")]));
                }
            }
        }
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var times = new List<double>();
        var found = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var person in persons)
        {
            var watch = Stopwatch.StartNew();
            if (await Linkage.CheckDuplicate.FindAsync(connection, null, person, CancellationToken.None) is not null)
            {
                found++;
            }
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var cpuPerCheck = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / persons.Count;
        times.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"One-person check ({name}): {persons.Count} persons ({wanted.Count} planted duplicates), median {times[times.Count / 2]:0.00} ms, p95 {times[(int)(times.Count * 0.95)]:0.00} ms, max {times[^1]:0.0} ms, this process's CPU {cpuPerCheck:0.00} ms per check (SQLite runs in-process; PostgreSQL's server CPU not included); {found} flagged DUPLICATE_SUSPECT; load average {Load()}");
    }

    /// <summary>
    /// Wrong pairs that are the generator's accidental collisions: two persons it drew independently with the same name
    /// (Indonesian-normalised), sex and desa and the same birth date or the same with day and month swapped — nothing in
    /// the registry tells them from a person registered twice under a second NIK (docs/linkage.md).
    /// </summary>
    private static int Collisions(string file, List<(string, string)> wrong)
    {
        var wanted = wrong.SelectMany(p => new[] { p.Item1, p.Item2 }).ToHashSet(StringComparer.Ordinal);
        var persons = new Dictionary<string, (string Name, string Birth, string Sex, string Desa)>(StringComparer.Ordinal);
        using (var reader = new StreamReader(file))
        {
            var header = reader.ReadLine()!.Split(',');
            int nik = Array.IndexOf(header, "NIK"), nama = Array.IndexOf(header, "NAMA"), birth = Array.IndexOf(header, "TANGGAL_LAHIR"),
                sex = Array.IndexOf(header, "JENIS_KELAMIN"), desa = Array.IndexOf(header, "KODE_DESA");
            while (reader.ReadLine() is { } line)
            {
                var cells = line.Split(',');
                if (wanted.Contains(cells[nik]))
                {
                    persons[cells[nik]] = (Linkage.IndonesianName.Normalize(cells[nama]), cells[birth], cells[sex], cells[desa]);
                }
            }
        }
        static bool SameOrSwapped(string a, string b) => a == b || (a.Length == 10 && b.Length == 10 && a[..5] == b[..5] && a[5..7] == b[8..10] && a[8..10] == b[5..7]);
        return wrong.Count(p => persons.TryGetValue(p.Item1, out var a) && persons.TryGetValue(p.Item2, out var b)
            && a.Name == b.Name && a.Sex == b.Sex && a.Desa == b.Desa && SameOrSwapped(a.Birth, b.Birth));
    }

    /// <summary>The model's estimated weights from <c>duplicates find --json</c>, as a table for docs/linkage.md.</summary>
    private static List<string> Weights(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        if (!document.RootElement.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        var lambda = model.GetProperty("lambda").GetDouble();
        var table = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Registry model: λ = {lambda:0.000000} (prior weight {Math.Log2(lambda / (1 - lambda)):0.00}), EM iterations {model.GetProperty("iterations").GetInt32()}"),
            "",
            "| Field | Level | m | u | Weight log2(m/u) |",
            "|---|---|---:|---:|---:|",
        };
        foreach (var field in model.GetProperty("fields").EnumerateArray())
        {
            foreach (var level in field.GetProperty("levels").EnumerateArray())
            {
                table.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {field.GetProperty("column").GetString()} | {level.GetProperty("level").GetString()} | {level.GetProperty("m").GetDouble():0.000000} | {level.GetProperty("u").GetDouble():0.000000} | {Signed(level.GetProperty("weight").GetDouble())} |"));
            }
        }
        return table;

        static string Signed(double weight) => weight == 0 ? "0.00" : weight.ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
    }

    private static (string, string) Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    private static List<(string, string)> ReadPairs(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.GetProperty("pairs").EnumerateArray().Select(p => Key(p.GetProperty("nikA").GetString()!, p.GetProperty("nikB").GetString()!))];
    }

    /// <summary>
    /// Copies the families the import accepts (the demo's other faults — no head, rows that disagree on the family's
    /// fields — make the import refuse the file) and returns the NIKs kept. The demo file has no quoted commas.
    /// </summary>
    private static HashSet<string> KeepImportable(string from, string to)
    {
        var header = GenerateDemoRegistry.Columns;
        var familyColumns = Array.IndexOf(header, "NIK");
        var role = Array.IndexOf(header, "HUBUNGAN_KK");
        var noKk = Array.IndexOf(header, "NO_KK");
        var kept = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new StreamReader(from);
        using var writer = new StreamWriter(to, false, new UTF8Encoding(false));
        writer.Write(reader.ReadLine() + "\n");
        var family = new List<string[]>();
        void Flush()
        {
            if (family.Count > 0 && family.Any(r => r[role] == "1") && family.Select(r => string.Join(',', r[..familyColumns])).Distinct().Count() == 1)
            {
                foreach (var row in family)
                {
                    writer.Write(string.Join(',', row) + "\n");
                    kept.Add(row[familyColumns]);
                }
            }
            family.Clear();
        }
        while (reader.ReadLine() is { } line)
        {
            var cells = line.Split(',');
            if (family.Count > 0 && family[0][noKk] != cells[noKk])
            {
                Flush();
            }
            family.Add(cells);
        }
        Flush();
        return kept;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}

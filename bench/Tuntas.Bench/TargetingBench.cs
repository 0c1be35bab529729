using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tuntas.Data;
using Tuntas.Demo;
using Tuntas.Imports;
using Tuntas.Regions;
using Tuntas.Targeting;
using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Runs;

namespace Tuntas.Bench;

/// <summary>
/// Targeting benchmark (docs/benchmarks.md): a full run (three models, deciles, ten programs' rules, results
/// written) on a registry of N families, warm rule previews, and the same rules as SQL in the database, with the counts
/// checked equal. Usage: <c>targeting --families 1000000 [--provider sqlite|postgres|both] [--postgres CS]</c>.
/// </summary>
public static class TargetingBench
{
    private static readonly DateOnly _asOf = new(2026, 11, 23);

    // Rules whose SQL form has the same three-valued meaning as the engine's (EXISTS = anyMember; desil from the run).
    private static readonly (string Program, string Rule, string SqliteWhere, string PostgresWhere)[] _rules =
    [
        ("BPNT", """{"<=": [{"field": "desil"}, 4]}""", "r.desil <= 4", "r.desil <= 4"),
        ("PIP", """{"all": [{"<=": [{"field": "desil"}, 4]}, {"anyMember": {"all": [{">=": [{"field": "umur"}, 6]}, {"<=": [{"field": "umur"}, 21]}, {"=": [{"field": "status_sekolah"}, 1]}]}}]}""",
            "r.desil <= 4 AND EXISTS (SELECT 1 FROM persons p WHERE p.family_id = r.family_id AND p.status_sekolah = 1 AND " + SqliteAge + " BETWEEN 6 AND 21)",
            "r.desil <= 4 AND EXISTS (SELECT 1 FROM persons p WHERE p.family_id = r.family_id AND p.status_sekolah = 1 AND " + PostgresAge + " BETWEEN 6 AND 21)"),
        ("ASPD", """{"all": [{">=": [{"field": "jumlah_disabilitas"}, 1]}, {"<=": [{"field": "desil"}, 4]}]}""",
            "r.desil <= 4 AND EXISTS (SELECT 1 FROM persons p WHERE p.family_id = r.family_id AND p.disabilitas <> 0)",
            "r.desil <= 4 AND EXISTS (SELECT 1 FROM persons p WHERE p.family_id = r.family_id AND p.disabilitas <> 0)"),
        ("LANSIA_MISKIN", """{"all": [{"<=": [{"field": "desil"}, 3]}, {">=": [{"field": "jumlah_lansia"}, 1]}, {"in": [{"field": "jenis_lantai"}, [5, 6, 7, 8]]}]}""",
            "r.desil <= 3 AND f.jenis_lantai IN (5, 6, 7, 8) AND EXISTS (SELECT 1 FROM persons p WHERE p.family_id = r.family_id AND " + SqliteAge + " >= 70)",
            "r.desil <= 3 AND f.jenis_lantai IN (5, 6, 7, 8) AND EXISTS (SELECT 1 FROM persons p WHERE p.family_id = r.family_id AND " + PostgresAge + " >= 70)"),
    ];

    private const string SqliteAge = "(CAST(strftime('%Y', '2026-11-23') AS INTEGER) - CAST(strftime('%Y', p.tanggal_lahir) AS INTEGER) - (strftime('%m-%d', '2026-11-23') < strftime('%m-%d', p.tanggal_lahir)))";
    private const string PostgresAge = "date_part('year', age(DATE '2026-11-23', p.tanggal_lahir))";

    public static async Task<int> RunAsync(string[] args)
    {
        var families = int.Parse(Value(args, "--families") ?? "1000000", CultureInfo.InvariantCulture);
        var provider = Value(args, "--provider") ?? "both";
        var postgres = Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var root = Path.GetFullPath("bench/out");
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, $"demo-33.14-f{families}-s1.csv");
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"generating {file} …");
            await using var writer = new StreamWriter(file);
            await new GenerateDemoRegistry().RunAsync(new GenerateDemoRegistry.Input(Families: families, Seed: 1), writer, CancellationToken.None);
        }
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Targeting benchmark, {families:N0} families ({file}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores"),
            "",
            "| Provider | Full run, median of 3 (s) | min–max | load | models | rules | summary | write | Rows/s | Preview cold (ms) | Preview warm p50 / p95 (ms) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        var sqlLines = new List<string> { "", "| Provider | Rule | Families | Engine warm (ms) | SQL (ms) | SQL ÷ engine |", "|---|---|---:|---:|---:|---:|" };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            TuntasDatabase database;
            if (name == "sqlite")
            {
                var path = Path.Combine(root, "targeting", "tuntas.db");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                database = new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={path}");
            }
            else
            {
                database = new TuntasDatabase(DatabaseProvider.Postgres, postgres + ";Database=tuntas_bench_targeting");
                await using var admin = new Npgsql.NpgsqlConnection(postgres);
                await admin.OpenAsync();
                await using var exists = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'tuntas_bench_targeting'", admin);
                if (await exists.ExecuteScalarAsync() is null)
                {
                    await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE tuntas_bench_targeting", admin);
                    await create.ExecuteNonQueryAsync();
                }
            }
            await new Migrator(database).MigrateAsync(CancellationToken.None);
            await new LoadRegions(database).RunAsync(CancellationToken.None);
            await new SeedTargetingDefaults(database, TimeProvider.System).RunAsync(CancellationToken.None);
            await using (var db = database.CreateDb())
            {
                if (db.Families.Count() < families)
                {
                    Console.Error.WriteLine($"{name}: importing {file} …");
                    var report = await new ImportFamilies(database, TimeProvider.System).RunAsync(new ImportFamilies.Input(file, Path.GetFileName(file), false, "bench"), null, CancellationToken.None);
                    if (!report.Committed) throw new InvalidOperationException(report.ToJson());
                }
            }
            Console.Error.WriteLine($"{name}: targeting run …");
            // Three full runs (the machine is a shared VM: single runs vary by ±1 s); the median is reported.
            var runs = new List<(double Seconds, TargetingRun Run)>();
            var watch = Stopwatch.StartNew();
            for (var repeat = 0; repeat < 3; repeat++)
            {
                watch.Restart();
                var done = await new RunTargeting(database, TimeProvider.System).RunAsync(new RunTargeting.Input("bench", _asOf), CancellationToken.None);
                runs.Add((watch.Elapsed.TotalSeconds, done));
            }
            runs.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));
            var (seconds, run) = runs[1];
            var spread = string.Create(CultureInfo.InvariantCulture, $"{runs[0].Seconds:0.0}–{runs[2].Seconds:0.0}");
            var summary = JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;
            var t = summary.TimingsMs;

            var cache = new SnapshotCache();
            var preview = new PreviewRule(database, cache, new FixedClock(_asOf));
            watch.Restart();
            await preview.RunAsync(new PreviewRule.Input(null, _rules[1].Rule), CancellationToken.None);
            var cold = watch.Elapsed.TotalMilliseconds;
            var warm = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                watch.Restart();
                await preview.RunAsync(new PreviewRule.Input(null, _rules[i % _rules.Length].Rule), CancellationToken.None);
                warm.Add(watch.Elapsed.TotalMilliseconds);
            }
            warm.Sort();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {seconds:0.0} | {spread} | {t["baca_registri"] / 1000.0:0.0} | {t["model"] / 1000.0:0.0} | {t["aturan"] / 1000.0:0.00} | {t["ringkasan"] / 1000.0:0.0} | {t["tulis"] / 1000.0:0.0} | {summary.Families / seconds:N0} | {cold:N0} | {warm[9]:N0} / {warm[18]:N0} |"));

            foreach (var (program, rule, sqliteWhere, postgresWhere) in _rules)
            {
                watch.Restart();
                var engine = await preview.RunAsync(new PreviewRule.Input(null, rule), CancellationToken.None);
                var engineMs = watch.Elapsed.TotalMilliseconds;
                await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
                await using var command = connection.CreateCommand();
                command.CommandTimeout = 0;
                command.CommandText = $"SELECT COUNT(*) FROM targeting_results r JOIN families f ON f.id = r.family_id WHERE r.run_id = {run.Id} AND {(name == "sqlite" ? sqliteWhere : postgresWhere)}";
                watch.Restart();
                var sqlCount = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                var sqlMs = watch.Elapsed.TotalMilliseconds;
                var agree = sqlCount == engine.Families ? "" : $" ≠ SQL {sqlCount:N0}";
                sqlLines.Add(string.Create(CultureInfo.InvariantCulture, $"| {name} | {program} | {engine.Families:N0}{agree} | {engineMs:N0} | {sqlMs:N0} | {sqlMs / engineMs:0.0}× |"));
            }
        }
        lines.AddRange(sqlLines);
        var text = string.Join('\n', lines);
        Console.WriteLine(text);
        await File.WriteAllTextAsync(Path.Combine(root, $"targeting-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"), text);
        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class FixedClock(DateOnly day) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
    }
}

using System.Diagnostics;
using System.Globalization;
using Tuntas.Data;
using Tuntas.Programs;
using Tuntas.Targeting.Runs;

namespace Tuntas.Bench;

/// <summary>
/// Programs benchmark (docs/benchmarks.md): the overlap matrix and the targeting error report over the
/// registry the targeting benchmark loaded (run that first), with demo recipients for ten programs, side by side with
/// the same overlap computed by the database in SQL. Usage: <c>programs [--provider sqlite|postgres|both] [--postgres CS]</c>.
/// </summary>
public static class ProgramsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var provider = Value(args, "--provider") ?? "both";
        var postgres = Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var root = Path.GetFullPath("bench/out");
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Programs benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores"),
            "",
            "| Provider | Families | Open enrollments | Overlap matrix (s) | Same overlap in SQL (s) | SQL ÷ Tuntas | Error report, 10 programs (s) | Worklist rows | Worklist XLSX (s) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var database = name == "sqlite"
                ? new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(root, "targeting", "tuntas.db")}")
                : new TuntasDatabase(DatabaseProvider.Postgres, postgres + ";Database=tuntas_bench_targeting");
            await new Migrator(database).MigrateAsync(CancellationToken.None);
            await new SeedPrograms(database, TimeProvider.System).RunAsync(CancellationToken.None);
            Console.Error.WriteLine($"{name}: demo recipients …");
            var seeded = await new SeedDemoEnrollments(database, TimeProvider.System).RunAsync(1, 2026, CancellationToken.None);
            Console.Error.WriteLine($"{name}: {seeded.Enrollments:N0} enrollments added");
            long runId;
            int families;
            await using (var db = database.CreateDb())
            {
                var run = await FindRun.ByReferenceAsync(db, "latest", CancellationToken.None);
                (runId, families) = (run.Id, run.FamilyCount);
            }
            var watch = Stopwatch.StartNew();
            var matrix = await new OverlapMatrix(database).RunAsync(CancellationToken.None);
            var matrixSeconds = watch.Elapsed.TotalSeconds;
            var enrollments = matrix.Programs.Sum(p => p.Enrollments);

            await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
            await using (var command = connection.CreateCommand())
            {
                command.CommandTimeout = 0;
                command.CommandText = """
                    SELECT a.program_id, b.program_id, COUNT(DISTINCT a.family_id)
                    FROM enrollments a JOIN enrollments b ON b.family_id = a.family_id
                    WHERE a.status <> 'keluar' AND b.status <> 'keluar'
                    GROUP BY a.program_id, b.program_id
                    """;
                watch.Restart();
                await using var reader = await command.ExecuteReaderAsync();
                var sqlTotal = 0L;
                while (await reader.ReadAsync()) sqlTotal += reader.GetInt64(2);
                var sqlSeconds = watch.Elapsed.TotalSeconds;
                var total = matrix.Both.Sum(row => row.Sum(v => (long)v));
                if (sqlTotal != total) Console.Error.WriteLine($"MISMATCH: SQL total {sqlTotal} vs {total}");

                watch.Restart();
                var report = await new TargetingErrorReport(database).RunAsync(new(runId), CancellationToken.None);
                var reportSeconds = watch.Elapsed.TotalSeconds;
                watch.Restart();
                await using (var file = File.Create(Path.Combine(root, $"worklist-{name}.xlsx")))
                {
                    await new ExportErrorWorklist(database).RunAsync(report.Worklist, file, xlsx: true, fullIdentifiers: false, CancellationToken.None);
                }
                var xlsxSeconds = watch.Elapsed.TotalSeconds;
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {families:N0} | {enrollments:N0} | {matrixSeconds:0.00} | {sqlSeconds:0.00}{(sqlTotal == total ? "" : " ≠")} | {sqlSeconds / matrixSeconds:0.0}× | {reportSeconds:0.00} | {report.Worklist.Count:N0} | {xlsxSeconds:0.0} |"));
            }
        }
        var text = string.Join('\n', lines);
        Console.WriteLine(text);
        await File.WriteAllTextAsync(Path.Combine(root, $"programs-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"), text);
        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.P2kp.LoanBook;
using Tuntas.P2kp.Performance;
using Tuntas.Regions;

namespace Tuntas.Bench;

/// <summary>
/// P2KP benchmark (docs/benchmarks.md, docs/p2kp.md): a regency with 100 UPKs, 50,000 loans and ≈ 1,500,000 scheduled
/// instalments (terms 24–36 months) generated as a CSV loan book, imported through <see cref="ImportLoanBook"/>, then
/// the indicators of every UPK as of a date by <see cref="UpkPerformance"/> beside the same loan indicators in one
/// plain SQL statement over the stored schedule (<see cref="UpkPerformanceSql"/>), checked equal. Usage:
/// <c>upk [--provider sqlite|postgres|both] [--postgres CS] [--upks N] [--loans N]</c>.
/// </summary>
public static class UpkBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var provider = CollaborationBench.Value(args, "--provider") ?? "both";
        var postgres = CollaborationBench.Value(args, "--postgres") ?? BenchOptions.DefaultPostgres;
        var upks = int.Parse(CollaborationBench.Value(args, "--upks") ?? "100", CultureInfo.InvariantCulture);
        var loans = int.Parse(CollaborationBench.Value(args, "--loans") ?? "50000", CultureInfo.InvariantCulture);
        var root = Path.GetFullPath("bench/out");
        var folder = Path.Combine(root, "upk", "book");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(Path.Combine(root, "upk"));
        var asOf = new DateOnly(2026, 9, 30);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"UPK benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores"),
            "",
            "| Provider | UPK | Loans | Instalments | Payments | Import (s) | Re-import, replace (s) | Indicators, all UPKs (s) | Same in plain SQL (s) | Tuntas ÷ SQL | Equal |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        };
        GenerateLoanBook.Counts? counts = null;
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            var file = Path.Combine(root, "upk", "tuntas.db");
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
            var database = name == "sqlite"
                ? new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={file}")
                : new TuntasDatabase(DatabaseProvider.Postgres, postgres + $";Database=tuntas_bench_upk_{stamp}");
            if (name == "postgres")
            {
                await CollaborationBench.ExecuteAsync(postgres, $"CREATE DATABASE tuntas_bench_upk_{stamp}");
            }
            await new Migrator(database).MigrateAsync(CancellationToken.None);
            await new LoadRegions(database).RunAsync(CancellationToken.None);
            if (counts is null)
            {
                await using var regions = database.CreateDb();
                var villages = await regions.Regions.Where(r => r.Level == Region.Village && r.Code.StartsWith("33.14.")).OrderBy(r => r.Code).Select(r => r.Code).Take(upks).ToListAsync();
                counts = GenerateLoanBook.WriteCsvFolder(folder, new GenerateLoanBook.Options(upks, loans / upks, villages, asOf, Seed: 2026, MinTerm: 24, MaxTerm: 36));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"book: {counts}"));
            }

            var clock = TimeProvider.System;
            var watch = Stopwatch.StartNew();
            var report = await new ImportLoanBook(database, clock).RunAsync(new ImportLoanBook.Input(folder, "book", false), CancellationToken.None);
            var importSeconds = watch.Elapsed.TotalSeconds;
            if (!report.Committed)
            {
                Console.Error.WriteLine("import failed: " + string.Join("; ", report.Errors.Take(5).Select(e => $"{e.Sheet} {e.Row} {e.Column} {e.Code}")) + report.Failure);
                return 1;
            }
            Console.Error.WriteLine(name + " import phases: " + string.Join(", ", report.Timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Phase} {t.Seconds:0.0} s"))));
            watch.Restart();
            var again = await new ImportLoanBook(database, clock).RunAsync(new ImportLoanBook.Input(folder, "book", false), CancellationToken.None);
            Console.Error.WriteLine(name + " re-import phases: " + string.Join(", ", again.Timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Phase} {t.Seconds:0.0} s"))));
            var reimportSeconds = watch.Elapsed.TotalSeconds;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: import {importSeconds:0.0} s, re-import {reimportSeconds:0.0} s"));

            await using var db = database.CreateDb();
            var performance = new UpkPerformance(db);
            var reference = new UpkPerformanceSql(database);
            await performance.RunAsync(new UpkPerformance.Input(asOf, null, AccessScope.Regency), CancellationToken.None); // warm-up
            await reference.RunAsync(asOf, CancellationToken.None);
            var ours = new List<double>();
            var sql = new List<double>();
            UpkPerformance.Outcome outcome = null!;
            IReadOnlyList<UpkPerformanceSql.Row> rows = [];
            for (var i = 0; i < 3; i++)
            {
                watch.Restart();
                outcome = await performance.RunAsync(new UpkPerformance.Input(asOf, null, AccessScope.Regency), CancellationToken.None);
                ours.Add(watch.Elapsed.TotalSeconds);
                watch.Restart();
                rows = await reference.RunAsync(asOf, CancellationToken.None);
                sql.Add(watch.Elapsed.TotalSeconds);
            }
            var ids = await db.Upks.ToDictionaryAsync(u => u.Kode, u => u.Id);
            var equal = outcome.Upk.Count == rows.Count && outcome.Upk.All(u =>
            {
                var r = rows.Single(x => x.UpkId == ids[u.Kode!]);
                var s = u.Detail!;
                return r.Due == s.Due && r.PaidUpToDue == s.PaidUpToDue && r.Outstanding == s.Outstanding && r.OutstandingAtRisk == s.OutstandingAtRisk
                    && r.ActiveLoans == u.PinjamanAktif && r.ActiveKsm == u.KsmAktif && r.KsmAtRisk == s.KsmAtRisk.Count
                    && r.Kolektibilitas.SequenceEqual(u.Kolektibilitas.Values.Select(v => (long)v));
            });
            var median = ours.Order().ElementAt(1);
            var sqlMedian = sql.Order().ElementAt(1);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {counts.Upks} | {counts.Loans:N0} | {counts.Installments:N0} | {counts.Payments:N0} | {importSeconds:0.0} | {reimportSeconds:0.0} | {median:0.00} | {sqlMedian:0.00} | {median / sqlMedian:0.00} | {(equal ? "yes" : "NO")} |"));
            Console.Error.WriteLine(lines[^1]);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"<!-- {name} total: RR {outcome.Total.Rr} PAR {outcome.Total.Par} LAR {outcome.Total.Lar} CCR {outcome.Total.Ccr} ROI {outcome.Total.Roi} -->"));
            if (name == "postgres")
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await CollaborationBench.ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS tuntas_bench_upk_{stamp} WITH (FORCE)");
            }
        }
        var text = string.Join("\n", lines) + "\n";
        Console.WriteLine(text);
        Directory.CreateDirectory(Path.Combine(root, "upk"));
        await File.WriteAllTextAsync(Path.Combine(root, "upk", $"upk-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"), text);
        return 0;
    }
}

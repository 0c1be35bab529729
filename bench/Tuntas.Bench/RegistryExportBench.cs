using System.Diagnostics;
using System.Globalization;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.Imports;
using Tuntas.Registry.Exports;

namespace Tuntas.Bench;

/// <summary>
/// Registry export benchmark (docs/benchmarks.md, "Registry export"): the demo registry of <c>--persons</c> is imported
/// into a fresh database, then exported in OpenSID's population format (<see cref="ExportOpenSid"/>, one file of every
/// person, CSV and XLSX) against the database's own bulk export of the same columns in the same order (sqlite3
/// <c>.mode csv</c> / <c>.once</c>, psql <c>\copy (SELECT …) TO … CSV</c>). Best of <c>--runs</c>; the managed heap is
/// sampled during the export to show it streams.
/// Usage: <c>registry-export [--persons 100000] [--runs 3] [--provider sqlite|postgres|both] [--postgres CS]</c>.
/// </summary>
public static class RegistryExportBench
{
    /// <summary>The columns <see cref="ExportOpenSid"/> reads, joined and ordered as it orders them.</summary>
    private const string ReferenceSelect =
        "SELECT f.kode_desa, f.no_kk, f.alamat, f.rt, f.rw, f.lintang, f.bujur, p.nik, p.nama, p.jenis_kelamin, p.tempat_lahir, p.tanggal_lahir, " +
        "p.hubungan_kk, p.status_kawin, p.pendidikan, p.pekerjaan, p.disabilitas, p.hamil, p.status_hidup " +
        "FROM families f JOIN persons p ON p.family_id = f.id ORDER BY f.kode_desa, f.no_kk, p.hubungan_kk, p.tanggal_lahir, p.id";

    public static async Task<int> RunAsync(string[] args)
    {
        var persons = int.Parse(Value(args, "--persons") ?? "100000", CultureInfo.InvariantCulture);
        var runs = int.Parse(Value(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var provider = Value(args, "--provider") ?? "both";
        var postgres = Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var root = Path.GetFullPath("bench/out/registry-export");
        var demo = await ProfilesBench.DemoFileAsync(root, persons);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Registry export benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, best of {runs}"),
            "",
            "| Provider | Persons | Reference: database CSV (s) | OpenSID CSV (s) | ÷ reference | OpenSID XLSX (s) | ÷ reference | Managed heap growth after GCs during export (MB) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var (database, target) = await FreshAsync(name, root, postgres);
            var import = await new ImportFamilies(database, TimeProvider.System).RunAsync(
                new ImportFamilies.Input(demo, Path.GetFileName(demo), false, "bench"), null, CancellationToken.None);
            if (!import.Committed)
            {
                throw new InvalidOperationException(import.ToJson());
            }
            var rows = import.Persons.Added;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {rows:N0} persons imported"));
            var best = new Dictionary<string, double> { ["reference"] = double.MaxValue, ["csv"] = double.MaxValue, ["xlsx"] = double.MaxValue };
            long peakHeap = 0;
            for (var run = 0; run < runs; run++)
            {
                var referenceFile = Path.Combine(root, "reference.csv");
                var watch = Stopwatch.StartNew();
                var reference = name == "sqlite"
                    ? await ChildProcess.RunAsync("sqlite3", ["-batch", "-bail", target], root, null,
                        $".mode csv\n.headers on\n.once {referenceFile}\n{ReferenceSelect};\n", CancellationToken.None)
                    : await ChildProcess.RunAsync("psql", [target, "-v", "ON_ERROR_STOP=1", "-c", $"\\copy ({ReferenceSelect}) TO '{referenceFile}' WITH (FORMAT csv, HEADER)"],
                        root, new Dictionary<string, string> { ["PGPASSWORD"] = PasswordOf(postgres) }, null, CancellationToken.None);
                var referenceSeconds = watch.Elapsed.TotalSeconds;
                if (reference.ExitCode != 0)
                {
                    throw new InvalidOperationException(reference.StandardError);
                }
                best["reference"] = Math.Min(best["reference"], referenceSeconds);
                foreach (var csv in new[] { true, false })
                {
                    var file = Path.Combine(root, csv ? "opensid.csv" : "opensid.xlsx");
                    var request = new RegistryExport.Request(RegistryExport.OpenSid, null, csv, AccessScope.Regency, false);
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    var baseline = GC.GetGCMemoryInfo().HeapSizeBytes;
                    using var sampler = new HeapSampler();
                    watch.Restart();
                    RegistryExport.Outcome outcome;
                    await using (var output = File.Create(file))
                    await using (var db = database.CreateDb())
                    {
                        outcome = await new ExportOpenSid(db).RunAsync(request, output, CancellationToken.None);
                    }
                    var seconds = watch.Elapsed.TotalSeconds;
                    if (outcome.Persons != rows)
                    {
                        throw new InvalidOperationException($"{outcome.Persons} of {rows} persons exported");
                    }
                    peakHeap = Math.Max(peakHeap, sampler.Peak - baseline);
                    var kind = csv ? "csv" : "xlsx";
                    best[kind] = Math.Min(best[kind], seconds);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name} run {run + 1}: reference {referenceSeconds:0.00} s, OpenSID {kind} {seconds:0.00} s ({new FileInfo(file).Length / 1e6:0.0} MB)"));
                }
            }
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {rows:N0} | {best["reference"]:0.00} | {best["csv"]:0.00} | {best["csv"] / best["reference"]:0.00} | {best["xlsx"]:0.00} | {best["xlsx"] / best["reference"]:0.00} | {peakHeap / 1e6:0.0} |"));
        }
        Console.WriteLine(string.Join('\n', lines));
        return 0;
    }

    /// <summary>Samples, every 20 ms while an export runs, the managed heap as the last garbage collection left it (live
    /// objects, not the garbage a streaming writer leaves between collections).</summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public HeapSampler() => _timer = new Timer(_ => Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), GC.GetGCMemoryInfo().HeapSizeBytes)), null, 0, 20);

        public long Peak => Interlocked.Read(ref _peak);

        public void Dispose() => _timer.Dispose();
    }

    private static string PasswordOf(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Password ?? "";

    private static async Task<(TuntasDatabase Database, string Target)> FreshAsync(string provider, string root, string postgres)
    {
        const string name = "tuntas_bench_export";
        var database = await ProfilesBench.FreshAsync(provider, root, postgres, name);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = name };
        return (database, provider == "sqlite" ? Path.Combine(root, "tuntas.db") : $"host={builder.Host} port={builder.Port} user={builder.Username} dbname={name}");
    }

    private static string? Value(string[] args, string name) => ProfilesBench.Value(args, name);
}

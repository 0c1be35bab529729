using System.Diagnostics;
using System.Globalization;
using Tuntas.Imports;

namespace Tuntas.Bench;

/// <summary>
/// Where an import's time goes (docs/benchmarks.md, "Import", phase table): the demo file imported in-process by
/// <see cref="ImportFamilies"/> into a fresh, migrated database, the wall time split at the import's own progress phases
/// (hashing and registry preload, validation, writing, index rebuild, history, commit and ANALYZE), then the same file
/// again (the re-import, everything unchanged). The dry run is timed first on the empty registry. The process's managed
/// heap, peak working set and the garbage collector's pauses during the import are printed after each import
/// (in-process, so they include the harness). CPU seconds are
/// printed beside the wall time (the machine is shared: CPU time moves much less with the load than wall time): the
/// process's own, and on PostgreSQL the server backends' of the bench database (read from /proc; parallel index-build
/// workers that have exited are not counted).
/// Usage: <c>import-phases [--persons 300000] [--provider sqlite|postgres|both] [--postgres CS] [--no-reimport] [--no-dry-run]</c>.
/// </summary>
public static class ImportPhasesBench
{
    private static readonly CultureInfo _c = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var persons = int.Parse(ProfilesBench.Value(args, "--persons") ?? "300000", _c);
        var provider = ProfilesBench.Value(args, "--provider") ?? "both";
        var postgres = ProfilesBench.Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var reimport = !args.Contains("--no-reimport");
        var dryRunFirst = !args.Contains("--no-dry-run");
        using var allocations = args.Contains("--allocations") ? new AllocationSampler() : null;
        var demo = await ProfilesBench.DemoFileAsync(Path.GetFullPath("bench/out/profiles"), persons);
        var root = Path.GetFullPath("bench/out/phases");
        Directory.CreateDirectory(root);
        Console.WriteLine(string.Create(_c, $"Import phases, {Path.GetFileName(demo)}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {BenchRun.Load()}"));
        Console.WriteLine();
        Console.WriteLine("| Provider | Run | Total (s) | Hash + preload (s) | Validation (s) | Writing (s) | Indexes (s) | History (s) | Commit + ANALYZE (s) | Rows | CPU client (s) | CPU server (s) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var database = await ProfilesBench.FreshAsync(name, root, postgres, "tuntas_bench_phases");
            var runs = new List<(string Run, bool DryRun)> { ("dry run", true), ("import", false) };
            if (!dryRunFirst)
            {
                runs.RemoveAt(0);
            }
            if (reimport)
            {
                runs.Add(("re-import", false));
            }
            foreach (var (run, dryRun) in runs)
            {
                var phases = new PhaseClock();
                var client = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
                var server = ServerCpuSeconds("tuntas_bench_phases");
                var (pause, allocated, gen0, gen1, gen2) = (GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                var report = await new ImportFamilies(database, TimeProvider.System).RunAsync(
                    new ImportFamilies.Input(demo, Path.GetFileName(demo), dryRun, "bench"), phases, CancellationToken.None);
                phases.End();
                client = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - client;
                server = ServerCpuSeconds("tuntas_bench_phases") - server;
                if (report.ErrorCount > 0 || report.Failure is not null || (!dryRun && !report.Committed))
                {
                    throw new InvalidOperationException(report.ToJson());
                }
                string At(params string[] names) => phases.Seconds(names).ToString("0.00", _c);
                Console.WriteLine(string.Create(_c,
                    $"| {name} | {run} | {phases.Total:0.00} | {At("membaca")} | {At("validasi")} | {At("menulis")} | {At("indeks")} | {At("riwayat")} | {At("selesai")} | {report.Persons.Added + report.Persons.Unchanged + report.Persons.Updated:N0} | {client:0.0} | {(name == "sqlite" ? "–" : server.ToString("0.0", _c))} |"));
                Console.Error.WriteLine(string.Create(_c,
                    $"{name} {run}: heap {GC.GetTotalMemory(false) / 1048576} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB, "
                    + $"allocated {(GC.GetTotalAllocatedBytes() - allocated) / 1048576:N0} MB, GC pauses {(GC.GetTotalPauseDuration() - pause).TotalSeconds:0.00} s ({GC.CollectionCount(0) - gen0} gen0, {GC.CollectionCount(1) - gen1} gen1, {GC.CollectionCount(2) - gen2} gen2), load {BenchRun.Load()}"));
            }
        }
        if (allocations is not null)
        {
            Console.Error.WriteLine("Allocation samples by type (all runs):");
            foreach (var line in allocations.Top(25))
            {
                Console.Error.WriteLine(line);
            }
        }
        return 0;
    }

    /// <summary>CPU seconds so far of the PostgreSQL backends serving <paramref name="database"/> (user + system, from /proc).</summary>
    private static double ServerCpuSeconds(string database)
    {
        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var command = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (!command.StartsWith("postgres: ", StringComparison.Ordinal) || !command.Contains(" " + database + " ", StringComparison.Ordinal))
                {
                    continue;
                }
                // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime and stime in clock ticks.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += double.Parse(fields[11], _c) + double.Parse(fields[12], _c);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // A process that ended while it was read, or not a process directory.
            }
        }
        return ticks / 100; // USER_HZ is 100 on Linux
    }

    /// <summary>Seconds spent in each progress phase, from its first report to the next phase's first report.</summary>
    private sealed class PhaseClock : IProgress<ImportProgress>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly Dictionary<string, double> _seconds = [];
        private string? _phase;
        private double _since;

        public double Total { get; private set; }

        public void Report(ImportProgress value)
        {
            if (value.Phase != _phase)
            {
                Switch(value.Phase);
            }
        }

        private void Switch(string? phase)
        {
            var now = _watch.Elapsed.TotalSeconds;
            if (_phase is not null)
            {
                _seconds[_phase] = _seconds.GetValueOrDefault(_phase) + now - _since;
            }
            _phase = phase;
            _since = now;
        }

        public void End()
        {
            Switch(null);
            Total = _watch.Elapsed.TotalSeconds;
        }

        public double Seconds(params string[] phases) => phases.Sum(p => _seconds.GetValueOrDefault(p));
    }
}

using System.Globalization;

namespace Tuntas.Bench;

/// <summary>
/// CLI start-up and targeting export benchmarks (docs/benchmarks.md, "CLI start-up and export").
/// <c>startup [--cli DIR] [--runs N]</c>: a hello-world .NET program (the runtime's own start), then <c>tuntas --help</c>,
/// <c>tuntas users list</c> and <c>tuntas import families FILE --dry-run</c> of a 10-row file on an up-to-date SQLite
/// database; median wall and CPU time of N runs each, and each command's cost beyond the hello world.
/// <c>export --db FILE [--cli DIR] [--runs N]</c>: <c>tuntas targeting export latest</c> against sqlite3 writing the same
/// columns as CSV from the same database (run <c>import</c> then <c>tuntas targeting run</c> on it first).
/// </summary>
public static class StartupBench
{
    private static readonly CultureInfo _c = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = FindRoot();
        var cliDir = Path.GetFullPath(Value(args, "--cli") ?? Path.Combine(root, "src", "Tuntas.Cli", "bin", "Release", "net10.0"));
        var cli = Path.Combine(cliDir, "tuntas");
        var runs = int.Parse(Value(args, "--runs") ?? "7", _c);
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"no CLI at {cli}: dotnet build -c Release src/Tuntas.Cli (or pass --cli DIR of a publish)");
            return 2;
        }
        return args[0] == "export"
            ? await ExportAsync(root, cli, Value(args, "--db") ?? Path.Combine(root, "bench", "out", "sqlite", "tuntas.db"), Math.Max(1, runs / 2))
            : await StartupAsync(root, cli, runs);
    }

    private static async Task<int> StartupAsync(string root, string cli, int runs)
    {
        var work = Path.Combine(root, "bench", "out", "startup");
        Directory.CreateDirectory(work);
        var hello = await BuildHelloWorldAsync(work);
        var database = Path.Combine(work, "tuntas.db");
        File.Delete(database);
        var environment = new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["ConnectionStrings__Tuntas"] = "Data Source=" + database };
        await MustAsync(cli, ["db", "migrate"], work, environment);
        var generated = Path.Combine(work, "demo.csv");
        await MustAsync(cli, ["demo", "--families", "5", "--seed", "1", "--out", generated], work, environment);
        var tenRows = Path.Combine(work, "ten.csv");
        await File.WriteAllLinesAsync(tenRows, File.ReadLines(generated).Take(11));
        var loadBefore = BenchRun.Load();
        var lines = new List<string>
        {
            string.Create(_c, $"CLI start-up, {runs} runs each, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, CLI {cli}"),
            "",
            "| Command | wall p50 (s) | min (s) | CPU p50 (s) | beyond hello world, wall (s) | ratio to hello world (wall) |",
            "|---|---:|---:|---:|---:|---:|",
        };
        (double Wall, double Min, double Cpu)? baseline = null;
        foreach (var (name, file, arguments) in new (string, string, string[])[]
        {
            ("hello world (`dotnet` runtime start)", hello, []),
            ("`tuntas --help`", cli, ["--help"]),
            ("`tuntas users list`", cli, ["users", "list"]),
            ("`tuntas import families ten.csv --dry-run` (10 rows)", cli, ["import", "families", tenRows, "--dry-run"]),
        })
        {
            var walls = new List<double>();
            var cpus = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var run = await ChildProcess.RunAsync(file, arguments, work, environment, null, CancellationToken.None);
                if (run.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{name} exited {run.ExitCode}: {run.StandardError}");
                }
                walls.Add(run.WallSeconds);
                cpus.Add((run.UserSeconds ?? 0) + (run.SystemSeconds ?? 0));
            }
            var measured = (Wall: Median(walls), Min: walls.Min(), Cpu: Median(cpus));
            baseline ??= measured;
            lines.Add(string.Create(_c,
                $"| {name} | {measured.Wall:0.000} | {measured.Min:0.000} | {measured.Cpu:0.000} | {measured.Wall - baseline.Value.Wall:0.000} | {measured.Wall / baseline.Value.Wall:0.0}× |"));
        }
        lines.Add("");
        lines.Add($"Load average before {loadBefore}, after {BenchRun.Load()}.");
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
        return 0;
    }

    private static async Task<int> ExportAsync(string root, string cli, string database, int runs)
    {
        if (!File.Exists(database))
        {
            Console.Error.WriteLine($"no registry at {database}: run the import benchmark with --provider sqlite, then tuntas targeting run on it");
            return 2;
        }
        var work = Path.Combine(root, "bench", "out", "export");
        Directory.CreateDirectory(work);
        var environment = new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["ConnectionStrings__Tuntas"] = "Data Source=" + database };
        var ours = Path.Combine(work, "tuntas.csv");
        var reference = Path.Combine(work, "sqlite3.csv");
        // The same columns, join and member count as ExportRun; sqlite3 formats the numbers its own way, which is
        // the only difference in the files.
        var runId = (await MustAsync("sqlite3", [database, "SELECT MAX(id) FROM targeting_runs"], work, null)).StandardOutput.Trim();
        if (runId.Length == 0)
        {
            Console.Error.WriteLine("no targeting run in the registry: tuntas targeting run first");
            return 2;
        }
        var query = $"""
            SELECT f.no_kk AS NO_KK, r.kode_desa AS KODE_DESA, round(r.skor_pmt) AS SKOR_PMT, r.desil AS DESIL, r.kriteria_bps AS KRITERIA_BPS,
                   r.miskin_bps AS MISKIN_BPS, r.program_eligible AS PROGRAM_ELIGIBLE, r.skor_indeks AS SKOR_INDEKS,
                   r.kriteria_tidak_diketahui AS KRITERIA_TIDAK_DIKETAHUI, r.program_undetermined AS PROGRAM_BELUM_PASTI,
                   (SELECT COUNT(*) FROM persons p WHERE p.family_id = r.family_id AND p.status_hidup = 1) AS JUMLAH_ANGGOTA
            FROM targeting_results r JOIN families f ON f.id = r.family_id
            WHERE r.run_id = {runId} ORDER BY r.family_id;
            """;
        var loadBefore = BenchRun.Load();
        var oursWall = new List<double>();
        var referenceWall = new List<double>();
        long peak = 0;
        for (var i = 0; i < runs; i++)
        {
            var a = await MustAsync(cli, ["targeting", "export", "latest", "--out", ours], work, environment);
            oursWall.Add(a.WallSeconds);
            peak = Math.Max(peak, a.MaxRssKb ?? 0);
            var b = await MustAsync("sqlite3", ["-header", "-csv", database, ".once " + reference, query], work, null);
            referenceWall.Add(b.WallSeconds);
        }
        var rows = File.ReadLines(ours).LongCount() - 1;
        var referenceRows = File.ReadLines(reference).LongCount() - 1;
        if (rows != referenceRows)
        {
            throw new InvalidOperationException($"row counts differ: tuntas {rows}, sqlite3 {referenceRows}");
        }
        var lines = new List<string>
        {
            string.Create(_c, $"Targeting export, run {runId}, {rows:N0} families, {database}, median of {runs}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"),
            "",
            "| Writer | wall p50 (s) | min (s) | peak RSS (MB) | ratio (target ≤ 1.5×) |",
            "|---|---:|---:|---:|---:|",
            string.Create(_c, $"| sqlite3 `-csv` (reference) | {Median(referenceWall):0.00} | {referenceWall.Min():0.00} | | 1.00× |"),
            string.Create(_c, $"| `tuntas targeting export latest --out` | {Median(oursWall):0.00} | {oursWall.Min():0.00} | {peak / 1024.0:0} | {Median(oursWall) / Median(referenceWall):0.00}× |"),
            "",
            $"Load average before {loadBefore}, after {BenchRun.Load()}.",
        };
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
        return 0;
    }

    /// <summary>A console program that prints one line: what any .NET command costs before its own work.</summary>
    private static async Task<string> BuildHelloWorldAsync(string work)
    {
        var project = Path.Combine(work, "hello");
        Directory.CreateDirectory(project);
        // Outside the checkout's Directory.Build.props/Directory.Packages.props: a bare console project.
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.props"), "<Project />\n");
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Packages.props"), "<Project />\n");
        await File.WriteAllTextAsync(Path.Combine(project, "hello.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), "Console.WriteLine(\"hello\");\n");
        var output = Path.Combine(project, "out");
        await MustAsync("dotnet", ["build", "-c", "Release", "--nologo", "-v", "q", "-o", output, project], project, null);
        return Path.Combine(output, "hello");
    }

    private static async Task<ChildResult> MustAsync(string file, string[] arguments, string directory, IReadOnlyDictionary<string, string>? environment)
    {
        var run = await ChildProcess.RunAsync(file, arguments, directory, environment, null, CancellationToken.None);
        return run.ExitCode == 0 ? run : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {run.ExitCode}: {run.StandardError}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string? Value(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tuntas.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the Tuntas checkout (Tuntas.slnx not found)");
    }
}

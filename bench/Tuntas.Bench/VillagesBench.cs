using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.Imports;
using Tuntas.Registry.Exports;

namespace Tuntas.Bench;

/// <summary>
/// Many villages' files (docs/benchmarks.md, "Many villages' files"): the demo registry of <c>--persons</c> exported as
/// one OpenSID file a village (the registry's own regency-wide export, each file named by its village code) and
/// imported file by file into a fresh database — the first time, and again with every row unchanged — against the same
/// rows as one Tuntas file, imported the same two ways. Each village's file is its own import, as
/// <c>tuntas import families desa/</c> runs them (in-process here: no job rows, no audit line).
/// With <c>--cli DIR</c> (a ReadyToRun publish of the CLI, docs/cli-startup.md) each step is that CLI run as a regency
/// operator runs it, one process for the whole folder (<c>tuntas import families desa/</c>), start-up included.
/// Usage: <c>villages [--persons 100000] [--provider sqlite|postgres|both] [--postgres CS] [--cli DIR]</c>.
/// </summary>
public static class VillagesBench
{
    /// <summary>The CLI's <c>tuntas.dll</c> given by <c>--cli</c>, or null to import in-process.</summary>
    private static string? _cli;

    public static async Task<int> RunAsync(string[] args)
    {
        var persons = int.Parse(ProfilesBench.Value(args, "--persons") ?? "100000", CultureInfo.InvariantCulture);
        var provider = ProfilesBench.Value(args, "--provider") ?? "both";
        var postgres = ProfilesBench.Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var root = Path.GetFullPath("bench/out/villages");
        _cli = ProfilesBench.Value(args, "--cli") is { } cli ? Path.Combine(Path.GetFullPath(cli), "tuntas.dll") : null;
        var demo = await ProfilesBench.DemoFileAsync(root, persons);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Many villages' files, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {(_cli is null ? "in-process" : "CLI " + _cli)}"),
            "",
            "| Provider | Persons | Village files | One file, first (s) | Village files, first (s) | ÷ | One file, again (s) | Village files, again (s) | ÷ |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var folder = await VillageFilesAsync(name, root, postgres, demo);
            var files = Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).ToList();
            var single = await ProfilesBench.FreshAsync(name, Folder(root, "single"), postgres, "tuntas_bench_villages_single");
            var oneFirst = await TimeAsync(single, [demo], demo);
            var oneAgain = await TimeAsync(single, [demo], demo);
            var target = await ProfilesBench.FreshAsync(name, Folder(root, "target"), postgres, "tuntas_bench_villages_target");
            var villagesFirst = await TimeAsync(target, files, folder);
            var villagesAgain = await TimeAsync(target, files, folder);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {persons:N0} | {files.Count} | {oneFirst:0.00} | {villagesFirst:0.00} | {villagesFirst / oneFirst:0.0} | {oneAgain:0.00} | {villagesAgain:0.00} | {villagesAgain / oneAgain:0.0} |"));
            Console.Error.WriteLine(lines[^1]);
        }
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        return 0;
    }

    /// <summary>The registry of <paramref name="demo"/> exported as OpenSID's files, one a village, unpacked into a folder.</summary>
    private static async Task<string> VillageFilesAsync(string provider, string root, string postgres, string demo)
    {
        var source = await ProfilesBench.FreshAsync(provider, Folder(root, "source"), postgres, "tuntas_bench_villages_source");
        await TimeAsync(source, [demo], null);
        var zip = Path.Combine(root, "desa.zip");
        await using (var db = source.CreateDb())
        await using (var output = File.Create(zip))
        {
            await RegistryExport.WriteAsync(new RegistryExport.Request(RegistryExport.OpenSid, null, true, AccessScope.Regency, false), db, TimeProvider.System,
                output, CancellationToken.None);
        }
        var folder = Path.Combine(root, "desa-" + provider);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        ZipFile.ExtractToDirectory(zip, folder);
        return folder;
    }

    /// <summary>A SQLite database's own folder under the bench's (each step its own database).</summary>
    private static string Folder(string root, string name) => Directory.CreateDirectory(Path.Combine(root, name)).FullName;

    /// <summary>Imports the files one after another, each its own import, and returns the seconds it took. With the
    /// driver's connection pool, as the CLI and the web app run (the bench's databases are opened without one, and every
    /// import's connections would pay a new TLS handshake each).</summary>
    private static async Task<double> TimeAsync(TuntasDatabase fresh, IReadOnlyList<string> files, string? argument)
    {
        var database = fresh with { ConnectionString = fresh.ConnectionString.Replace(";Pooling=False", "", StringComparison.Ordinal) };
        var watch = Stopwatch.StartNew();
        if (_cli is not null && argument is not null)
        {
            var run = await ChildProcess.RunAsync("dotnet", [_cli, "import", "families", argument], Path.GetDirectoryName(argument)!,
                new Dictionary<string, string> { ["Database__Provider"] = database.Provider.ToString(), ["ConnectionStrings__Tuntas"] = database.ConnectionString },
                null, CancellationToken.None);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException(run.StandardError);
            }
            return watch.Elapsed.TotalSeconds;
        }
        foreach (var file in files)
        {
            var report = await new ImportFamilies(database, TimeProvider.System).RunAsync(
                new ImportFamilies.Input(file, Path.GetFileName(file), false, "bench"), null, CancellationToken.None);
            if (!report.Committed)
            {
                throw new InvalidOperationException(report.ToJson());
            }
        }
        return watch.Elapsed.TotalSeconds;
    }
}

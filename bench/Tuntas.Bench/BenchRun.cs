using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tuntas.Data;
using Tuntas.Demo;
using Tuntas.Imports;
using Tuntas.Regions;

namespace Tuntas.Bench;

/// <summary>
/// One benchmark run. Import: the demo file is generated once (reused when present), every provider gets a fresh
/// migrated database with regions (not timed), then the real <c>tuntas import families</c> CLI runs as a child process
/// under <c>/usr/bin/time -v</c> (wall time and peak RSS of the whole process), then the database's own bulk loader loads
/// the same file into a flat all-text table (sqlite3 <c>.import</c>, psql <c>\copy</c>), then the same file is imported
/// again (idempotent path), then <see cref="LookupBench"/> times FindFamilies.
/// </summary>
public sealed class BenchRun(BenchOptions options)
{
    private static readonly CultureInfo _c = CultureInfo.InvariantCulture;
    private readonly string _root = FindRoot();
    private string OutDir => Path.GetFullPath(options.OutDir ?? Path.Combine(_root, "bench", "out"));
    private string CliDll => Path.Combine(options.CliDir ?? Path.Combine(_root, "src", "Tuntas.Cli", "bin", "Release", "net10.0"), "tuntas.dll");

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(OutDir);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", _c);
        var results = new BenchResults
        {
            Command = string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            StartedUtc = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", _c),
            Commit = ChildProcess.Capture("git", "-C", _root, "rev-parse", "--short", "HEAD") ?? "unknown",
            SourceDirty = (ChildProcess.Capture("git", "-C", _root, "status", "--porcelain", "--", "src") ?? "").Length > 0,
            Machine = Machine(),
        };
        Log($"commit {results.Commit}{(results.SourceDirty ? " (src dirty)" : "")}, {results.Machine.Processors} cores, load {results.Machine.LoadAtStart}");
        if (options.Command == "import")
        {
            if (options.Build)
            {
                Log($"building src/Tuntas.Cli (Release)…");
                var build = await ChildProcess.RunAsync("dotnet", ["build", "-c", "Release", "--nologo", "-v", "q", Path.Combine(_root, "src", "Tuntas.Cli")],
                    _root, null, null, cancellationToken);
                if (build.ExitCode != 0)
                {
                    Console.Error.WriteLine(build.StandardOutput);
                    throw new InvalidOperationException("dotnet build src/Tuntas.Cli failed");
                }
            }
            if (!File.Exists(CliDll))
            {
                throw new InvalidOperationException("CLI not built: " + CliDll);
            }
            results.File = await DemoFileAsync(cancellationToken);
            if (options.Sqlite)
            {
                await Guard(results, "SQLite", () => SqliteAsync(results, cancellationToken));
            }
            if (options.Postgres)
            {
                await Guard(results, "PostgreSQL", () => PostgresAsync(results, stamp, cancellationToken));
            }
        }
        else
        {
            if (options.Sqlite)
            {
                await Guard(results, "SQLite", () => LookupBench.RunAsync("SQLite", SqliteDatabase(Path.Combine(OutDir, "sqlite", "tuntas.db")), options, results, cancellationToken));
            }
            if (options.Postgres)
            {
                var name = options.PostgresDatabase ?? throw new ArgumentException("lookup on PostgreSQL needs --database NAME (an import run with --keep prints it)");
                await Guard(results, "PostgreSQL", () => LookupBench.RunAsync("PostgreSQL", PostgresDatabase(name), options, results, cancellationToken));
            }
        }
        results.Machine.LoadAtEnd = Load();
        results.FinishedUtc = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", _c);
        var json = Path.Combine(OutDir, $"results-{stamp}.json");
        await File.WriteAllTextAsync(json, results.ToJson(), cancellationToken);
        var markdown = results.ToMarkdown();
        await File.WriteAllTextAsync(Path.ChangeExtension(json, ".md"), markdown, cancellationToken);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine(string.Create(_c, $"raw numbers: {json}"));
        return results.Failures.Count == 0 ? 0 : 1;
    }

    private static async Task Guard(BenchResults results, string provider, Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            results.Failures.Add(string.Create(_c, $"{provider}: {e.GetType().Name}: {e.Message}"));
            Log($"{provider} FAILED: {e}");
        }
    }

    // ---------------------------------------------------------------- demo file

    private async Task<DemoFileInfo> DemoFileAsync(CancellationToken cancellationToken)
    {
        var name = string.Create(_c, $"demo-{options.Regency}-f{options.Families}-s{options.Seed}.csv");
        var path = Path.Combine(OutDir, name);
        var meta = path + ".json";
        if (File.Exists(path) && File.Exists(meta) && JsonSerializer.Deserialize<DemoFileInfo>(await File.ReadAllTextAsync(meta, cancellationToken), BenchResults.JsonOptions) is { } known
            && known.Bytes == new FileInfo(path).Length)
        {
            Log($"reusing {name} ({known.Persons:N0} persons)");
            return known with { Reused = true };
        }
        Log($"generating {name} ({options.Families:N0} families)…");
        var stopwatch = Stopwatch.StartNew();
        var temporary = path + ".tmp";
        var outcome = await GenerateDemoRegistry.WriteFileAsync(new GenerateDemoRegistry.Input(options.Regency, options.Families, options.Seed), temporary, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        var info = new DemoFileInfo(name, options.Regency, options.Seed, outcome.Families, outcome.Persons, new FileInfo(path).Length, false, stopwatch.Elapsed.TotalSeconds);
        await File.WriteAllTextAsync(meta, JsonSerializer.Serialize(info, BenchResults.JsonOptions), cancellationToken);
        Log($"generated {info.Persons:N0} persons in {info.GenerateSeconds:0.0} s");
        return info;
    }

    private string DemoPath(BenchResults results) => Path.Combine(OutDir, results.File!.Name);

    // ---------------------------------------------------------------- SQLite

    private static TuntasDatabase SqliteDatabase(string file) => new(DatabaseProvider.Sqlite,
        new SqliteConnectionStringBuilder { DataSource = file, ForeignKeys = true, DefaultTimeout = 60 }.ToString());

    private async Task SqliteAsync(BenchResults results, CancellationToken cancellationToken)
    {
        const string provider = "SQLite";
        var directory = Path.Combine(OutDir, "sqlite");
        Directory.CreateDirectory(directory);
        var dbFile = Path.Combine(directory, "tuntas.db");
        var database = await FreshSqliteAsync(dbFile, cancellationToken);
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var version = connection.CreateCommand();
            version.CommandText = "SELECT sqlite_version()";
            results.Machine.SqliteLibrary = (string?)await version.ExecuteScalarAsync(cancellationToken);
        }
        SqliteConnection.ClearAllPools();

        var dryRun = await CliImportAsync(results, provider, "Sqlite", database.ConnectionString, directory, "dry run", cancellationToken, dryRun: true);
        List<Round> rounds = [];
        for (var round = 1; round <= options.Rounds; round++)
        {
            // Later rounds load a database of their own; the first one's stays for the re-import and the lookups.
            var roundDatabase = round == 1 ? database : await FreshSqliteAsync(Path.Combine(directory, "round.db"), cancellationToken);
            if (round > 1)
            {
                // As the first round, after its dry run: the harness has just migrated and loaded the regions in its own
                // process, whose compiler and collector still work on the same cores for a second or so.
                await CliImportAsync(results, provider, "Sqlite", roundDatabase.ConnectionString, directory, RoundStep("dry run", round), cancellationToken, dryRun: true);
            }
            var import = await CliImportAsync(results, provider, "Sqlite", roundDatabase.ConnectionString, directory, RoundStep("import", round), cancellationToken);
            rounds.Add(new Round(import, await SqliteImportAsync(results, directory, round, cancellationToken)));
            SqliteConnection.ClearAllPools();
        }
        DeleteSqlite(Path.Combine(directory, "round.db"));

        StepResult? reimport = null;
        if (options.Reimport)
        {
            reimport = await CliImportAsync(results, provider, "Sqlite", database.ConnectionString, directory, "re-import", cancellationToken);
        }
        var size = new[] { "", "-wal" }.Select(s => dbFile + s).Where(File.Exists).Sum(f => new FileInfo(f).Length);
        results.Summaries.Add(Summary(results, provider, dryRun, rounds, reimport, size));
        if (options.Lookups)
        {
            await LookupBench.RunAsync(provider, database, options, results, cancellationToken);
        }
        SqliteConnection.ClearAllPools();
    }

    /// <summary>An empty SQLite registry with the schema and the regions (not timed).</summary>
    private static async Task<TuntasDatabase> FreshSqliteAsync(string file, CancellationToken cancellationToken)
    {
        DeleteSqlite(file);
        var database = SqliteDatabase(file);
        await PrepareAsync(database, cancellationToken);
        SqliteConnection.ClearAllPools();
        return database;
    }

    private static void DeleteSqlite(string file)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(file + suffix);
        }
    }

    /// <summary>sqlite3's own <c>.import</c> of the same file into a fresh flat all-text table.</summary>
    private async Task<StepResult> SqliteImportAsync(BenchResults results, string directory, int round, CancellationToken cancellationToken)
    {
        const string provider = "SQLite";
        var flatFile = Path.Combine(directory, "flat.db");
        DeleteSqlite(flatFile);
        Log($"SQLite raw loader: sqlite3 .import …");
        var script = string.Create(_c, $"PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n.mode csv\n.import '{DemoPath(results).Replace("'", "''", StringComparison.Ordinal)}' flat\n");
        var loadBefore = Load();
        var raw = await ChildProcess.RunAsync("sqlite3", ["-batch", "-bail", flatFile], directory, null, script, cancellationToken);
        var rows = long.TryParse(ChildProcess.Capture("sqlite3", flatFile, "SELECT count(*) FROM flat"), NumberStyles.Integer, _c, out var n) ? n : 0;
        var rawStep = Step(provider, RoundStep("raw loader (sqlite3 .import)", round), raw, rows, loadBefore,
            raw.ExitCode == 0 && rows == results.File!.Persons ? null : "exit " + raw.ExitCode.ToString(_c) + " " + raw.StandardError.Split('\n')[0]);
        results.Steps.Add(rawStep);
        Log($"  {rawStep.WallSeconds:0.0} s, {rawStep.RowsPerSecond:N0} rows/s");
        return rawStep;
    }

    /// <summary>A first load and the raw loader's run right after it, on the same machine at nearly the same moment.</summary>
    private sealed record Round(StepResult Import, StepResult Raw);

    private static string RoundStep(string step, int round) => round == 1 ? step : string.Create(_c, $"{step}, round {round}");

    // ---------------------------------------------------------------- PostgreSQL

    /// <summary>
    /// Parallel workers per index build for a server with <paramref name="cores"/> cores: half of them, at most four
    /// (the usual tuning, e.g. PGTune's). The building session is a participant too, so PostgreSQL's default of two
    /// workers runs three processes per build, more than a two-core machine has.
    /// </summary>
    internal static int RecommendedMaintenanceWorkers(int cores) => Math.Clamp(cores / 2, 1, 4);

    private TuntasDatabase PostgresDatabase(string name) =>
        new(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(options.PostgresServer) { Database = name }.ToString());

    private async Task PostgresAsync(BenchResults results, string stamp, CancellationToken cancellationToken)
    {
        const string provider = "PostgreSQL";
        var name = "tuntas_bench_" + stamp.Replace("-", "_", StringComparison.Ordinal);
        var directory = Path.Combine(OutDir, "postgres");
        Directory.CreateDirectory(directory);
        await CreatePostgresAsync(results, name, cancellationToken);
        Log($"PostgreSQL database {name}");
        try
        {
            var database = PostgresDatabase(name);
            await PrepareAsync(database, cancellationToken);
            NpgsqlConnection.ClearAllPools();

            await SettleAsync(database.ConnectionString, cancellationToken);
            var dryRun = await CliImportAsync(results, provider, "Postgres", database.ConnectionString, directory, "dry run", cancellationToken, dryRun: true);
            List<Round> rounds = [];
            for (var round = 1; round <= options.Rounds; round++)
            {
                // Later rounds load a database of their own; the first one's stays for the re-import and the lookups.
                var roundName = round == 1 ? name : string.Create(_c, $"{name}_r{round}");
                if (round > 1)
                {
                    await CreatePostgresAsync(results, roundName, cancellationToken);
                }
                try
                {
                    var roundDatabase = PostgresDatabase(roundName);
                    if (round > 1)
                    {
                        // As the first round: the schema and regions, then the dry run an operator runs before importing
                        // (its own step, not the round's), so that every round's import meets the same machine. Straight
                        // after the harness's own migration and region load (its compiler and collector still busy on the
                        // same two cores) a first load took 10.3–11.5 s against 9.6–9.8 s after a dry run.
                        await PrepareAsync(roundDatabase, cancellationToken);
                        NpgsqlConnection.ClearAllPools();
                        await SettleAsync(roundDatabase.ConnectionString, cancellationToken);
                        await CliImportAsync(results, provider, "Postgres", roundDatabase.ConnectionString, directory, RoundStep("dry run", round), cancellationToken, dryRun: true);
                    }
                    await SettleAsync(roundDatabase.ConnectionString, cancellationToken);
                    var import = await CliImportAsync(results, provider, "Postgres", roundDatabase.ConnectionString, directory, RoundStep("import", round), cancellationToken);
                    rounds.Add(new Round(import, await PsqlCopyAsync(results, roundDatabase, roundName, directory, round, cancellationToken)));
                }
                finally
                {
                    if (round > 1)
                    {
                        await DropPostgresAsync(roundName);
                    }
                }
            }

            StepResult? reimport = null;
            if (options.Reimport)
            {
                await SettleAsync(database.ConnectionString, cancellationToken);
                reimport = await CliImportAsync(results, provider, "Postgres", database.ConnectionString, directory, "re-import", cancellationToken);
            }
            long size;
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
                // The registry's own tables, without the flat reference table.
                await using var command = new NpgsqlCommand(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                    "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'bench_flat'", connection);
                size = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            }
            results.Summaries.Add(Summary(results, provider, dryRun, rounds, reimport, size));
            if (options.Lookups)
            {
                // As a user meets it right after the import: the import does not ANALYZE, autovacuum may not have yet.
                var analyzed = await HasStatisticsAsync(database, cancellationToken);
                Log($"PostgreSQL statistics on persons before lookups: {(analyzed ? "present" : "none (never analyzed)")}");
                await LookupBench.RunAsync(analyzed ? provider : provider + " (no statistics)", database, options, results, cancellationToken);
                if (!analyzed)
                {
                    await using (var connection = new NpgsqlConnection(database.ConnectionString))
                    {
                        await connection.OpenAsync(cancellationToken);
                        await using var analyze = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 0 };
                        await analyze.ExecuteNonQueryAsync(cancellationToken);
                    }
                    await LookupBench.RunAsync(provider + " (after ANALYZE)", database, options, results, cancellationToken);
                }
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (options.Keep)
            {
                Log($"kept PostgreSQL database {name} (lookup again: -- lookup --provider postgres --database {name})");
            }
            else
            {
                await DropPostgresAsync(name);
            }
        }
    }

    /// <summary>A bench database, with the per-database settings docs/operations.md recommends unless told otherwise.</summary>
    private async Task CreatePostgresAsync(BenchResults results, string name, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(options.PostgresServer);
        await admin.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand("CREATE DATABASE " + name, admin);
        await create.ExecuteNonQueryAsync(cancellationToken);
        await using var version = new NpgsqlCommand("SHOW server_version", admin);
        results.Machine.PostgresServer = (string?)await version.ExecuteScalarAsync(cancellationToken);
        results.Machine.PostgresSettings = "server defaults";
        if (options.PostgresRecommendedSettings)
        {
            // As docs/operations.md ("PostgreSQL settings for bulk loads") tells a regency to set its database, for
            // the cores of this machine, which also runs the server. None of it touches the raw loader's \copy,
            // which builds no index.
            var workers = RecommendedMaintenanceWorkers(Environment.ProcessorCount);
            await using var tune = new NpgsqlCommand($"ALTER DATABASE {name} SET max_parallel_maintenance_workers = {workers}", admin);
            await tune.ExecuteNonQueryAsync(cancellationToken);
            results.Machine.PostgresSettings = $"max_parallel_maintenance_workers = {workers} on the database (docs/operations.md)";
        }
    }

    private async Task DropPostgresAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(options.PostgresServer);
        await admin.OpenAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
        Log($"dropped PostgreSQL database {name}");
    }

    /// <summary>psql's own <c>\copy</c> of the same file into a flat all-text table of the database, after a checkpoint.</summary>
    private async Task<StepResult> PsqlCopyAsync(BenchResults results, TuntasDatabase database, string name, string directory, int round,
        CancellationToken cancellationToken)
    {
        const string provider = "PostgreSQL";
        Log($"PostgreSQL raw loader: psql \\copy …");
        var header = (await File.ReadLinesAsync(DemoPath(results), cancellationToken).FirstAsync(cancellationToken)).Split(',');
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var table = new NpgsqlCommand(
                "CREATE TABLE bench_flat (" + string.Join(", ", header.Select(h => "\"" + h.Trim().ToLowerInvariant() + "\" text")) + ")", connection);
            await table.ExecuteNonQueryAsync(cancellationToken);
        }
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await SettleAsync(database.ConnectionString, cancellationToken);
        var loadBefore = Load();
        var copy = string.Create(_c, $"\\copy bench_flat FROM '{DemoPath(results).Replace("'", "''", StringComparison.Ordinal)}' WITH (FORMAT csv, HEADER true)");
        var raw = await ChildProcess.RunAsync("psql",
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", builder.Host ?? "127.0.0.1", "-p", builder.Port.ToString(_c), "-U", builder.Username ?? "postgres", "-d", name, "-c", copy],
            directory, new Dictionary<string, string> { ["PGPASSWORD"] = builder.Password ?? "" }, null, cancellationToken);
        long rows;
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM bench_flat", connection);
            rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        var rawStep = Step(provider, RoundStep("raw loader (psql \\copy)", round), raw, rows, loadBefore,
            raw.ExitCode == 0 && rows == results.File!.Persons ? null : "exit " + raw.ExitCode.ToString(_c) + " " + raw.StandardError.Split('\n')[0]);
        results.Steps.Add(rawStep);
        Log($"  {rawStep.WallSeconds:0.0} s, {rawStep.RowsPerSecond:N0} rows/s");
        return rawStep;
    }

    private static async Task<bool> HasStatisticsAsync(TuntasDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = 'public' AND tablename = 'persons' AND attname = 'nama_kunci')", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Every timed PostgreSQL step, the import and <c>psql \copy</c> alike, starts on a settled database: a
    /// <c>VACUUM (ANALYZE)</c>, then a <c>CHECKPOINT</c>. Without the checkpoint the WAL and dirty pages the steps before
    /// it left (the schema, the regions, an earlier load) set off a checkpoint in the middle of whichever step comes
    /// next, which moved a 1,000,000-person import by a second. Without the vacuum, autovacuum works on what the step
    /// before left (the 91,599 regions just loaded, the million persons just imported) on the same two cores while the
    /// next step is timed: a first load straight after loading the regions took 10.9–11.5 s against 9.7 s after the dry
    /// run had given autovacuum its time, and <c>\copy</c> after an import shared the cores with the vacuum of its rows.
    /// </summary>
    private static async Task SettleAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 0 };
        await vacuum.ExecuteNonQueryAsync(cancellationToken);
        await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection);
        await checkpoint.ExecuteNonQueryAsync(cancellationToken);
    }

    // ---------------------------------------------------------------- shared

    /// <summary>Schema and regions before the clock starts (the CLI finds both up to date).</summary>
    private static async Task PrepareAsync(TuntasDatabase database, CancellationToken cancellationToken)
    {
        await new Migrator(database).MigrateAsync(cancellationToken);
        await new LoadRegions(database).RunAsync(cancellationToken);
    }

    private async Task<StepResult> CliImportAsync(BenchResults results, string provider, string providerSetting, string connectionString,
        string directory, string step, CancellationToken cancellationToken, bool dryRun = false)
    {
        Log($"{provider} {step}: tuntas import families{(dryRun ? " --dry-run" : "")} …");
        var loadBefore = Load();
        string[] arguments = [CliDll, "import", "families", DemoPath(results), "--json", "--user", "bench", .. (dryRun ? new[] { "--dry-run" } : [])];
        var child = await ChildProcess.RunAsync("dotnet", arguments, directory,
            new Dictionary<string, string> { ["Database__Provider"] = providerSetting, ["ConnectionStrings__Tuntas"] = connectionString },
            null, cancellationToken);
        ImportReport? report = null;
        try
        {
            report = ImportReport.FromJson(child.StandardOutput);
        }
        catch (JsonException)
        {
            // Reported below as a failed step.
        }
        string? problem = null;
        if (child.ExitCode != 0 || report is null || (!report.Committed && !dryRun))
        {
            problem = string.Create(_c, $"exit {child.ExitCode}: {report?.Failure ?? (report is null ? "no JSON report" : "not committed")}; errors {report?.ErrorCount}") +
                " " + string.Join(" | ", report?.Errors.Take(3).Select(e => e.Message) ?? []) +
                " " + string.Join(" | ", child.StandardError.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('\t')).Take(5));
            results.Failures.Add(provider + " " + step + ": " + problem);
        }
        var detail = report is null ? problem : string.Create(_c,
            $"families +{report.Families.Added} ~{report.Families.Updated} ={report.Families.Unchanged}; persons +{report.Persons.Added} ~{report.Persons.Updated} ={report.Persons.Unchanged}; warnings {report.WarningCount}{(problem is null ? "" : "; " + problem)}");
        var result = Step(provider, step + " (tuntas CLI)", child, results.File!.Persons, loadBefore, problem) with { Detail = detail };
        results.Steps.Add(result);
        Log($"  {result.WallSeconds:0.0} s, {result.RowsPerSecond:N0} persons/s, peak RSS {result.PeakRssMb:N0} MB; {detail}");
        return result;
    }

    private static StepResult Step(string provider, string step, ChildResult child, long rows, string loadBefore, string? problem) =>
        new(provider, step, problem is null, child.WallSeconds, rows, rows / child.WallSeconds,
            child.MaxRssKb / 1024.0, child.UserSeconds, child.SystemSeconds, loadBefore, Load(), problem);

    /// <summary>
    /// The import's and the raw loader's medians over the rounds, and the median of the rounds' own ratios: each round
    /// pairs a first load with the raw loader's run right after it, so a slower or faster moment of a shared machine moves
    /// both sides of one ratio, not one side of it.
    /// </summary>
    private static ProviderSummary Summary(BenchResults results, string provider, StepResult dryRun, List<Round> rounds, StepResult? reimport, long databaseBytes)
    {
        var ok = rounds.Where(r => r.Import.Ok && r.Raw.Ok).ToList();
        var ratios = ok.Select(r => r.Import.WallSeconds / r.Raw.WallSeconds).ToList();
        double? import = ok.Count > 0 ? Median(ok.Select(r => r.Import.WallSeconds)) : null;
        return new ProviderSummary(provider,
            dryRun.Ok ? dryRun.WallSeconds : null,
            import,
            import is { } i ? results.File!.Persons / i : null,
            import is { } j ? results.File!.Families / j : null,
            rounds.Max(r => r.Import.PeakRssMb),
            ok.Count > 0 ? Median(ok.Select(r => r.Raw.WallSeconds)) : null,
            ok.Count > 0 ? Median(ok.Select(r => r.Raw.RowsPerSecond)) : null,
            ratios.Count > 0 ? Median(ratios) : null,
            reimport is { Ok: true } ? reimport.WallSeconds : null,
            reimport?.PeakRssMb,
            databaseBytes / 1048576.0)
        {
            Rounds = rounds.Count,
            RatioMin = ratios.Count > 1 ? ratios.Min() : null,
            RatioMax = ratios.Count > 1 ? ratios.Max() : null,
            RoundsUnderTarget = ratios.Count > 1 ? ratios.Count(r => r <= 3) : null,
        };
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static MachineInfo Machine()
    {
        var memoryKb = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault()
            : 0;
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        return new MachineInfo(Environment.ProcessorCount, memoryKb / 1048576.0, os ?? Environment.OSVersion.ToString(),
            ".NET " + Environment.Version.ToString(), ChildProcess.Capture("dotnet", "--version"),
            ChildProcess.Capture("sqlite3", "--version")?.Split(' ')[0], Load());
    }

    /// <summary>The 1/5/15-minute load averages: the machine is shared, so every step records them.</summary>
    public static string Load() => File.Exists("/proc/loadavg")
        ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
        : "?";

    public static void Log(FormattableString message) =>
        Console.Error.WriteLine(string.Create(_c, $"[{DateTime.Now:HH:mm:ss}] ") + message.ToString(_c));

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Tuntas.slnx")))
                {
                    return directory.FullName;
                }
            }
        }
        throw new InvalidOperationException("run from inside the Tuntas checkout (Tuntas.slnx not found)");
    }
}

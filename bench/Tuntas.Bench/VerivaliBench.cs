using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.Demo;
using Tuntas.Imports;
using Tuntas.Programs;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Verivali;

namespace Tuntas.Bench;

/// <summary>
/// Verivali benchmark (docs/benchmarks.md): on a regency of N demo families (default 300,000) in its own database,
/// (1) open a period = every village's worklist, (2) the berita acara of the village with the most lines after 2,000 of
/// them are marked reviewed, (3) apply 50,000 agreed decisions (perbaikan data: one field + verification) through the
/// registry writer. References: the berita acara as one hand-written SQL join; the apply as the same effect in SQL
/// (UPDATE families + INSERT history), run in a transaction that is rolled back.
/// Usage: <c>verivali [--families 300000] [--decisions 50000] [--provider sqlite|postgres|both] [--postgres CS]</c>.
/// </summary>
public static class VerivaliBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var families = int.Parse(Value(args, "--families") ?? "300000", CultureInfo.InvariantCulture);
        var decisions = int.Parse(Value(args, "--decisions") ?? "50000", CultureInfo.InvariantCulture);
        var provider = Value(args, "--provider") ?? "both";
        var postgres = Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        // --reuse: measure again on the database a previous run left (registry, recipients, targeting run), its
        // verivali tables emptied; the setup (import, recipients, targeting) takes most of a run on a loaded machine.
        var reuse = args.Contains("--reuse");
        var root = Path.GetFullPath("bench/out");
        Directory.CreateDirectory(Path.Combine(root, "verivali"));
        var file = Path.Combine(root, $"demo-33.14-f{families}-s1.csv");
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"generating {file} …");
            await using var writer = new StreamWriter(file);
            await new GenerateDemoRegistry().RunAsync(new GenerateDemoRegistry.Input(Families: families, Seed: 1), writer, CancellationToken.None);
        }
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Verivali benchmark, {families:N0} families, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores"),
            "",
            "| Provider | Worklists, all villages (s) | Lines | Berita acara (lines) | Berita acara (s) | SQL join (s) | Apply decisions (s) | Applied | Same effect in SQL (s) | Tuntas ÷ SQL |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            TuntasDatabase database;
            if (name == "sqlite")
            {
                var path = Path.Combine(root, "verivali", "tuntas.db");
                if (!reuse) foreach (var old in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists)) File.Delete(old);
                database = new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={path}");
            }
            else if (reuse)
            {
                database = new TuntasDatabase(DatabaseProvider.Postgres, postgres + ";Database=tuntas_bench_verivali");
            }
            else
            {
                await using (var admin = new Npgsql.NpgsqlConnection(postgres))
                {
                    await admin.OpenAsync();
                    await using var drop = new Npgsql.NpgsqlCommand("DROP DATABASE IF EXISTS tuntas_bench_verivali WITH (FORCE)", admin);
                    await drop.ExecuteNonQueryAsync();
                    await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE tuntas_bench_verivali", admin);
                    await create.ExecuteNonQueryAsync();
                }
                database = new TuntasDatabase(DatabaseProvider.Postgres, postgres + ";Database=tuntas_bench_verivali");
            }
            await new Migrator(database).MigrateAsync(CancellationToken.None);
            if (reuse)
            {
                await using var clean = database.CreateDb();
                // Undo what the previous run's apply did, so that every run opens on 300,000 unverified families and
                // applies real changes: the floor type back from the history, then the history and the verification gone.
                await clean.Database.ExecuteSqlRawAsync("""
                    UPDATE families SET jenis_lantai = (SELECT CAST(c.old_value AS INTEGER) FROM family_changes c
                        WHERE c.family_id = families.id AND c.source = 'musdes' AND c.field = 'JENIS_LANTAI' ORDER BY c.id LIMIT 1)
                    WHERE id IN (SELECT family_id FROM family_changes WHERE source = 'musdes' AND field = 'JENIS_LANTAI')
                    """);
                await clean.Database.ExecuteSqlRawAsync("DELETE FROM verivali_line_photos; DELETE FROM verivali_musdes; DELETE FROM verivali_lines; DELETE FROM verivali_periods; DELETE FROM family_changes WHERE source = 'musdes'; UPDATE families SET verified_at = NULL WHERE verified_at IS NOT NULL");
            }
            else
            {
                await new LoadRegions(database).RunAsync(CancellationToken.None);
                Console.Error.WriteLine($"{name}: importing {file} …");
                var report = await new ImportFamilies(database, TimeProvider.System).RunAsync(new ImportFamilies.Input(file, Path.GetFileName(file), false, "bench"), null, CancellationToken.None);
                if (!report.Committed) throw new InvalidOperationException(report.ToJson());
                // Programs, demo recipients and a targeting run, so that opening reads the targeting error worklist too
                // (inklusi/eksklusi), as it does in a regency that targets.
                Console.Error.WriteLine($"{name}: programs, recipients, targeting run …");
                await new SeedPrograms(database, TimeProvider.System).RunAsync(CancellationToken.None);
                await new SeedTargetingDefaults(database, TimeProvider.System).RunAsync(CancellationToken.None);
                await new SeedDemoEnrollments(database, TimeProvider.System).RunAsync(1, 2026, CancellationToken.None);
                await new RunTargeting(database, TimeProvider.System).RunAsync(new("bench", new DateOnly(2026, 11, 23)), CancellationToken.None);
            }

            await using var db = database.CreateDb();
            db.Database.SetCommandTimeout(0);
            // The part of opening that reads the targeting error worklist, alone (the same report /Program/Galat shows).
            var runId = await db.TargetingRuns.OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync();
            var watch = Stopwatch.StartNew();
            var errors = await new TargetingErrorReport(database).RunAsync(new TargetingErrorReport.Input(runId), CancellationToken.None);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: targeting error report alone {watch.Elapsed.TotalSeconds:0.00} s, {errors.Worklist.Count:N0} worklist items"));
            watch.Restart();
            var opened = await new OpenPeriod(db, TimeProvider.System, database).RunAsync(new OpenPeriod.Input("Bench", "bench"), CancellationToken.None);
            var worklistSeconds = watch.Elapsed.TotalSeconds;
            var inclusion = await db.VerivaliLines.CountAsync(l => l.Reasons.Contains(VerivaliTerms.ReasonInclusion));
            var exclusion = await db.VerivaliLines.CountAsync(l => l.Reasons.Contains(VerivaliTerms.ReasonExclusion));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: worklists {worklistSeconds:0.00} s, {opened.Lines:N0} lines, {inclusion:N0} inklusi, {exclusion:N0} eksklusi"));
            var periodId = opened.Period!.Id;

            // The biggest village: 2,000 of its lines reviewed with a proposed change (all of them if it has fewer).
            var village = await db.VerivaliLines.GroupBy(l => l.KodeDesa).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            var villageIds = await db.VerivaliLines.Where(l => l.KodeDesa == village).OrderBy(l => l.Id).Select(l => l.Id).Take(2000).ToListAsync();
            await db.VerivaliLines.Where(l => villageIds.Contains(l.Id)).ExecuteUpdateAsync(u => u
                .SetProperty(l => l.Status, VerivaliTerms.Reviewed).SetProperty(l => l.Outcome, VerivaliTerms.Corrected)
                .SetProperty(l => l.Changes, """[{"PersonId":null,"Field":"JENIS_LANTAI","Value":"2","Date":null}]"""));
            db.ChangeTracker.Clear();
            watch.Restart();
            var minutes = await new BeritaAcara(db).RunAsync(periodId, village, AccessScope.Regency, CancellationToken.None);
            var minutesSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var joined = 0;
            await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    SELECT l.id, f.no_kk, f.rt, f.rw, p.nama, l.outcome, l.changes, l.decision
                    FROM verivali_lines l LEFT JOIN families f ON f.id = l.family_id
                    LEFT JOIN persons p ON p.family_id = l.family_id AND p.hubungan_kk = 1
                    WHERE l.period_id = @p AND l.kode_desa = @v AND l.status IN ('ditinjau', 'diputuskan', 'diterapkan') ORDER BY l.id
                    """;
                command.AddParameter("@p", periodId);
                command.AddParameter("@v", village);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) joined++;
            }
            var joinSeconds = watch.Elapsed.TotalSeconds;

            // 50,000 agreed decisions (perbaikan data) over the villages with the most lines, their musdes closed.
            var decided = await db.VerivaliLines.Where(l => l.PeriodId == periodId).OrderBy(l => l.Id).Select(l => l.Id).Take(decisions).ToListAsync();
            foreach (var chunk in decided.Chunk(5000))
            {
                await db.VerivaliLines.Where(l => chunk.Contains(l.Id)).ExecuteUpdateAsync(u => u
                    .SetProperty(l => l.Status, VerivaliTerms.Decided).SetProperty(l => l.Decision, VerivaliTerms.Agree)
                    .SetProperty(l => l.Outcome, VerivaliTerms.Corrected)
                    .SetProperty(l => l.Changes, """[{"PersonId":null,"Field":"JENIS_LANTAI","Value":"2","Date":null}]""")
                    .SetProperty(l => l.FamilyVersion, l => db.Families.Where(f => f.Id == l.FamilyId).Select(f => (long?)f.Version).FirstOrDefault()));
            }
            var villages = await db.VerivaliLines.Where(l => l.Decision != null).Select(l => l.KodeDesa).Distinct().ToListAsync();
            db.VerivaliMusdes.AddRange(villages.Select(v => new VerivaliMusdes { PeriodId = periodId, KodeDesa = v, HeldOn = new DateOnly(2026, 11, 20), ScanPath = "bench.pdf", ClosedBy = "bench", ClosedAt = DateTime.UtcNow }));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();

            // Reference first, rolled back: the same effect as set-based SQL.
            watch.Restart();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                var now = database.IsSqlite ? (object)DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : DateTime.UtcNow;
                await db.Database.ExecuteSqlRawAsync("""
                    INSERT INTO family_changes (family_id, person_id, field, old_value, new_value, changed_at, changed_by, source, source_ref, family_version)
                    SELECT f.id, NULL, 'JENIS_LANTAI', CAST(f.jenis_lantai AS TEXT), '2', {0}, 'bench', 'musdes', 'verivali:' || CAST(l.id AS TEXT), f.version + 1
                    FROM verivali_lines l JOIN families f ON f.id = l.family_id
                    WHERE l.period_id = {1} AND l.decision = 'setuju' AND l.applied_at IS NULL AND l.family_version = f.version AND f.jenis_lantai <> 2
                    """, [now, periodId]);
                await db.Database.ExecuteSqlRawAsync("""
                    UPDATE families SET jenis_lantai = 2, version = version + 1, verified_at = {0}
                    WHERE id IN (SELECT family_id FROM verivali_lines WHERE period_id = {1} AND decision = 'setuju' AND applied_at IS NULL)
                    """, [database.IsSqlite ? "2026-11-23" : new DateOnly(2026, 11, 23), periodId]);
                await db.Database.ExecuteSqlRawAsync("UPDATE verivali_lines SET applied_at = {0}, status = 'diterapkan' WHERE period_id = {1} AND decision = 'setuju'",
                    [database.IsSqlite ? DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : DateTime.UtcNow, periodId]);
                await transaction.RollbackAsync();
            }
            var sqlApplySeconds = watch.Elapsed.TotalSeconds;
            db.ChangeTracker.Clear();

            watch.Restart();
            var applied = await new ApplyDecisions(db, new RegistryWriter(db, TimeProvider.System), TimeProvider.System)
                .RunAsync(new ApplyDecisions.Input(periodId, null, AccessScope.Regency, "bench"), CancellationToken.None);
            var applySeconds = watch.Elapsed.TotalSeconds;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {worklistSeconds:0.00} | {opened.Lines:N0} | {minutes!.Rows.Count:N0} | {minutesSeconds:0.000} | {joinSeconds:0.000} ({joined:N0}) | {applySeconds:0.0} | {applied.Applied:N0} | {sqlApplySeconds:0.0} | {applySeconds / sqlApplySeconds:0.0}× |"));
            Console.Error.WriteLine(lines[^1]);
        }
        var text = string.Join('\n', lines);
        Console.WriteLine(text);
        await File.WriteAllTextAsync(Path.Combine(root, $"verivali-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"), text);
        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Data;
using Tuntas.Regions;

namespace Tuntas.Bench;

/// <summary>
/// Collaboration benchmark (docs/benchmarks.md): a regency with many years of collaboration — 300
/// stakeholders, 20,000 village needs over Sragen's 208 villages, 60,000 commitments at every stage with their steps
/// — and the committed-vs-delivered report over all of it (per village, per stakeholder, every line), one village's
/// report, the Forum CSR view and the XLSX of every commitment, side by side with the same village and stakeholder
/// totals computed by the database in SQL (checked equal). Usage: <c>collaboration [--provider sqlite|postgres|both]
/// [--postgres CS] [--needs N]</c>.
/// </summary>
public static class CollaborationBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var provider = Value(args, "--provider") ?? "both";
        var postgres = Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var needCount = int.Parse(Value(args, "--needs") ?? "20000", CultureInfo.InvariantCulture);
        var root = Path.GetFullPath("bench/out");
        Directory.CreateDirectory(Path.Combine(root, "collaboration"));
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Collaboration benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores"),
            "",
            "| Provider | Needs | Commitments | Report, regency (s) | Same totals in SQL (s) | Tuntas ÷ SQL | Report, one village (ms) | Forum CSR (s) | XLSX, every commitment (s) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            var file = Path.Combine(root, "collaboration", "tuntas.db");
            if (name == "sqlite" && File.Exists(file))
            {
                File.Delete(file);
            }
            var database = name == "sqlite"
                ? new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={file}")
                : new TuntasDatabase(DatabaseProvider.Postgres, postgres + $";Database=tuntas_bench_collab_{stamp}");
            if (name == "postgres")
            {
                await ExecuteAsync(postgres, $"CREATE DATABASE tuntas_bench_collab_{stamp}");
            }
            await new Migrator(database).MigrateAsync(CancellationToken.None);
            await new LoadRegions(database).RunAsync(CancellationToken.None);
            var commitmentCount = await SeedAsync(database, needCount);

            await using var db = database.CreateDb();
            var report = new CommitmentReport(db);
            await report.RunAsync(new CommitmentReport.Input(), CancellationToken.None); // warm-up: JIT, caches, the OS file cache
            var watch = Stopwatch.StartNew();
            var outcome = await report.RunAsync(new CommitmentReport.Input(), CancellationToken.None);
            var reportSeconds = watch.Elapsed.TotalSeconds;

            var village = outcome.ByVillage[0].KodeDesa;
            var villageTimes = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                watch.Restart();
                await report.RunAsync(new CommitmentReport.Input(Region: village), CancellationToken.None);
                villageTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
            villageTimes.Sort();

            watch.Restart();
            var (sqlVillages, sqlStakeholders) = await SqlTotalsAsync(database);
            var sqlSeconds = watch.Elapsed.TotalSeconds;
            var equal = outcome.ByVillage.Where(v => v.Commitments > 0).All(v => sqlVillages.TryGetValue(v.KodeDesa, out var t) && t == (v.Pledged, v.Delivered))
                && outcome.ByStakeholder.All(s => sqlStakeholders.TryGetValue(s.StakeholderId, out var t) && t == (s.Pledged, s.Delivered))
                && sqlVillages.Count == outcome.ByVillage.Count(v => v.Commitments > 0) && sqlStakeholders.Count == outcome.ByStakeholder.Count;
            if (!equal)
            {
                Console.Error.WriteLine("MISMATCH between the report and SQL");
            }

            watch.Restart();
            await new ForumCsrReport(report).RunAsync(null, "swasta", CancellationToken.None);
            var forumSeconds = watch.Elapsed.TotalSeconds;

            watch.Restart();
            await using (var xlsx = File.Create(Path.Combine(root, "collaboration", $"komitmen-{name}.xlsx")))
            {
                await CommitmentReport.WriteAsync(outcome, "komitmen", xlsx, xlsx: true, CancellationToken.None);
            }
            var xlsxSeconds = watch.Elapsed.TotalSeconds;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {needCount:N0} | {commitmentCount:N0} | {reportSeconds:0.00} | {sqlSeconds:0.00}{(equal ? "" : " ≠")} | {reportSeconds / sqlSeconds:0.0}× | {villageTimes[10]:0} (p50), {villageTimes[18]:0} (p95) | {forumSeconds:0.00} | {xlsxSeconds:0.00} |"));
            if (name == "postgres")
            {
                await db.DisposeAsync();
                Npgsql.NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(postgres, $"DROP DATABASE tuntas_bench_collab_{stamp} WITH (FORCE)");
            }
        }
        var text = string.Join('\n', lines);
        Console.WriteLine(text);
        await File.WriteAllTextAsync(Path.Combine(root, $"collaboration-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"), text);
        return 0;
    }

    /// <summary>Stakeholders, needs, commitments and their steps, written straight through EF (setup, not timed).</summary>
    private static async Task<int> SeedAsync(TuntasDatabase database, int needCount)
    {
        await using var db = database.CreateDb();
        var villages = await db.Regions.AsNoTracking().Where(r => r.Level == Region.Village && r.Code.StartsWith("33.14.")).Select(r => r.Code).OrderBy(c => c).ToListAsync();
        var random = new Random(6);
        var now = DateTime.UtcNow;
        var helixes = CollaborationTerms.Helixes.Select(h => h.Code).ToArray();
        var stakeholders = Enumerable.Range(1, 300).Select(i => new Stakeholder
        {
            Name = string.Create(CultureInfo.InvariantCulture, $"Pemangku {i:000}"),
            Helix = i % 3 == 0 ? "swasta" : helixes[i % helixes.Length],
            Resources = "CSR",
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        db.Stakeholders.AddRange(stakeholders);
        await db.SaveChangesAsync();
        var kinds = CollaborationTerms.NeedKinds.Select(k => k.Code).ToArray();
        var needs = Enumerable.Range(1, needCount).Select(i => new Need
        {
            KodeDesa = villages[random.Next(villages.Count)],
            Kind = kinds[random.Next(kinds.Length)],
            Title = string.Create(CultureInfo.InvariantCulture, $"Kebutuhan {i}"),
            EstimatedCost = random.Next(5, 100) * 1_000_000L,
            Source = "musdes",
            Status = random.NextDouble() < 0.7 ? CollaborationTerms.NeedOpen : CollaborationTerms.NeedClosed,
            CreatedBy = "bench",
            CreatedAt = now.AddDays(-random.Next(0, 1500)),
            UpdatedAt = now,
        }).ToList();
        foreach (var chunk in needs.Chunk(5000))
        {
            db.Needs.AddRange(chunk);
            await db.SaveChangesAsync();
        }
        var statuses = CollaborationTerms.CommitmentStatuses.ToArray();
        var commitments = new List<Commitment>();
        foreach (var need in needs)
        {
            for (var k = 0; k < 3; k++)
            {
                var status = statuses[random.Next(statuses.Length)];
                var pledged = need.EstimatedCost / 4;
                commitments.Add(new Commitment
                {
                    NeedId = need.Id,
                    StakeholderId = stakeholders[random.Next(stakeholders.Count)].Id,
                    Kind = "uang",
                    PledgedAmount = pledged,
                    RealizedAmount = status == CollaborationTerms.Delivered ? pledged * random.Next(80, 101) / 100 : null,
                    Status = status,
                    CreatedBy = "bench",
                    CreatedAt = need.CreatedAt.AddDays(random.Next(0, 60)),
                    UpdatedAt = now,
                });
            }
        }
        foreach (var chunk in commitments.Chunk(10_000))
        {
            db.Commitments.AddRange(chunk);
            await db.SaveChangesAsync();
            db.CommitmentEvents.AddRange(chunk.SelectMany(c => c.Status == CollaborationTerms.Pledged
                ? new[] { Step(c, null, CollaborationTerms.Pledged) }
                : [Step(c, null, CollaborationTerms.Pledged), Step(c, CollaborationTerms.Pledged, c.Status)]));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return commitments.Count;
    }

    private static CommitmentEvent Step(Commitment c, string? from, string to) => new()
    {
        CommitmentId = c.Id,
        At = c.CreatedAt.AddDays(to == CollaborationTerms.Delivered ? 30 : 0),
        Actor = "bench",
        StatusFrom = from,
        StatusTo = to,
        EvidenceName = to == CollaborationTerms.Delivered ? "bukti.pdf" : null,
        EvidenceStoredName = to == CollaborationTerms.Delivered ? "bench" : null,
        EvidenceContentType = to == CollaborationTerms.Delivered ? "application/pdf" : null,
    };

    /// <summary>The reference: pledged and delivered per village and per stakeholder by the database itself.</summary>
    private static async Task<(Dictionary<string, (long, long)> Villages, Dictionary<long, (long, long)> Stakeholders)> SqlTotalsAsync(TuntasDatabase database)
    {
        var villages = new Dictionary<string, (long, long)>();
        var stakeholders = new Dictionary<long, (long, long)>();
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        foreach (var (sql, village) in new[]
                 {
                     ("SELECT n.kode_desa, SUM(CASE WHEN c.status <> 'dibatalkan' THEN c.pledged_amount ELSE 0 END), SUM(CASE WHEN c.status = 'terealisasi' THEN COALESCE(c.realized_amount, 0) ELSE 0 END) FROM commitments c JOIN needs n ON n.id = c.need_id GROUP BY n.kode_desa", true),
                     ("SELECT c.stakeholder_id, SUM(CASE WHEN c.status <> 'dibatalkan' THEN c.pledged_amount ELSE 0 END), SUM(CASE WHEN c.status = 'terealisasi' THEN COALESCE(c.realized_amount, 0) ELSE 0 END) FROM commitments c GROUP BY c.stakeholder_id", false),
                 })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var totals = (Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture));
                if (village)
                {
                    villages[reader.GetString(0)] = totals;
                }
                else
                {
                    stakeholders[reader.GetInt64(0)] = totals;
                }
            }
        }
        return (villages, stakeholders);
    }

    /// <summary>Creates or drops the benchmark's own PostgreSQL database (the name is ours, never user input).</summary>
    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Database=postgres");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    internal static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

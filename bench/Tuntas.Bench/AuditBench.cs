using System.Diagnostics;
using System.Globalization;
using Tuntas.Audit;
using Tuntas.Data;

namespace Tuntas.Bench;

/// <summary>
/// Audit append benchmark (docs/benchmarks.md, "Audit append"): how many audited views per second the chained,
/// keyed audit trail records when <c>--clients</c> requests (default 20, as the back-office load test) each append one
/// entry and wait for its commit — one entry per transaction in a row (how every request appended before), against the
/// group-committing <see cref="AuditWriter"/> (how the web app appends now) — beside the database's own floor: the same
/// rows inserted by one multi-row INSERT in one transaction without the chain. The chain is verified after each run.
/// Usage: <c>audit [--provider sqlite|postgres|both] [--postgres CS] [--views N] [--clients N]</c>.
/// </summary>
public static class AuditBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var provider = Value(args, "--provider") ?? "both";
        var postgres = Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var views = int.Parse(Value(args, "--views") ?? "20000", CultureInfo.InvariantCulture);
        var clients = int.Parse(Value(args, "--clients") ?? "20", CultureInfo.InvariantCulture);
        var root = Path.GetFullPath("bench/out/audit");
        Directory.CreateDirectory(root);
        var key = AuditKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Audit append, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {views:N0} views from {clients} concurrent clients"));
        Console.WriteLine();
        Console.WriteLine("| Provider | One per transaction (views/s) | Group commit (views/s) | Floor: one INSERT, no chain (rows/s) | Group ÷ one each | Floor ÷ group | Chain intact |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var single = await MeasureAsync(name, postgres, root, key, Math.Min(views, 4000), clients, grouped: false);
            var grouped = await MeasureAsync(name, postgres, root, key, views, clients, grouped: true);
            var floor = await FloorAsync(name, postgres, root, views);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {single.Rate:N0} | {grouped.Rate:N0} | {floor:N0} | {grouped.Rate / single.Rate:N1}× | {floor / grouped.Rate:N1}× | {(single.Intact && grouped.Intact ? "yes" : "NO")} |"));
        }
        return 0;
    }

    private static async Task<(double Rate, bool Intact)> MeasureAsync(string name, string postgres, string root, AuditKey key, int views, int clients, bool grouped)
    {
        var database = await FreshAsync(name, postgres, root, grouped ? "group" : "single");
        var append = new AppendAudit(database, TimeProvider.System, key);
        await using var writer = new AuditWriter(database, TimeProvider.System, key);
        var next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= views)
            {
                var input = new AppendAudit.Input("operator" + c, AuditActions.ViewFamily, "keluarga", c.ToString(CultureInfo.InvariantCulture),
                    "GET /Keluarga/1", "operator-desa", "127.0.0.1");
                if (grouped)
                {
                    await writer.AppendAsync(input);
                }
                else
                {
                    await append.RunAsync(input, CancellationToken.None);
                }
            }
        })));
        var rate = views / watch.Elapsed.TotalSeconds;
        await using var db = database.CreateDb();
        var verified = await new VerifyAudit(db, key).RunAsync(new VerifyAudit.Input(), CancellationToken.None);
        return (rate, verified.Intact && verified.Entries == views);
    }

    /// <summary>The database's own floor: the same rows, no chain, one transaction of multi-row INSERTs.</summary>
    private static async Task<double> FloorAsync(string name, string postgres, string root, int rows)
    {
        var database = await FreshAsync(name, postgres, root, "floor");
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var watch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var start = 0; start < rows; start += 90)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            var values = new List<string>();
            for (var i = start; i < Math.Min(rows, start + 90); i++)
            {
                values.Add(string.Create(CultureInfo.InvariantCulture, $"({i + 1}, @at, 'operator', 'operator-desa', '127.0.0.1', 'lihat-keluarga', 'keluarga', '1', 'GET /Keluarga/1', 'x', 'y', 'k')"));
            }
            insert.CommandText = "INSERT INTO audit_log (id, at, actor, actor_role, origin, action, subject_type, subject_id, detail, prev_hash, hash, key_id) VALUES "
                + string.Join(',', values);
            insert.AddParameter("@at", database.IsSqlite ? DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : DateTime.UtcNow);
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return rows / watch.Elapsed.TotalSeconds;
    }

    private static async Task<TuntasDatabase> FreshAsync(string name, string postgres, string root, string label)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        TuntasDatabase database;
        if (name == "sqlite")
        {
            var file = Path.Combine(root, $"audit-{label}.db");
            foreach (var old in Directory.GetFiles(root, $"audit-{label}.db*"))
            {
                File.Delete(old);
            }
            database = new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={file}");
        }
        else
        {
            await using (var admin = new Npgsql.NpgsqlConnection(postgres + ";Database=postgres"))
            {
                await admin.OpenAsync();
                await using var create = admin.CreateCommand();
                create.CommandText = $"CREATE DATABASE tuntas_bench_audit_{label}_{stamp}";
                await create.ExecuteNonQueryAsync();
            }
            database = new TuntasDatabase(DatabaseProvider.Postgres, postgres + $";Database=tuntas_bench_audit_{label}_{stamp}");
        }
        await new Migrator(database).MigrateAsync(CancellationToken.None);
        return database;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

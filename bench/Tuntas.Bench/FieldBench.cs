using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Attachments;
using Tuntas.Data;
using Tuntas.Demo;
using Tuntas.FieldCollection;
using Tuntas.Imports;
using Tuntas.Regions;
using Tuntas.Users;
using Tuntas.Verivali;

namespace Tuntas.Bench;

/// <summary>
/// Field collection benchmark (docs/benchmarks.md): on a demo regency (default 3,000 families) with an open verivali
/// period, (1) the media an enumerator's phone downloads for 500 assigned families (keluarga.csv + anggota.csv, with
/// their MD5 as in the manifest), and the same families as the offline browser form's worklist (<see cref="FieldWorklist"/>
/// serialized as JSON, as <c>GET /api/field/worklist</c> sends it; reference: the media files); (2) 1,000 visit submissions, each with a 300 KB photo, received by
/// <see cref="ReceiveSubmission"/> from 2 concurrent senders (2 cores): every check, the photo staged, the visit recorded
/// on its line, the submission row, one transaction, the photo published — latency per submission (p50, p95) and
/// submissions per minute. Reference: the floor of the same storage — the photo written and renamed plus one INSERT of
/// the submission row, no checks. Usage: <c>field [--families 3000] [--submissions 1000] [--provider sqlite|postgres|both]</c>.
/// </summary>
public static class FieldBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var families = int.Parse(Value(args, "--families") ?? "3000", CultureInfo.InvariantCulture);
        var submissions = int.Parse(Value(args, "--submissions") ?? "1000", CultureInfo.InvariantCulture);
        var provider = Value(args, "--provider") ?? "sqlite";
        var postgres = Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var root = Path.GetFullPath("bench/out");
        Directory.CreateDirectory(Path.Combine(root, "field"));
        var file = Path.Combine(root, $"demo-33.14-f{families}-s1.csv");
        if (!File.Exists(file))
        {
            await using var writer = new StreamWriter(file);
            await new GenerateDemoRegistry().RunAsync(new GenerateDemoRegistry.Input(Families: families, Seed: 1), writer, CancellationToken.None);
        }
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Field collection benchmark, {families:N0} families, {submissions:N0} submissions of 300 KB, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores"),
            "",
            "| Provider | Media for 500 families (s) | Browser worklist JSON for 500 (s, KB) | Submissions | Wall (s) | Per minute | p50 (ms) | p95 (ms) | Floor: photo + INSERT p95 (ms) | Tuntas ÷ floor (p95) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var database = await CreateDatabaseAsync(name, root, postgres);
            await new Migrator(database).MigrateAsync(CancellationToken.None);
            await new LoadRegions(database).RunAsync(CancellationToken.None);
            var report = await new ImportFamilies(database, TimeProvider.System).RunAsync(new ImportFamilies.Input(file, Path.GetFileName(file), false, "bench"), null, CancellationToken.None);
            if (!report.Committed) throw new InvalidOperationException(report.ToJson());
            var store = new AttachmentStore(Path.Combine(root, "field", name + "-photos"));
            if (Directory.Exists(store.Folder)) Directory.Delete(store.Folder, true);

            await using var db = database.CreateDb();
            db.Users.AddRange(
                new User { UserName = "bench.manifest", DisplayName = "B", PasswordHash = "-", Role = Roles.Relawan, CreatedAt = DateTime.UtcNow },
                new User { UserName = "bench.kirim", DisplayName = "K", PasswordHash = "-", Role = Roles.Relawan, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            var opened = await new OpenPeriod(db, TimeProvider.System).RunAsync(new OpenPeriod.Input("Bench", "bench"), CancellationToken.None);
            var ids = await db.VerivaliLines.Where(l => l.PeriodId == opened.Period!.Id).OrderBy(l => l.Id).Select(l => l.Id).ToListAsync();
            if (ids.Count < submissions + 500) throw new InvalidOperationException("not enough worklist lines: use more --families");
            await db.VerivaliLines.Where(l => ids.Take(500).Contains(l.Id)).ExecuteUpdateAsync(u => u.SetProperty(l => l.AssignedTo, "bench.manifest"));
            var sendLines = ids.Skip(500).Take(submissions).ToList();
            foreach (var chunk in sendLines.Chunk(500))
            {
                await db.VerivaliLines.Where(l => chunk.Contains(l.Id)).ExecuteUpdateAsync(u => u.SetProperty(l => l.AssignedTo, "bench.kirim"));
            }
            var form = await new PublishForms(db, TimeProvider.System).CurrentAsync(FieldForms.Visit, CancellationToken.None);
            var token = await new CreateDeviceToken(db, TimeProvider.System).RunAsync(new CreateDeviceToken.Input("bench.kirim", "bench", "bench", true), CancellationToken.None);
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "bench.kirim");
            var device = new AuthenticateDevice.Device(token.Token!, user, await new ResolveAccessScope(db, TimeProvider.System)
                .RunAsync(new ResolveAccessScope.Input(user.Id, user.Role, null, null), CancellationToken.None));

            // (1) The manifest's media for 500 assigned families, hashed as the manifest does.
            var watch = Stopwatch.StartNew();
            await using (var mediaDb = database.CreateDb())
            {
                var media = new FieldMedia(mediaDb);
                foreach (var csv in FieldForms.MediaFiles(FieldForms.Visit))
                {
                    var content = await media.RunAsync(new FieldMedia.Input(csv, "bench.manifest", AccessScope.Nothing), CancellationToken.None);
                    _ = MD5.HashData(Encoding.UTF8.GetBytes(content!));
                }
            }
            var mediaSeconds = watch.Elapsed.TotalSeconds;

            // (1b) The browser form's worklist for the same 500 families, serialized as the endpoint does (web JSON defaults).
            watch.Restart();
            int worklistBytes;
            await using (var worklistDb = database.CreateDb())
            {
                var worklist = await new FieldWorklist(worklistDb, TimeProvider.System).RunAsync(new FieldWorklist.Input("bench.manifest", AccessScope.Nothing), CancellationToken.None);
                if (worklist.Families.Count != 500) throw new InvalidOperationException($"{worklist.Families.Count} families in the worklist");
                worklistBytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(worklist, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)).Length;
            }
            var worklistSeconds = watch.Elapsed.TotalSeconds;

            // (2) Submissions from 2 concurrent senders, each with its own unit of work as a request has.
            var photo = new byte[300 * 1024];
            Random.Shared.NextBytes(photo);
            (photo[0], photo[1], photo[2]) = (0xFF, 0xD8, 0xFF);
            var latencies = new double[sendLines.Count];
            var next = -1;
            watch.Restart();
            await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < sendLines.Count)
                {
                    var xml = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                        $"<data id=\"{FieldForms.Visit}\" version=\"{form.Version}\"><baris>{sendLines[i]}</baris><hasil>tetap</hasil><foto_rumah>f{i}.jpg</foto_rumah><lokasi>-7.4 111.0 100 5</lokasi><catatan>bench</catatan><meta><instanceID>uuid:bench-{name}-{i}</instanceID></meta></data>"));
                    var started = Stopwatch.GetTimestamp();
                    await using var requestDb = database.CreateDb();
                    var outcome = await new ReceiveSubmission(requestDb, TimeProvider.System, store).RunAsync(
                        new ReceiveSubmission.Input(xml, [new ReceiveSubmission.Attachment($"f{i}.jpg", photo)], device), CancellationToken.None);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (outcome.Status != 201 || outcome.Submission!.Status != FieldTerms.Accepted)
                    {
                        throw new InvalidOperationException($"submission {i}: {outcome.Status} {outcome.Problem?.MessageEn} {outcome.Submission?.Problems}");
                    }
                }
            })));
            var wall = watch.Elapsed.TotalSeconds;

            // Reference: the floor of storing the same thing — photo staged and published, one INSERT, no checks.
            var floor = new double[sendLines.Count];
            next = -1;
            await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < sendLines.Count)
                {
                    var started = Stopwatch.GetTimestamp();
                    await using var requestDb = database.CreateDb();
                    var staged = await store.StageAsync(photo, AttachmentRules.Jpeg, CancellationToken.None);
                    requestDb.FieldSubmissions.Add(new FieldSubmission
                    {
                        InstanceId = $"uuid:floor-{name}-{i}",
                        FormId = FieldForms.Visit,
                        FormVersion = form.Version,
                        SubmittedBy = "bench.kirim",
                        ReceivedAt = DateTime.UtcNow,
                        Status = FieldTerms.Accepted,
                        XmlHash = "-",
                        Xml = "<data/>",
                    });
                    await requestDb.SaveChangesAsync();
                    store.Publish(staged);
                    floor[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            })));
            await using (var check = database.CreateDb())
            {
                var visited = await check.VerivaliLines.CountAsync(l => l.AssignedTo == "bench.kirim" && l.Status == VerivaliTerms.Visited);
                if (visited != sendLines.Count) throw new InvalidOperationException($"{visited} lines visited of {sendLines.Count}");
            }
            var (p50, p95, floor95) = (Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(floor, 0.95));
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {mediaSeconds:0.00} | {worklistSeconds:0.00}, {worklistBytes / 1024} | {sendLines.Count:N0} | {wall:0.0} | {sendLines.Count / wall * 60:N0} | {p50:0} | {p95:0} | {floor95:0} | {p95 / floor95:0.0}× |"));
            Console.Error.WriteLine(lines[^1]);
        }
        var output = string.Join(Environment.NewLine, lines);
        Console.WriteLine(output);
        await File.WriteAllTextAsync(Path.Combine(root, "field", "results.md"), output);
        return 0;
    }

    private static async Task<TuntasDatabase> CreateDatabaseAsync(string name, string root, string postgres)
    {
        if (name == "sqlite")
        {
            var path = Path.Combine(root, "field", "tuntas.db");
            foreach (var old in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists)) File.Delete(old);
            return new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={path}");
        }
        await using (var admin = new Npgsql.NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand("DROP DATABASE IF EXISTS tuntas_bench_field WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE tuntas_bench_field", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new TuntasDatabase(DatabaseProvider.Postgres, postgres + ";Database=tuntas_bench_field");
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string? Value(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}

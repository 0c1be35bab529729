using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Tuntas.Access;
using Tuntas.Audit;
using Tuntas.Data;
using Tuntas.Dci;
using Tuntas.Dci.Async;
using Tuntas.Dci.Signatures;
using Tuntas.Dci.Subscriptions;
using Tuntas.Demo;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Bench;

/// <summary>
/// DCI notify fan-out (docs/dci.md, docs/benchmarks.md): a demo regency on SQLite, three API clients each subscribed to
/// changes of every family with at least one living member, <c>--changes</c> families changed through the one registry
/// writer (not timed), then the DCI worker's two steps — <see cref="QueueNotifications"/> from the change history and
/// <see cref="DeliverNotifications"/> to the subscribers — run in turn as the web app's worker runs them, until each of
/// the three subscribers (HTTP listeners in this process) has received every change. Messages are signed (Ed25519) and
/// each delivered batch audited, as in production.
/// <code>dotnet run -c Release --project bench/Tuntas.Bench -- dci-notify --families 12000 --changes 10000</code>
/// </summary>
public static class DciNotifyBench
{
    private static readonly CultureInfo _c = CultureInfo.InvariantCulture;

    /// <summary>A subscriber's endpoint: counts the events of each notify message it receives.</summary>
    private sealed class Subscriber : IDisposable
    {
        private readonly LoopbackHttpServer _server;
        private int _events;
        private int _posts;

        public string Url => _server.Url.ToString();
        public int Events => Volatile.Read(ref _events);
        public int Posts => Volatile.Read(ref _posts);

        public Subscriber() => _server = new LoopbackHttpServer("/dci/", async context =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.InputStream);
            Interlocked.Add(ref _events, document.RootElement.GetProperty("message").GetProperty("notify_event").GetArrayLength());
            Interlocked.Increment(ref _posts);
            context.Response.StatusCode = 200;
            context.Response.Close();
        });

        public void Dispose() => _server.Dispose();
    }

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], _c) : fallback;
        var families = Arg("--families", 12_000);
        var changes = Arg("--changes", 10_000);
        const int subscribers = 3;
        var work = Directory.CreateTempSubdirectory("tuntas-dci-notify-").FullName;
        var database = new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(work, "tuntas.db")}");
        var clock = TimeProvider.System;
        Console.Error.WriteLine($"dci-notify: seeding {families:N0} demo families (SQLite, {work})…");
        await new Migrator(database).MigrateAsync(CancellationToken.None);
        await new LoadRegions(database).RunAsync(CancellationToken.None);
        await new SeedDemoRegistry(database, clock).RunAsync(new GenerateDemoRegistry.Input("33.14", families), null, CancellationToken.None);

        var listeners = Enumerable.Range(0, subscribers).Select(_ => new Subscriber()).ToList();
        await using (var db = database.CreateDb())
        {
            var cursor = await db.FamilyChanges.MaxAsync(c => (long?)c.Id) ?? 0;
            foreach (var (listener, i) in listeners.Select((l, i) => (l, i)))
            {
                var client = (await new AddApiClient(db, clock).RunAsync(new AddApiClient.Input("langganan-" + i, Roles.Administrator), CancellationToken.None)).Client!;
                db.Add(new DciSubscription
                {
                    ApiClientId = client.Id,
                    Code = Guid.NewGuid().ToString("N"),
                    TransactionId = "bench",
                    ReferenceId = "bench-" + i,
                    EventType = DciEventTypes.Update,
                    CriteriaJson = """{"query_type":"predicate","query":[{"expression1":{"attribute_name":"group_size","operator":"ge","attribute_value":"1"}}]}""",
                    NotifyUrl = listener.Url + "notify",
                    State = DciSubscriptionStates.Subscribed,
                    CursorChangeId = cursor,
                    CreatedAt = DateTime.UtcNow,
                });
            }
            await db.SaveChangesAsync();
        }

        // The changes: one field of each of `changes` families, through the registry writer, in its chunks (not timed).
        var watch = Stopwatch.StartNew();
        await using (var db = database.CreateDb())
        {
            var ids = await db.Families.AsNoTracking().Where(f => f.Persons.Any(p => p.StatusHidup == LifeStatus.Hidup)).OrderBy(f => f.Id)
                .Select(f => new { f.Id, f.LuasLantai }).Take(changes).ToListAsync();
            if (ids.Count < changes)
            {
                throw new InvalidOperationException($"only {ids.Count} families with living members; raise --families");
            }
            var writer = new RegistryWriter(db, clock);
            foreach (var chunk in ids.Chunk(RegistryWriter.ChunkSize))
            {
                // A new value for every family (the same value would be no change, and no history line).
                var edits = chunk.Select(f => new RegistryWriter.FamilyEdit(f.Id, null, [new RegistryWriter.SetField(null, "LUAS_LANTAI", ((f.LuasLantai ?? 0) + 1).ToString(_c))])).ToList();
                var outcome = await writer.RunAsync(new RegistryWriter.Input(edits, "bench", ChangeSource.Editor, AccessScope.Regency), CancellationToken.None);
                var notWritten = outcome.Families.Count(f => f.Result != RegistryWriter.Result.Written);
                if (notWritten > 0)
                {
                    throw new InvalidOperationException($"{notWritten} families not written");
                }
            }
        }
        var writeSeconds = watch.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(_c, $"dci-notify: {changes:N0} changes written in {writeSeconds:0.0} s; fan-out to {subscribers} subscribers…"));

        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        var options = new DciOptions("tuntas-33.14", 100, 10, TimeSpan.FromHours(1), TimeSpan.FromMinutes(15));
        var signer = new DciSigner(new Ed25519PrivateKeyParameters(new SecureRandom()), "tuntas-33.14|1|ed25519", clock);
        var http = DciCallbackHttp.Create();
        await using var audit = new AuditWriter(database, clock, AuditKey.FromBytes(new byte[32]));
        double queueSeconds = 0, deliverSeconds = 0;
        var passes = 0;
        var regionNames = new RegionNames(clock);
        watch.Restart();
        while (listeners.Any(l => l.Events < changes) && watch.Elapsed < TimeSpan.FromMinutes(10))
        {
            await using var db = database.CreateDb();
            var search = new SyncSearch(db, clock, options, regionNames);
            var step = Stopwatch.StartNew();
            await new QueueNotifications(db, clock, search, new ResolveAccessScope(db, clock)).RunAsync(CancellationToken.None);
            queueSeconds += step.Elapsed.TotalSeconds;
            step.Restart();
            await new DeliverNotifications(db, clock, search, new ResolveAccessScope(db, clock), audit, http, signer, options).RunAsync(CancellationToken.None);
            deliverSeconds += step.Elapsed.TotalSeconds;
            passes++;
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var delivered = listeners.Sum(l => l.Events);
        Console.WriteLine(string.Create(_c, $"| {families:N0} | {changes:N0} | {subscribers} | {delivered:N0} | {listeners.Sum(l => l.Posts):N0} | {seconds:0.0} s | {delivered / seconds:N0}/s | {queueSeconds:0.0} s | {deliverSeconds:0.0} s | {passes} | {load} |"));
        Console.Error.WriteLine(string.Create(_c, $"dci-notify: target {changes:N0} × {subscribers} within 60 s: {(seconds <= 60 && delivered >= changes * subscribers ? "met" : "NOT met")} ({seconds:0.0} s)"));
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }
        Directory.Delete(work, true);
        return delivered >= changes * subscribers ? 0 : 1;
    }
}

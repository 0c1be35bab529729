using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tuntas.Data;
using Tuntas.Users;

namespace Tuntas.Bench;

/// <summary>
/// DCI sync search by identifier, end to end over HTTP (docs/dci.md, docs/benchmarks.md): the web app started as a child
/// process on SQLite with a demo regency, an administrator API client with a bearer token, then NIK searches from
/// <c>--concurrency</c> clients at once — token check, client row, scope, query, mapping, the audit entry of every search.
/// Warm-up requests are not counted. Reports requests per second and latency percentiles.
/// <code>dotnet run -c Release --project bench/Tuntas.Bench -- dci --families 30000 --requests 20000 --concurrency 16</code>
/// </summary>
public static class DciBench
{
    private static readonly CultureInfo _c = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], _c) : fallback;
        var families = Arg("--families", 30_000);
        var requests = Arg("--requests", 20_000);
        var concurrency = Arg("--concurrency", 16);
        const int port = 5287;
        var root = FindRepository();
        // --database DIR: keep the demo regency in DIR and reuse it in the next run (the web app seeds an empty database
        // only), so that repeated runs while optimising do not each spend minutes seeding; the default is a fresh temp dir.
        var kept = Array.IndexOf(args, "--database") is var d and >= 0 && d + 1 < args.Length ? Path.GetFullPath(args[d + 1]) : null;
        var work = kept ?? Directory.CreateTempSubdirectory("tuntas-dci-bench-").FullName;
        Directory.CreateDirectory(work);
        var file = Path.Combine(work, "tuntas.db");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(root, "src", "Tuntas.Web"),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // --no-build: start the web app already built (dotnet build -c Release src/Tuntas.Web) instead of `dotnet run`,
        // so that a busy machine does not rebuild it first.
        string[] launch = args.Contains("--no-build")
            ? ["bin/Release/net10.0/Tuntas.Web.dll", "--urls", $"http://127.0.0.1:{port}"]
            : ["run", "-c", "Release", "--no-launch-profile", "--", "--urls", $"http://127.0.0.1:{port}"];
        foreach (var a in launch)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["ConnectionStrings__Tuntas"] = $"Data Source={file}";
        start.Environment["Audit__KeyFile"] = Path.Combine(work, "audit.key");
        start.Environment["Demo__Enabled"] = "true";
        start.Environment["Demo__Families"] = families.ToString(_c);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        BenchRun.Log($"dci: starting the web app with a demo regency of {families:N0} families (SQLite, {file})…");
        using var web = Process.Start(start)!;
        web.OutputDataReceived += (_, _) => { };
        web.ErrorDataReceived += (_, _) => { };
        web.BeginOutputReadLine();
        web.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var ready = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                if (web.HasExited || ready.Elapsed > TimeSpan.FromMinutes(20))
                {
                    throw new InvalidOperationException("the web app did not start");
                }
                await Task.Delay(1000);
            }
            BenchRun.Log($"dci: ready after {ready.Elapsed.TotalSeconds:0} s");

            // An administrator API client, as `tuntas users api-client` makes one; its number and key give the token.
            var database = new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={file}");
            long clientId;
            string key;
            await using (var db = database.CreateDb())
            {
                db.ApiClients.RemoveRange(db.ApiClients.Where(c => c.Name == "bench-dci"));
                await db.SaveChangesAsync();
                var outcome = await new AddApiClient(db, TimeProvider.System).RunAsync(new AddApiClient.Input("bench-dci", Roles.Administrator), CancellationToken.None);
                (clientId, key) = (outcome.Client!.Id, outcome.Key!);
            }
            var niks = new List<string>();
            await using (var connection = new SqliteConnection($"Data Source={file}"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT nik FROM persons WHERE status_hidup = 1 ORDER BY random() LIMIT 5000";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    niks.Add(reader.GetString(0));
                }
            }
            var token = await http.PostAsync("/api/dci/oauth2/client/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId.ToString(_c),
                ["client_secret"] = key,
            }));
            token.EnsureSuccessStatusCode();
            var bearer = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);

            // Warm up until the JIT has settled, not for a fixed count: tiered compilation promotes hot methods only after a
            // quiet spell, and on a busy machine a thousand requests ended with the JIT still compiling a core's worth
            // (dotnet-counters: 0.6–1.0 s of JIT per second), which the measurement then counted as the search's cost.
            var warmUpFor = TimeSpan.FromSeconds(Arg("--warmup-seconds", 20));
            for (var warming = Stopwatch.StartNew(); warming.Elapsed < warmUpFor;)
            {
                await MeasureAsync(http, niks, Math.Min(1000, requests / 5), concurrency);
            }
            await MeasureFloorAsync(http, Math.Min(1000, requests / 5), concurrency);
            // CPU time of the web app per request beside the wall-clock figures: on a shared machine the throughput says as
            // much about the other processes as about the search, the CPU spent per answer much less so.
            TimeSpan WebCpu()
            {
                web.Refresh();
                return web.TotalProcessorTime;
            }
            var searchCpu = WebCpu();
            var (elapsed, latencies, failures) = await MeasureAsync(http, niks, requests, concurrency);
            searchCpu = WebCpu() - searchCpu;
            latencies.Sort();
            double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
            var perSecond = requests / elapsed.TotalSeconds;
            Console.WriteLine(string.Create(_c, $"| DCI sync search by NIK, HTTP, SQLite, {families:N0} families | {concurrency} | {requests:N0} | {perSecond:N0} req/s | {P(0.5):0.0} ms | {P(0.99):0.0} ms | {latencies[^1]:0.0} ms | {failures} |"));
            Console.WriteLine(string.Create(_c, $"target ≥ 1,000 req/s: ratio {perSecond / 1000:0.00}; p99 target < 50 ms: ratio {P(0.99) / 50:0.00}"));
            // The reference, side by side: the same HTTP stack's floor — GET /health (routing, the health check's one
            // database query, a small body; no token, no search, no audit) at the same concurrency, same requests.
            var floorCpu = WebCpu();
            var (floorElapsed, floorLatencies, floorFailures) = await MeasureFloorAsync(http, requests, concurrency);
            floorCpu = WebCpu() - floorCpu;
            floorLatencies.Sort();
            double F(double q) => floorLatencies[Math.Min(floorLatencies.Count - 1, (int)Math.Ceiling(q * floorLatencies.Count) - 1)];
            var floorPerSecond = requests / floorElapsed.TotalSeconds;
            Console.WriteLine(string.Create(_c, $"| floor: GET /health, same stack | {concurrency} | {requests:N0} | {floorPerSecond:N0} req/s | {F(0.5):0.0} ms | {F(0.99):0.0} ms | {floorLatencies[^1]:0.0} ms | {floorFailures} |"));
            Console.WriteLine(string.Create(_c, $"search ÷ floor: throughput {perSecond / floorPerSecond:0.00}×, p99 {P(0.99) / F(0.99):0.0}×; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
            Console.WriteLine(string.Create(_c, $"web app CPU per request: search {searchCpu.TotalMilliseconds / requests:0.000} ms, floor {floorCpu.TotalMilliseconds / requests:0.000} ms ({searchCpu.TotalMilliseconds / floorCpu.TotalMilliseconds:0.0}×)"));
            if (args.Contains("--profile"))
            {
                web.Kill(entireProcessTree: true);
                await web.WaitForExitAsync();
                await ProfileAsync(database, niks, Math.Min(requests, 5000), concurrency);
            }
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            web.Kill(entireProcessTree: true);
            await web.WaitForExitAsync();
            if (kept is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>
    /// Where the time of one search goes, measured in-process on the same database without HTTP: the client row read
    /// again (as the bearer handler does), the search itself (a fresh context each, as per request), the response's
    /// serialization, and the audit append through the group-committing writer at the same concurrency.
    /// </summary>
    private static async Task ProfileAsync(TuntasDatabase database, List<string> niks, int n, int concurrency)
    {
        var options = new Tuntas.Dci.DciOptions("bench", 100, 10, TimeSpan.FromHours(1), TimeSpan.FromMinutes(15));
        var disclosure = new Tuntas.Dci.DciDisclosure(true, true);
        JsonElement Message(int i)
        {
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", _c);
            return JsonDocument.Parse($$$"""
                {"header": {"version": "1.0.0", "message_id": "p-{{{i}}}", "message_ts": "{{{now}}}", "action": "search", "sender_id": "bench", "total_count": 1},
                 "message": {"transaction_id": "t-{{{i}}}", "search_request": [{"reference_id": "r1", "timestamp": "{{{now}}}",
                 "search_criteria": {"query_type": "idtype-value", "query": {"type": "NIK", "value": "{{{niks[i % niks.Count]}}}"} } } ] } }
                """).RootElement;
        }
        async Task<(double PerSecond, double Mean)> Stage(string name, int parallel, Func<int, Task> one)
        {
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < n)
                {
                    await one(i);
                }
            }));
            var perSecond = n / clock.Elapsed.TotalSeconds;
            var mean = clock.Elapsed.TotalMilliseconds * parallel / n;
            Console.WriteLine(string.Create(_c, $"| {name} | {parallel} | {n:N0} | {perSecond:N0}/s | {mean:0.00} ms |"));
            return (perSecond, mean);
        }
        Console.WriteLine("| Stage (in-process, no HTTP) | Concurrency | Runs | Throughput | Mean per run |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        long clientId;
        await using (var db = database.CreateDb())
        {
            clientId = db.ApiClients.Select(c => c.Id).First();
        }
        var regionNames = new Tuntas.Dci.RegionNames(TimeProvider.System);
        foreach (var parallel in new[] { 1, concurrency })
        {
            await Stage("client row read", parallel, async i =>
            {
                await using var db = database.CreateDb();
                _ = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
                    Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.ApiClients), c => c.Id == clientId);
            });
            await Stage("search (SyncSearch.RunAsync)", parallel, async i =>
            {
                await using var db = database.CreateDb();
                var outcome = await new Tuntas.Dci.SyncSearch(db, TimeProvider.System, options, regionNames)
                    .RunAsync(new Tuntas.Dci.SyncSearch.Input(Message(i), Tuntas.Access.AccessScope.Regency, disclosure), CancellationToken.None);
                if (outcome.Response is null)
                {
                    throw new InvalidOperationException("no answer");
                }
            });
        }
        await using (var db = database.CreateDb())
        {
            var answer = (await new Tuntas.Dci.SyncSearch(db, TimeProvider.System, options, regionNames)
                .RunAsync(new Tuntas.Dci.SyncSearch.Input(Message(0), Tuntas.Access.AccessScope.Regency, disclosure), CancellationToken.None)).Response;
            await Stage("serialize the answer", 1, i =>
            {
                _ = JsonSerializer.SerializeToUtf8Bytes(answer, Tuntas.Dci.DciJson.Json);
                return Task.CompletedTask;
            });
        }
        var key = Tuntas.Audit.AuditKey.FromBytes(new byte[32]);
        await using var writer = new Tuntas.Audit.AuditWriter(database, TimeProvider.System, key);
        foreach (var parallel in new[] { 1, concurrency })
        {
            await Stage("audit append (group commit)", parallel, i => writer.AppendAsync(new Tuntas.Audit.AppendAudit.Input("api:bench", "lihat-data-pribadi", "keluarga", null,
                "POST /api/dci/registry/sync/search — DCI idtype-value NIK: 1 rekaman dari 1", "administrator", "127.0.0.1")));
        }
    }

    private static async Task<(TimeSpan Elapsed, List<double> Latencies, int Failures)> MeasureAsync(HttpClient http, List<string> niks, int requests, int concurrency)
    {
        var next = -1;
        var failures = 0;
        var latencies = new double[requests];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var nik = niks[i % niks.Count];
                var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", _c);
                var message = new
                {
                    header = new { version = "1.0.0", message_id = "b-" + i.ToString(_c), message_ts = now, action = "search", sender_id = "bench", total_count = 1 },
                    message = new
                    {
                        transaction_id = "t-" + i.ToString(_c),
                        search_request = new[]
                        {
                            new { reference_id = "r1", timestamp = now, search_criteria = new { query_type = "idtype-value", query = new { type = "NIK", value = nik } } },
                        },
                    },
                };
                var one = Stopwatch.StartNew();
                using var response = await http.PostAsJsonAsync("/api/dci/registry/sync/search", message);
                var body = await response.Content.ReadAsStringAsync();
                latencies[i] = one.Elapsed.TotalMilliseconds;
                if (!response.IsSuccessStatusCode || !body.Contains("\"identifier_value\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return (clock.Elapsed, [.. latencies], failures);
    }

    private static async Task<(TimeSpan Elapsed, List<double> Latencies, int Failures)> MeasureFloorAsync(HttpClient http, int requests, int concurrency)
    {
        var next = -1;
        var failures = 0;
        var latencies = new double[requests];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < requests)
            {
                var one = Stopwatch.StartNew();
                using var response = await http.GetAsync("/health");
                await response.Content.ReadAsStringAsync();
                latencies[i] = one.Elapsed.TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return (clock.Elapsed, [.. latencies], failures);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tuntas.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the repository");
    }
}

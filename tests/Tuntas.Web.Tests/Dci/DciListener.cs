using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Tuntas.Testing;

namespace Tuntas.Web.Tests.Dci;

/// <summary>
/// A DCI client's callback endpoints (on-search, on-subscribe, notify, …) as a real HTTP listener in the test: answers the
/// first <c>failFirst</c> posts (to paths ending in <c>failPath</c>, or to any path) with 503, then 200, and hands each
/// accepted message to the test by its last path segment.
/// </summary>
public sealed class DciListener : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly ConcurrentDictionary<string, Channel<(JsonElement Body, string Raw)>> _received = new(StringComparer.Ordinal);
    private int _seen;
    private int _failed;

    public string Url => _server.Url.ToString();

    public DciListener(int failFirst = 0, string? failPath = null) =>
        _server = new LoopbackHttpServer("/dci/", async context =>
        {
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            Interlocked.Increment(ref _seen);
            var fail = (failPath is null || path.EndsWith(failPath, StringComparison.Ordinal)) && Interlocked.Increment(ref _failed) <= failFirst;
            context.Response.StatusCode = fail ? 503 : 200;
            context.Response.Close();
            if (!fail)
            {
                var segment = path.TrimEnd('/').Split('/')[^1];
                await Channel("*").Writer.WriteAsync((JsonDocument.Parse(body).RootElement, body));
                await Channel(segment).Writer.WriteAsync((JsonDocument.Parse(body).RootElement, body));
            }
        });

    private Channel<(JsonElement Body, string Raw)> Channel(string key) => _received.GetOrAdd(key, _ => System.Threading.Channels.Channel.CreateUnbounded<(JsonElement, string)>());

    /// <summary>Posts received, refused ones included.</summary>
    public int Posts => Volatile.Read(ref _seen);

    /// <summary>The next accepted message, to any path.</summary>
    public async Task<JsonElement> NextAsync() => (await NextRawAsync("*")).Body;

    /// <summary>The next accepted message to a path ending in <paramref name="segment"/> (e.g. <c>notify</c>), with its text as sent.</summary>
    public async Task<(JsonElement Body, string Raw)> NextRawAsync(string segment)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await Channel(segment).Reader.ReadAsync(timeout.Token);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

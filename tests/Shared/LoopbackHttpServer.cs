using System.Net;
using System.Net.Sockets;

namespace Tuntas.Testing;

/// <summary>
/// A real HTTP server on a free loopback port, for the tests and benchmarks that need a party at the other end of a
/// call Tuntas makes (an SMS gateway, a DCI client's callbacks): each request is handed to <c>serve</c>, one at a time,
/// until the server is disposed. Linked into the test projects and the bench (tests/Shared).
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable, IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    /// <summary>The server's address, ending in the path given (e.g. <c>http://127.0.0.1:41234/dci/</c>).</summary>
    public Uri Url { get; }

    public LoopbackHttpServer(string path, Func<HttpListenerContext, Task> serve)
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}{path}");
        }
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                await serve(context);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

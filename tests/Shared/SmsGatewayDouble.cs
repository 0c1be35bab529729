using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Tuntas.Testing;

/// <summary>
/// An SMS/WhatsApp gateway for the tests: a real HTTP server (HttpListener on a free loopback port) that records each
/// request and answers with the status codes it is told to, in order (then 200 with an id).
/// </summary>
public sealed class SmsGatewayDouble : IDisposable
{
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly LoopbackHttpServer _server;
    private int _sent;

    public sealed record Request(string? Authorization, string To, string Channel, string Text);

    public ConcurrentQueue<Request> Received { get; } = new();

    public Uri Url => _server.Url;

    public SmsGatewayDouble() => _server = new LoopbackHttpServer("/v1/kirim/", ServeAsync);

    public void AnswerNext(params int[] statusCodes)
    {
        foreach (var code in statusCodes)
        {
            _answers.Enqueue(code);
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        using (var json = await JsonDocument.ParseAsync(context.Request.InputStream))
        {
            var root = json.RootElement;
            Received.Enqueue(new Request(context.Request.Headers["Authorization"], root.GetProperty("to").GetString()!,
                root.GetProperty("channel").GetString()!, root.GetProperty("text").GetString()!));
        }
        var status = _answers.TryDequeue(out var code) ? code : 200;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = System.Text.Encoding.UTF8.GetBytes(status == 200 ? $"{{\"id\":\"sms-{++_sent}\"}}" : "{\"error\":\"x\"}");
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    public void Dispose() => _server.Dispose();
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Tuntas.Core.Tests.Notifications;

/// <summary>
/// A real SMTP server for the e-mail tests: MailDev (npm, pinned in Notifications/maildev/package-lock.json and installed
/// by .ci/run), started on free loopback ports for the test class and stopped after it. Its REST API
/// (<c>GET /email</c>) tells what it received, envelope and all.
/// </summary>
public sealed class MailDev : IAsyncLifetime
{
    private Process? _process;
    private readonly HttpClient _http = new();

    public int SmtpPort { get; private set; }
    public int WebPort { get; private set; }

    public static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tuntas.Core.Tests", "Notifications", "maildev", "node_modules", "maildev", "bin", "maildev");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "MailDev is not installed: run `npm ci --ignore-scripts --prefix tests/Tuntas.Core.Tests/Notifications/maildev` (as .ci/run does).");
    }

    public async Task InitializeAsync()
    {
        SmtpPort = FreePort();
        WebPort = FreePort();
        _process = Process.Start(new ProcessStartInfo("node", [Script(), "--ip", "127.0.0.1", "--smtp", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--web", WebPort.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("node did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 300; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("MailDev exited with code " + _process.ExitCode);
            }
            try
            {
                using var smtp = new TcpClient();
                await smtp.ConnectAsync(IPAddress.Loopback, SmtpPort);
                using var web = await _http.GetAsync(new Uri($"http://127.0.0.1:{WebPort}/email"));
                if (web.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("MailDev did not listen within 30 s");
    }

    /// <summary>Every message the server received: (to, subject, text).</summary>
    public async Task<IReadOnlyList<(string To, string Subject, string Text)>> ReceivedAsync()
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"http://127.0.0.1:{WebPort}/email")));
        return [.. json.RootElement.EnumerateArray().Select(m => (
            m.GetProperty("envelope").GetProperty("to")[0].GetProperty("address").GetString()!,
            m.GetProperty("subject").GetString()!,
            m.GetProperty("text").GetString()!))];
    }

    public async Task ClearAsync() => (await _http.DeleteAsync(new Uri($"http://127.0.0.1:{WebPort}/email/all"))).EnsureSuccessStatusCode();

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

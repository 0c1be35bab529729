using Microsoft.Extensions.Configuration;

namespace Tuntas.Notifications;

/// <summary>
/// Where messages go, from the <c>Notifications</c> configuration section (docs/notifications.md). A channel whose
/// settings are absent is off: its messages wait in the outbox (shown on the outbox page) until it is configured or
/// they run out of tries — they are never silently dropped.
/// </summary>
/// <param name="Smtp">The mail server for e-mail contacts, or null.</param>
/// <param name="Gateway">The SMS/WhatsApp gateway for mobile numbers, or null.</param>
/// <param name="MaxAttempts">Tries before a message is abandoned (status <see cref="OutboxStatus.Failed"/>).</param>
/// <param name="FirstRetry">The wait after the first failed try; each further failure waits four times longer, capped at <paramref name="LongestRetry"/>.</param>
/// <param name="Batch">Messages claimed per pass of the worker.</param>
public sealed record NotificationOptions(SmtpOptions? Smtp, GatewayOptions? Gateway, int MaxAttempts, TimeSpan FirstRetry, TimeSpan LongestRetry, int Batch)
{
    public static NotificationOptions Default { get; } = new(null, null, 6, TimeSpan.FromMinutes(1), TimeSpan.FromHours(6), 50);

    public static NotificationOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Notifications");
        int Int(IConfigurationSection s, string key, int fallback) =>
            int.TryParse(s[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
        var smtp = section.GetSection("Smtp");
        var gateway = section.GetSection("Gateway");
        return new NotificationOptions(
            smtp["Host"] is { Length: > 0 } host
                ? new SmtpOptions(host, Int(smtp, "Port", 587), smtp["From"] is { Length: > 0 } from ? from : "tuntas@localhost",
                    smtp["FromName"] is { Length: > 0 } name ? name : "Tuntas", smtp["User"], smtp["Password"],
                    smtp["Security"] is { Length: > 0 } security ? security : "auto")
                : null,
            gateway["Url"] is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
                ? new GatewayOptions(uri, gateway["Key"] ?? "", gateway["Channel"] is "whatsapp" ? "whatsapp" : "sms")
                : null,
            Int(section, "MaxAttempts", Default.MaxAttempts),
            TimeSpan.FromSeconds(Int(section, "FirstRetrySeconds", (int)Default.FirstRetry.TotalSeconds)),
            TimeSpan.FromSeconds(Int(section, "LongestRetrySeconds", (int)Default.LongestRetry.TotalSeconds)),
            Int(section, "Batch", Default.Batch));
    }

    /// <summary>The wait after the given number of failed tries: 1 min, 4 min, 16 min, 64 min, … (exponential back-off, capped).</summary>
    public TimeSpan RetryAfter(int attempts)
    {
        var seconds = FirstRetry.TotalSeconds * Math.Pow(4, Math.Max(0, attempts - 1));
        return seconds >= LongestRetry.TotalSeconds ? LongestRetry : TimeSpan.FromSeconds(seconds);
    }
}

/// <param name="Security">"auto" (STARTTLS when offered), "starttls", "ssl" (implicit TLS, port 465) or "none" (a local relay only).</param>
public sealed record SmtpOptions(string Host, int Port, string From, string FromName, string? User, string? Password, string Security);

/// <param name="Url">The gateway's send endpoint; a JSON POST per message.</param>
/// <param name="Key">Sent as <c>Authorization: Bearer</c>; never logged.</param>
/// <param name="Channel">"sms" or "whatsapp", passed to the gateway.</param>
public sealed record GatewayOptions(Uri Url, string Key, string Channel);

using Microsoft.Extensions.Logging;

namespace Tuntas.Notifications;

/// <summary>A message to a complainant or a handler. <see cref="Contact"/> is a phone number or e-mail address, or null for a handler unit.</summary>
public sealed record Notification(string Recipient, string? Contact, string Subject, string Text);

/// <summary>
/// The seam through which the complainant and the handler are told of a complaint's changes: an e-mail, SMS or
/// WhatsApp gateway implements it; register yours in Program.cs. The default only logs.
/// </summary>
public interface INotificationSender
{
    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}

/// <summary>
/// Logs each notification instead of sending it: the recipient and the contact masked — the log must not become a list
/// of citizens' phone numbers, nor of their complaints: a subject may name a health category ("Biaya berobat"), so
/// neither subject nor text is logged (UU PDP 27/2022).
/// </summary>
public sealed class LoggingNotificationSender(ILogger<LoggingNotificationSender> logger) : INotificationSender
{
    public Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        logger.LogInformation("Notification to {Recipient} ({Contact}), {Length} characters", notification.Recipient, Mask(notification.Contact),
            notification.Subject.Length + notification.Text.Length);
        return Task.CompletedTask;
    }

    public static string Mask(string? contact) => contact is null or { Length: < 4 } ? "-" : new string('•', contact.Length - 3) + contact[^3..];
}

using Microsoft.Extensions.Logging;

namespace Tuntas.Notifications;

/// <summary>
/// The <see cref="INotificationSender"/> of a running installation: a message with a contact (the complainant's phone
/// or e-mail, a stakeholder's address) is written to the outbox and delivered by <see cref="DeliverNotifications"/>
/// in the background — the citizen's request never waits for, or fails with, a mail server. A message for a handler
/// unit has no contact: handlers read their work in the back office, so it is only logged, as before.
/// </summary>
public sealed class NotificationOutbox(TuntasDb db, TimeProvider clock, ILogger<NotificationOutbox> logger) : INotificationSender
{
    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(notification.Contact))
        {
            logger.LogInformation("Notification to {Recipient} (no contact: back office only)", notification.Recipient);
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var contact = notification.Contact.Trim();
        db.NotificationOutbox.Add(new OutboxMessage
        {
            CreatedAt = now,
            Recipient = notification.Recipient,
            Channel = OutboxChannels.Of(contact),
            Contact = contact,
            Subject = notification.Subject,
            Text = notification.Text,
            Status = OutboxStatus.Pending,
            NextAttemptAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

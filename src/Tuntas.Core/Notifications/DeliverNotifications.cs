namespace Tuntas.Notifications;

/// <summary>
/// One pass of the outbox worker: the messages that are due are claimed, sent through the channel for their contact,
/// and marked sent, retried later with exponential back-off (<see cref="NotificationOptions.RetryAfter"/>), or
/// abandoned after <see cref="NotificationOptions.MaxAttempts"/> tries or a permanent refusal.
/// <para>
/// Claiming pushes the message's next try one lease ahead with a conditional update (same status and due time as
/// read, one row affected), so two web instances never send the same message, and a process killed mid-send leaves
/// it to be tried again when the lease runs out — at-least-once, which for an SMS beats never.
/// </para>
/// </summary>
public sealed class DeliverNotifications(TuntasDb db, IEnumerable<IMessageChannel> channels, NotificationOptions options, TimeProvider clock)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public sealed record Outcome(int Sent, int Retrying, int Failed);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.NotificationOutbox.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Take(options.Batch)
            .ToListAsync(cancellationToken);
        int sent = 0, retrying = 0, failed = 0;
        foreach (var message in due)
        {
            var leaseEnd = now + Lease;
            var claimed = await db.NotificationOutbox
                .Where(m => m.Id == message.Id && m.Status == OutboxStatus.Pending && m.NextAttemptAt == message.NextAttemptAt)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.NextAttemptAt, leaseEnd), cancellationToken);
            if (claimed != 1)
            {
                continue; // another instance has it
            }
            var channel = channels.FirstOrDefault(c => c.Serves == message.Channel);
            var delivery = channel is null
                ? Delivery.Retry(message.Channel == OutboxChannels.Email ? "server surat (SMTP) belum diatur" : "gateway SMS/WhatsApp belum diatur")
                : await channel.SendAsync(message, cancellationToken);
            var attempts = message.Attempts + 1;
            var at = clock.GetUtcNow().UtcDateTime;
            if (delivery.Sent)
            {
                sent++;
                await db.NotificationOutbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.Attempts, attempts).SetProperty(m => m.SentAt, at)
                    .SetProperty(m => m.LastError, (string?)null).SetProperty(m => m.ProviderRef, delivery.ProviderRef)
                    .SetProperty(m => m.Contact, Mask(message.Contact)), cancellationToken);
            }
            else if (delivery.Permanent || attempts >= options.MaxAttempts)
            {
                failed++;
                await db.NotificationOutbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.Status, OutboxStatus.Failed).SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LastError, delivery.Error).SetProperty(m => m.Contact, Mask(message.Contact)), cancellationToken);
            }
            else
            {
                retrying++;
                var next = at + options.RetryAfter(attempts);
                await db.NotificationOutbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, next)
                    .SetProperty(m => m.LastError, delivery.Error), cancellationToken);
            }
        }
        return new Outcome(sent, retrying, failed);
    }

    /// <summary>
    /// A contact as the back office shows it and as a finished message keeps it: the last three characters of a number,
    /// the first letter and the domain of an address (enough to tell "did it go to the right one?" with the citizen on
    /// the phone, not enough to contact them).
    /// </summary>
    public static string Mask(string contact)
    {
        var at = contact.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return contact[0] + new string('•', Math.Max(3, at - 1)) + contact[at..];
        }
        return LoggingNotificationSender.Mask(contact);
    }
}

using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Notifications;

/// <summary>
/// One message waiting for, or past, delivery (<c>notification_outbox</c>). Written in the request that caused it, sent
/// by <see cref="DeliverNotifications"/>, so a mail server or gateway that is down delays a message and never loses it
/// nor fails the citizen's complaint.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Who it is for, in the sender's words ("pelapor", "pemangku:12"); never a name.</summary>
    public required string Recipient { get; set; }

    /// <summary><see cref="OutboxChannels.Email"/> or <see cref="OutboxChannels.Phone"/>, from the contact's shape.</summary>
    public required string Channel { get; set; }

    /// <summary>The address or number while the message may still be sent; masked once it is sent or abandoned.</summary>
    public required string Contact { get; set; }

    public required string Subject { get; set; }
    public required string Text { get; set; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>The gateway's or mail server's id for the message, to trace it on their side.</summary>
    public string? ProviderRef { get; set; }
}

/// <summary>The states of an outbox message: waiting (first try or a retry), sent, or abandoned after the last try.</summary>
public static class OutboxStatus
{
    public const string Pending = "menunggu";
    public const string Sent = "terkirim";
    public const string Failed = "gagal";

    public static IReadOnlyList<string> All { get; } = [Pending, Sent, Failed];
}

public static class OutboxChannels
{
    public const string Email = "email";
    public const string Phone = "hp";

    /// <summary>E-mail when the contact has an @, otherwise a mobile number (the complaint form accepts only these two).</summary>
    public static string Of(string contact) => contact.Contains('@', StringComparison.Ordinal) ? Email : Phone;
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder) => builder.ToTable("notification_outbox");
}

using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Dci.Subscriptions;

/// <summary>
/// A DCI client's subscription to family changes (DCI registry core API v1.0.0, <c>POST /registry/subscribe</c>): which
/// changes (<see cref="EventType"/>), which families (<see cref="CriteriaJson"/>, the search criteria language), and where
/// the <c>notify</c> messages go (<see cref="NotifyUrl"/>, on the client's allowed callback list). The registry's change
/// history (<c>family_changes</c>, written by the one registry writer) is read from <see cref="CursorChangeId"/> on.
/// </summary>
public sealed class DciSubscription
{
    public long Id { get; set; }
    public long ApiClientId { get; set; }
    /// <summary>The standard's <c>subscription_code</c>, given to the client: random, unguessable.</summary>
    public required string Code { get; set; }
    public required string TransactionId { get; set; }
    public required string ReferenceId { get; set; }
    /// <summary><see cref="DciEventTypes"/>.</summary>
    public required string EventType { get; set; }
    /// <summary><c>{"query_type", "query"}</c> as the search reads it (filter_type and filter of the subscription).</summary>
    public required string CriteriaJson { get; set; }
    public required string NotifyUrl { get; set; }
    /// <summary><see cref="DciSubscriptionStates"/>: the standard's <c>SubscriptionStatus</c>.</summary>
    public required string State { get; set; }
    /// <summary>The last <c>family_changes.id</c> already turned into notifications (or seen when subscribing).</summary>
    public long CursorChangeId { get; set; }
    /// <summary>The criteria's <c>frequency</c> (a cron expression, regency time; <see cref="NotifySchedule"/>); null: told as they happen.</summary>
    public string? Frequency { get; set; }
    /// <summary>The span (<c>start_time</c>, <c>end_time</c>) in which <see cref="Frequency"/> applies; null: open.</summary>
    public DateTime? FrequencyStart { get; set; }
    public DateTime? FrequencyEnd { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? EndedAt { get; set; }
}

/// <summary>
/// One family change to tell one subscriber. It holds no personal data: the family's record is read, within the
/// subscriber's scope, when the notification is sent.
/// </summary>
public sealed class DciNotification
{
    public long Id { get; set; }
    public long SubscriptionId { get; set; }
    public long FamilyId { get; set; }
    /// <summary>The history line (<c>family_changes.id</c>) that made it: the order in which a family's changes are told.</summary>
    public long ChangeId { get; set; }
    public required string EventType { get; set; }
    /// <summary><see cref="DciNotificationStates"/>.</summary>
    public required string State { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
}

/// <summary>The public key an API client signs its DCI messages with (<c>signature</c>; docs/dci.md).</summary>
public sealed class DciClientKey
{
    public long ApiClientId { get; set; }
    /// <summary>The <c>unique_key_id</c> part of the signature's <c>keyId</c> (<c>{sender_id}|{unique_key_id}|{algorithm}</c>).</summary>
    public required string KeyId { get; set; }
    public required string Algorithm { get; set; }
    /// <summary>The raw public key, base64.</summary>
    public required string PublicKey { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The <c>reg_event_type</c>s a subscription can ask for.</summary>
public static class DciEventTypes
{
    /// <summary>A family appears in the registry: its <see cref="RegisteredField"/> line (an import of a new family, a pecah KK).</summary>
    public const string Register = "REGISTER";

    /// <summary>The history line the import and the registry writer append for a new family (docs/registry.md).</summary>
    public const string RegisteredField = "KELUARGA_BARU";
    /// <summary>Any change to a family or its members, its registration included.</summary>
    public const string Update = "UPDATE";
}

public static class DciSubscriptionStates
{
    public const string Subscribed = "subscribe";
    public const string Unsubscribed = "unsubscribe";
}

/// <summary>pending → delivered; failed after the last try; dropped when the family left the scope or the subscription ended.</summary>
public static class DciNotificationStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Dropped = "dropped";
}

internal sealed class DciSubscriptionConfiguration : IEntityTypeConfiguration<DciSubscription>, IEntityTypeConfiguration<DciNotification>, IEntityTypeConfiguration<DciClientKey>
{
    public void Configure(EntityTypeBuilder<DciSubscription> builder)
    {
        builder.ToTable("dci_subscriptions");
        builder.HasIndex(s => s.Code).IsUnique();
    }

    public void Configure(EntityTypeBuilder<DciNotification> builder)
    {
        builder.ToTable("dci_notifications");
        builder.HasIndex(n => new { n.SubscriptionId, n.State, n.Id });
    }

    public void Configure(EntityTypeBuilder<DciClientKey> builder)
    {
        builder.ToTable("dci_client_keys");
        builder.HasKey(k => k.ApiClientId);
        builder.Property(k => k.ApiClientId).ValueGeneratedNever();
    }
}

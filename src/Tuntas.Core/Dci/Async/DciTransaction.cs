using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Dci.Async;

/// <summary>
/// One asynchronous DCI message from a client (<c>POST /registry/search</c>, <c>POST /registry/txn/status</c>): received,
/// answered by the worker, then delivered to the client's callback until the callback says 2xx. The request and the
/// answer hold personal data and identifiers: they are kept only until delivered (or given up), then cleared; what stays
/// is the statuses per reference (<see cref="StatusJson"/>) that <c>txn/status</c> answers with.
/// </summary>
public sealed class DciTransaction
{
    public long Id { get; set; }
    public long ApiClientId { get; set; }
    /// <summary><see cref="DciTransactionKinds"/>: the action received (<c>search</c>, <c>txn-status</c>).</summary>
    public required string Kind { get; set; }
    public required string TransactionId { get; set; }
    /// <summary>Given in the ACK and in the callback's <c>correlation_id</c>.</summary>
    public required string CorrelationId { get; set; }
    public required string MessageId { get; set; }
    /// <summary>The client's <c>header.sender_uri</c>, checked against its allowed list when received.</summary>
    public required string CallbackUrl { get; set; }
    public string? RequestJson { get; set; }
    public string? ResponseJson { get; set; }
    /// <summary><see cref="DciTransactionStates"/>.</summary>
    public required string State { get; set; }
    /// <summary>The answer's header status (<c>succ</c>, <c>rjct</c>) once answered.</summary>
    public string? Status { get; set; }
    /// <summary>Per reference: <c>[{reference_id, status, status_reason_code}]</c>, no records, kept for txn/status.</summary>
    public string? StatusJson { get; set; }
    /// <summary>What was searched and how much came back (the audit summary: no NIK, no NO_KK).</summary>
    public string? Summary { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
}

public static class DciTransactionKinds
{
    public const string Search = "search";
    public const string TxnStatus = "txn-status";
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";
}

/// <summary>received → answered → delivered, or failed when the callback never accepted the answer.</summary>
public static class DciTransactionStates
{
    public const string Received = "received";
    public const string Answered = "answered";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

internal sealed class DciTransactionConfiguration : IEntityTypeConfiguration<DciTransaction>
{
    public void Configure(EntityTypeBuilder<DciTransaction> builder)
    {
        builder.ToTable("dci_transactions");
        builder.HasIndex(t => new { t.State, t.NextAttemptAt });
    }
}

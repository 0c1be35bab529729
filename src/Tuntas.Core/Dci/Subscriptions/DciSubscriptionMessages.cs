namespace Tuntas.Dci.Subscriptions;

/// <summary><c>SubscribeResponse</c> (registry_core_api_v1.0.0), the message of <c>on-subscribe</c>.</summary>
public sealed record DciSubscribeResponse(string TransactionId, string CorrelationId, IReadOnlyList<DciSubscribeResult> SubscribeResponse);

public sealed record DciSubscribeResult(
    string ReferenceId, string Timestamp, string Status, string? StatusReasonCode, string? StatusReasonMessage,
    IReadOnlyList<DciSubscriptionInfo>? Subscriptions);

/// <summary>
/// <c>SubscriptionInfo</c>. The published schema lists <c>code</c> and the criteria's fields as properties but requires
/// <c>subscription_code</c> and <c>subscribe_criteria</c>: both spellings are sent, so the answer satisfies the schema as
/// written and a client reading either finds them.
/// </summary>
public sealed record DciSubscriptionInfo(
    string Version, string Code, string SubscriptionCode, string Status, string Timestamp, string RegType, string RegEventType,
    string FilterType, JsonElement Filter, string NotifyRecordType, JsonElement SubscribeCriteria);

/// <summary><c>UnSubscribeResponse</c>, the message of <c>on-unsubscribe</c>.</summary>
public sealed record DciUnsubscribeResponse(
    string TransactionId, string CorrelationId, string Timestamp, string Status, string? StatusReasonCode, string? StatusReasonMessage,
    IReadOnlyList<DciSubscriptionStatus> SubscriptionStatus);

public sealed record DciSubscriptionStatus(string Code, string Status);

/// <summary><c>NotifyEventRequest</c>, the message of <c>notify</c>: one event per family change.</summary>
public sealed record DciNotifyRequest(string TransactionId, IReadOnlyList<DciNotifyEvent> NotifyEvent);

public sealed record DciNotifyEvent(string ReferenceId, string Timestamp, DciNotifyData Data);

/// <summary>The family as a <c>Group</c> record (<c>reg_records</c> is one record in the standard's notify).</summary>
public sealed record DciNotifyData(string Version, string RegType, string RegRecordType, object RegRecords);

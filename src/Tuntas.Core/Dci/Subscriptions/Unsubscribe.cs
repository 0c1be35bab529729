namespace Tuntas.Dci.Subscriptions;

/// <summary>
/// DCI <c>POST /registry/unsubscribe</c> (registry_core_api_v1.0.0, <c>UnSubscribeRequest</c>): ends the client's
/// subscriptions named by their codes; notifications not yet sent for them are dropped by the worker. All or nothing: a code this
/// client does not have (unknown, or another client's — the two are answered alike) is
/// <c>rjct.subscription_code.invalid</c>, one already ended <c>rjct.event.already_unsubscribed</c>, and then none is ended.
/// </summary>
public sealed class Unsubscribe(TuntasDb db, TimeProvider clock, DciOptions options, SyncSearch search)
{
    public const string Action = "unsubscribe";
    public const string CallbackAction = "on-unsubscribe";

    public const string SubscriptionCodeInvalid = "rjct.subscription_code.invalid";
    public const string AlreadyUnsubscribed = "rjct.event.already_unsubscribed";

    public sealed record Input(JsonElement Request, long ClientId, string CorrelationId);

    public sealed record Outcome(DciResponse<DciUnsubscribeResponse> Response, string Summary);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stamp = SyncSearch.Stamp(now);
        var header = input.Request.GetProperty("header");
        var message = input.Request.GetProperty("message");
        var senderId = SearchCriteria.Text(header, "sender_id")!;
        var transactionId = SearchCriteria.Text(message, "transaction_id")!;
        // The published UnSubscribeRequest spells the list subscription_codes (and requires "sunscription_codes"): both are read.
        var list = message.TryGetProperty("subscription_codes", out var l) || message.TryGetProperty("sunscription_codes", out l) ? l : default;
        var codes = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(SearchCriteria.Scalar).ToList() : [];
        Outcome Reply(string status, string? code, string? text, IReadOnlyList<DciSubscriptionStatus> statuses, string summary) => new(
            new DciResponse<DciUnsubscribeResponse>(
                new DciCallbackHeader(DciOptions.Version, Guid.NewGuid().ToString("N"), stamp, CallbackAction, status, null, null,
                    codes.Count, status == DciStatus.Succeeded ? codes.Count : 0, options.SenderId, senderId),
                new DciUnsubscribeResponse(transactionId, input.CorrelationId, stamp, status, code, text, statuses)),
            summary);

        if (search.CheckHeader(header, Action, codes.Count, now) is { } rejected)
        {
            var outcome = Reply(DciStatus.Rejected, null, null, [], "ditolak " + rejected.Code);
            return outcome with { Response = outcome.Response with { Header = outcome.Response.Header with { StatusReasonCode = rejected.Code, StatusReasonMessage = rejected.Message } } };
        }
        if (codes.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 99) || codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
        {
            return Reply(DciStatus.Rejected, SubscriptionCodeInvalid, "subscription_codes must be distinct codes of at most 99 characters.", [], "ditolak " + SubscriptionCodeInvalid);
        }
        var wanted = codes.OfType<string>().ToList();
        var found = await db.Set<DciSubscription>().Where(s => s.ApiClientId == input.ClientId && wanted.Contains(s.Code)).ToListAsync(cancellationToken);
        if (found.Count != wanted.Count)
        {
            return Reply(DciStatus.Rejected, SubscriptionCodeInvalid, "This client has no subscription with one of these codes.", [], "ditolak " + SubscriptionCodeInvalid);
        }
        if (found.Any(s => s.State != DciSubscriptionStates.Subscribed))
        {
            return Reply(DciStatus.Rejected, AlreadyUnsubscribed, "One of these subscriptions has already ended.",
                [.. found.Select(s => new DciSubscriptionStatus(s.Code, s.State))], "ditolak " + AlreadyUnsubscribed);
        }
        foreach (var subscription in found)
        {
            subscription.State = DciSubscriptionStates.Unsubscribed;
            subscription.EndedAt = now.UtcDateTime;
        }
        return Reply(DciStatus.Succeeded, null, null, [.. found.Select(s => new DciSubscriptionStatus(s.Code, DciSubscriptionStates.Unsubscribed))],
            $"berhenti {found.Count} langganan");
    }
}

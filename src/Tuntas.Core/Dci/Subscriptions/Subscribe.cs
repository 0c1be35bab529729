using Microsoft.Extensions.Options;
using Tuntas.Dci.Async;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Dci.Subscriptions;

/// <summary>
/// DCI <c>POST /registry/subscribe</c> (registry_core_api_v1.0.0, <c>SubscribeRequest</c>): each <c>subscribe_request</c>
/// becomes a subscription of the client to changes of the families its filter selects — the search's criteria language
/// (<see cref="SearchCriteria"/>: <c>filter_type</c> idtype-value, expression or predicate), inside the client's scope —
/// told by <c>notify</c> from the next change on (<see cref="QueueNotifications"/>). The answer is the standard's
/// <c>SubscribeResponse</c>, posted to the client's <c>on-subscribe</c> by the worker; a request the registry refuses gets
/// its reason code (<c>SubscribeStatusReasonCode</c>) and no subscription.
/// </summary>
public sealed class Subscribe(TuntasDb db, TimeProvider clock, DciOptions options, SyncSearch search, ResolveAccessScope resolve,
    IOptions<RegencyOptions>? regency = null)
{
    public const string Action = "subscribe";
    public const string CallbackAction = "on-subscribe";
    public const string NotifyAction = "notify";

    public const string NotifyTypesInvalid = "rjct.notify_types.invalid";
    public const string NotifyDetailsInvalid = "rjct.notify_details.invalid";
    public const string AlreadySubscribed = "rjct.event.already_subscribed";

    /// <param name="Callback">The message's <c>sender_uri</c>, already checked against the client's allowed list.</param>
    public sealed record Input(JsonElement Request, long ClientId, string Callback, string CorrelationId);

    public sealed record Outcome(DciResponse<DciSubscribeResponse> Response, string Summary);

    /// <summary>
    /// Where <c>notify</c> goes: beside the <c>on-subscribe</c> callback (<c>…/on-subscribe</c> → <c>…/notify</c>), or the
    /// callback itself when it does not end so (the header's <c>action</c> tells the two apart).
    /// </summary>
    public static string NotifyUrl(string callback)
    {
        var uri = new Uri(callback);
        var path = uri.AbsolutePath;
        return path.EndsWith("/" + CallbackAction, StringComparison.Ordinal)
            ? new UriBuilder(uri) { Path = path[..^CallbackAction.Length] + NotifyAction }.Uri.AbsoluteUri
            : callback;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var root = input.Request;
        var header = root.GetProperty("header");
        var message = root.GetProperty("message");
        var senderId = SearchCriteria.Text(header, "sender_id")!;
        var transactionId = SearchCriteria.Text(message, "transaction_id")!;
        var requests = message.TryGetProperty("subscribe_request", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
        var count = requests.ValueKind == JsonValueKind.Array ? requests.GetArrayLength() : 0;
        if (search.CheckHeader(header, Action, count, now) is { } rejected)
        {
            return new Outcome(Reply(senderId, DciStatus.Rejected, rejected, count, [], transactionId, input.CorrelationId, now), "ditolak " + rejected.Code);
        }

        var client = await db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == input.ClientId, cancellationToken);
        var scope = await resolve.RunAsync(new ResolveAccessScope.Input(null, client.Role, client.RegionCode, client.Organization), cancellationToken);
        var active = await db.Set<DciSubscription>().AsNoTracking()
            .Where(s => s.ApiClientId == input.ClientId && s.State == DciSubscriptionStates.Subscribed)
            .Select(s => s.EventType + " " + s.CriteriaJson).ToListAsync(cancellationToken);
        var taken = active.ToHashSet(StringComparer.Ordinal);
        var cursor = await db.FamilyChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
        var stamp = SyncSearch.Stamp(now);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<DciSubscribeResult>(count);
        var summary = new List<string>();
        foreach (var item in requests.EnumerateArray())
        {
            var referenceId = item.ValueKind == JsonValueKind.Object ? SearchCriteria.Text(item, "reference_id") : null;
            DciSubscribeResult Refuse(string code, string text)
            {
                summary.Add("ditolak " + code);
                return new(referenceId ?? "", stamp, DciStatus.Rejected, code, text, null);
            }
            if (string.IsNullOrWhiteSpace(referenceId) || referenceId.Length > 99)
            {
                results.Add(Refuse(DciCodes.ReferenceIdInvalid, "reference_id is required (at most 99 characters)."));
                continue;
            }
            if (!seen.Add(referenceId))
            {
                results.Add(Refuse(DciCodes.ReferenceIdDuplicate, "reference_id appears twice in this message."));
                continue;
            }
            if (SearchCriteria.Text(item, "timestamp") is not { } ts || !DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                || !SyncSearch.HasOffset(ts))
            {
                results.Add(Refuse(DciCodes.TimestampInvalid, "timestamp must be an ISO 8601 time with its offset."));
                continue;
            }
            var criteria = item.TryGetProperty("subscribe_criteria", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            var eventType = SearchCriteria.Text(criteria, "reg_event_type");
            if (eventType is not (DciEventTypes.Register or DciEventTypes.Update) || SearchCriteria.Text(criteria, "notify_record_type") != GroupRecords.GroupRecordType)
            {
                results.Add(Refuse(NotifyTypesInvalid, "reg_event_type must be REGISTER or UPDATE and notify_record_type Group."));
                continue;
            }
            var filterType = SearchCriteria.Text(criteria, "filter_type") ?? SearchCriteria.IdTypeValue;
            if (!criteria.TryGetProperty("filter", out var filter))
            {
                results.Add(Refuse(NotifyDetailsInvalid, "subscribe_criteria.filter is required."));
                continue;
            }
            var stored = JsonSerializer.Serialize(new Dictionary<string, object> { ["query_type"] = filterType, ["query"] = filter });
            using var storedDocument = JsonDocument.Parse(stored);
            var (read, rejection) = SearchCriteria.Read(storedDocument.RootElement, options.MaxPageSize);
            if (read is null)
            {
                results.Add(Refuse(NotifyDetailsInvalid, rejection!.Message));
                continue;
            }
            var (_, refused) = await search.FilterAsync(read, scope, null, cancellationToken);
            if (refused is not null)
            {
                // A location wholly outside the client's scope, an unknown program: the search's reason, in the subscription's code.
                results.Add(Refuse(NotifyDetailsInvalid, refused.Message));
                continue;
            }
            // The criteria's frequency (a cron schedule): the changes are held and told together on it (NotifySchedule).
            var (schedule, unscheduled) = NotifySchedule.Read(criteria, RegencyOptions.Of(regency).Zone, now.UtcDateTime);
            if (unscheduled is not null)
            {
                results.Add(Refuse(NotifyDetailsInvalid, unscheduled));
                continue;
            }
            if (!taken.Add(eventType + " " + stored))
            {
                results.Add(Refuse(AlreadySubscribed, "This client already has an active subscription with this event type and filter."));
                continue;
            }
            var subscription = new DciSubscription
            {
                ApiClientId = input.ClientId,
                Code = Guid.NewGuid().ToString("N"),
                TransactionId = transactionId,
                ReferenceId = referenceId,
                EventType = eventType,
                CriteriaJson = stored,
                NotifyUrl = NotifyUrl(input.Callback),
                State = DciSubscriptionStates.Subscribed,
                CursorChangeId = cursor,
                Frequency = schedule?.Expression,
                FrequencyStart = schedule?.Start,
                FrequencyEnd = schedule?.End,
                CreatedAt = now.UtcDateTime,
            };
            db.Add(subscription);
            summary.Add($"langganan {eventType} {filterType}" + (schedule is null ? "" : " jadwal " + schedule.Expression));
            results.Add(new DciSubscribeResult(referenceId, stamp, DciStatus.Succeeded, null, null,
            [
                new DciSubscriptionInfo(DciOptions.Version, subscription.Code, subscription.Code, DciSubscriptionStates.Subscribed, stamp,
                    SyncSearch.RegistryType, eventType, filterType, filter.Clone(), GroupRecords.GroupRecordType, criteria.Clone()),
            ]));
        }
        var succeeded = results.Count(r => r.Status == DciStatus.Succeeded);
        return new Outcome(Reply(senderId, succeeded > 0 ? DciStatus.Succeeded : DciStatus.Rejected, null, count, results, transactionId, input.CorrelationId, now),
            string.Join("; ", summary));
    }

    private DciResponse<DciSubscribeResponse> Reply(string receiver, string status, SearchCriteria.Rejection? rejection, int total,
        IReadOnlyList<DciSubscribeResult> results, string transactionId, string correlationId, DateTimeOffset now) =>
        new(new DciCallbackHeader(DciOptions.Version, Guid.NewGuid().ToString("N"), SyncSearch.Stamp(now), CallbackAction, status,
                rejection?.Code, rejection?.Message, total, results.Count(r => r.Status == DciStatus.Succeeded), options.SenderId, receiver),
            new DciSubscribeResponse(transactionId, correlationId, results));
}

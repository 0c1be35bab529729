using Tuntas.Audit;
using Tuntas.Dci.Async;
using Tuntas.Dci.Signatures;

namespace Tuntas.Dci.Subscriptions;

/// <summary>
/// Sends the queued notifications (<see cref="DciNotification"/>) to each subscriber's <c>notify</c> endpoint as the
/// standard's <c>NotifyEventRequest</c>: up to <see cref="BatchSize"/> family changes per message, one <c>notify_event</c>
/// each with the family's <c>Group</c> record as it is now, read inside the client's scope (a family that left the scope
/// is dropped, not sent) with the client's role's masking.
/// <list type="bullet">
/// <item>At least once: a 2xx marks the batch delivered; anything else (or no answer within 30 s) leaves it pending, tried
/// again after 5 s, 10 s, 20 s … at most an hour apart, given up after <see cref="ProcessDciTransactions.MaxAttempts"/> tries.
/// Each event's <c>reference_id</c> (<c>&lt;subscription code&gt;-&lt;notification id&gt;</c>) stays the same on every try,
/// so the subscriber can drop a duplicate.</item>
/// <item>In order: a subscription's notifications go strictly in queue order — while the oldest waits for its retry,
/// nothing after it is sent — so a family's changes arrive in the order they were made.</item>
/// </list>
/// Each delivered batch is one audit entry (a disclosure of personal data to the client), without any identifier.
/// </summary>
public sealed class DeliverNotifications(TuntasDb db, TimeProvider clock, SyncSearch search, ResolveAccessScope resolve, AuditWriter audit,
    DciCallbackHttp callbacks, DciSigner signer, DciOptions options)
{
    public const int BatchSize = 100;

    public sealed record Outcome(int Delivered, int Retried, int Failed, int Dropped);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ended = db.Set<DciSubscription>().Where(s => s.State != DciSubscriptionStates.Subscribed).Select(s => s.Id);
        var dropped = await db.Set<DciNotification>().Where(n => n.State == DciNotificationStates.Pending && ended.Contains(n.SubscriptionId))
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.State, DciNotificationStates.Dropped), cancellationToken);
        // The head of each subscription's queue decides: nothing behind it goes before it.
        var heads = await db.Set<DciNotification>().AsNoTracking().Where(n => n.State == DciNotificationStates.Pending)
            .GroupBy(n => n.SubscriptionId).Select(g => g.Min(n => n.Id)).ToListAsync(cancellationToken);
        var due = await db.Set<DciNotification>().AsNoTracking().Where(n => heads.Contains(n.Id) && n.NextAttemptAt <= now)
            .Select(n => n.SubscriptionId).ToListAsync(cancellationToken);
        int delivered = 0, retried = 0, failed = 0;
        foreach (var subscriptionId in due.Order())
        {
            var subscription = await db.Set<DciSubscription>().AsNoTracking().SingleAsync(s => s.Id == subscriptionId, cancellationToken);
            var client = await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == subscription.ApiClientId && !c.Disabled, cancellationToken);
            if (client is null)
            {
                // A disabled client is told nothing; its queue waits.
                continue;
            }
            // In queue order, up to the first one not yet due: a scheduled subscription's later changes wait for their time.
            var batch = (await db.Set<DciNotification>().Where(n => n.SubscriptionId == subscriptionId && n.State == DciNotificationStates.Pending)
                .OrderBy(n => n.Id).Take(BatchSize).ToListAsync(cancellationToken)).TakeWhile(n => n.NextAttemptAt <= now).ToList();
            var (sent, gone) = await SendAsync(subscription, client, batch, cancellationToken);
            dropped += gone;
            if (sent is true)
            {
                delivered += batch.Count(n => n.State == DciNotificationStates.Delivered);
            }
            else if (sent is false)
            {
                if (batch.Any(n => n.State == DciNotificationStates.Failed))
                {
                    failed++;
                }
                else
                {
                    retried++;
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        return new Outcome(delivered, retried, failed, dropped);
    }

    /// <summary>Posts one batch; true when delivered, false when it failed, null when nothing was left to send.</summary>
    private async Task<(bool? Sent, int Dropped)> SendAsync(DciSubscription subscription, Users.ApiClient client, List<DciNotification> batch,
        CancellationToken cancellationToken)
    {
        var scope = await resolve.RunAsync(new ResolveAccessScope.Input(null, client.Role, client.RegionCode, client.Organization), cancellationToken);
        var familyIds = batch.Select(n => n.FamilyId).Distinct().ToList();
        var visible = await scope.Apply(db.Families.AsNoTracking()).Where(f => familyIds.Contains(f.Id)).Select(f => f.Id).ToListAsync(cancellationToken);
        var run = await search.LatestRunAsync(cancellationToken);
        var group = new SearchCriteria(null, [], [], BatchSize, 1, false);
        var records = (await search.RecordsAsync(visible, group, run, DciDisclosure.ForRole(client.Role), cancellationToken))
            .Cast<DciGroup>().ToDictionary(g => g.Id, StringComparer.Ordinal);
        var dropped = 0;
        var events = new List<DciNotifyEvent>(batch.Count);
        var sending = new List<DciNotification>(batch.Count);
        foreach (var notification in batch)
        {
            if (!records.TryGetValue(GroupRecords.GroupId(notification.FamilyId), out var record))
            {
                notification.State = DciNotificationStates.Dropped;
                dropped++;
                continue;
            }
            sending.Add(notification);
            events.Add(new DciNotifyEvent(subscription.Code + "-" + notification.Id.ToString(CultureInfo.InvariantCulture),
                GroupRecords.Timestamp(notification.CreatedAt), new DciNotifyData(DciOptions.Version, SyncSearch.RegistryType, GroupRecords.GroupRecordType, record)));
        }
        if (sending.Count == 0)
        {
            return (null, dropped);
        }
        var now = clock.GetUtcNow();
        var message = new DciResponse<DciNotifyRequest>(
            new DciCallbackHeader(DciOptions.Version, Guid.NewGuid().ToString("N"), SyncSearch.Stamp(now), Subscribe.NotifyAction, DciStatus.Succeeded,
                null, null, events.Count, events.Count, options.SenderId, null),
            new DciNotifyRequest(subscription.Code + "-" + sending[0].Id.ToString(CultureInfo.InvariantCulture), events));
        var error = await callbacks.PostAsync(subscription.NotifyUrl, signer.Sign(JsonSerializer.Serialize(message, DciJson.Json)), cancellationToken);
        var attempts = sending.Max(n => n.Attempts) + 1;
        foreach (var notification in sending)
        {
            notification.Attempts = attempts;
            notification.LastError = error;
            if (error is null)
            {
                notification.State = DciNotificationStates.Delivered;
                notification.DeliveredAt = now.UtcDateTime;
            }
            else if (attempts >= ProcessDciTransactions.MaxAttempts)
            {
                notification.State = DciNotificationStates.Failed;
            }
            else
            {
                notification.NextAttemptAt = now.UtcDateTime + ProcessDciTransactions.Backoff(attempts);
            }
        }
        if (error is null)
        {
            await audit.AppendAsync(new AppendAudit.Input(client.Actor(), AuditActions.ViewPersonalData, "keluarga", null,
                $"DCI notify: {sending.Count} keluarga — dikirim ke / sent to {new Uri(subscription.NotifyUrl).GetLeftPart(UriPartial.Authority)} (langganan {subscription.Code})",
                client.Role, "dci-worker"));
        }
        return (error is null, dropped);
    }
}

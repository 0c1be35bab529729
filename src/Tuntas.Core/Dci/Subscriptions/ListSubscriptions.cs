using Microsoft.Extensions.Options;
using Tuntas.Regions;

namespace Tuntas.Dci.Subscriptions;

/// <summary>
/// The DCI subscriptions and the state of their deliveries, for the administrator (back office <c>/Pengguna/Dci</c>, API
/// <c>GET /api/dci-subscriptions</c>): per subscription how many notifications are pending, delivered, failed and dropped,
/// and — when the oldest pending one was refused — its last error and the time of its next try. Ids and states only:
/// no family, no person.
/// </summary>
public sealed class ListSubscriptions(TuntasDb db, IOptions<RegencyOptions> regency)
{
    /// <param name="Delivery">pending, delivered, failing (the oldest pending notification was refused at least once) or failed.</param>
    /// <param name="LastError">The head's last error while failing (HTTP status, network error, timeout).</param>
    /// <param name="NextAttemptAt">The head's next try while failing, or the time a scheduled subscription's held changes go out.</param>
    /// <param name="Frequency">The subscription's notify schedule (a cron expression, regency time); null: told as they happen.</param>
    public sealed record Line(
        long Id, long ApiClientId, string ClientName, string Code, string EventType, string FilterType, string NotifyUrl, string State,
        DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, long CursorChangeId, int Pending, int Delivered, int Failed, int Dropped,
        string Delivery, int Attempts, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastDeliveredAt, string? Frequency);

    public async Task<IReadOnlyList<Line>> RunAsync(long? id, CancellationToken cancellationToken)
    {
        var subscriptions = await db.Set<DciSubscription>().AsNoTracking().Where(s => id == null || s.Id == id)
            .Join(db.ApiClients, s => s.ApiClientId, c => c.Id, (s, c) => new { Subscription = s, c.Name })
            .OrderByDescending(x => x.Subscription.Id).Take(500).ToListAsync(cancellationToken);
        var ids = subscriptions.Select(x => x.Subscription.Id).ToList();
        var counts = (await db.Set<DciNotification>().AsNoTracking().Where(n => ids.Contains(n.SubscriptionId))
                .GroupBy(n => new { n.SubscriptionId, n.State })
                .Select(g => new { g.Key.SubscriptionId, g.Key.State, Count = g.Count(), Last = g.Max(n => n.DeliveredAt) }).ToListAsync(cancellationToken))
            .ToLookup(x => x.SubscriptionId);
        var headIds = db.Set<DciNotification>().Where(n => ids.Contains(n.SubscriptionId) && n.State == DciNotificationStates.Pending)
            .GroupBy(n => n.SubscriptionId).Select(g => g.Min(n => n.Id));
        var heads = await db.Set<DciNotification>().AsNoTracking().Where(n => headIds.Contains(n.Id)).ToDictionaryAsync(n => n.SubscriptionId, cancellationToken);
        var zone = regency.Value;
        DateTimeOffset At(DateTime utc) => new(zone.ToRegency(utc), zone.Zone.GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
        return [.. subscriptions.Select(x =>
        {
            var s = x.Subscription;
            int Count(string state) => counts[s.Id].Where(c => c.State == state).Sum(c => c.Count);
            var head = heads.GetValueOrDefault(s.Id);
            var last = counts[s.Id].Where(c => c.State == DciNotificationStates.Delivered).Select(c => c.Last).FirstOrDefault();
            var failing = head is { Attempts: > 0 };
            var delivery = failing ? "failing" : head is not null ? DciNotificationStates.Pending
                : Count(DciNotificationStates.Failed) > 0 ? DciNotificationStates.Failed : DciNotificationStates.Delivered;
            using var criteria = JsonDocument.Parse(s.CriteriaJson);
            return new Line(s.Id, s.ApiClientId, x.Name, s.Code, s.EventType, SearchCriteria.Text(criteria.RootElement, "query_type") ?? "", s.NotifyUrl, s.State,
                At(s.CreatedAt), s.EndedAt is { } ended ? At(ended) : null, s.CursorChangeId,
                Count(DciNotificationStates.Pending), Count(DciNotificationStates.Delivered), Count(DciNotificationStates.Failed), Count(DciNotificationStates.Dropped),
                delivery, head?.Attempts ?? 0, failing ? head!.LastError : null, failing || (head is not null && s.Frequency is not null) ? At(head!.NextAttemptAt) : null, last is { } l ? At(l) : null, s.Frequency);
        })];
    }
}

using Microsoft.Extensions.Options;
using Tuntas.Regions;

namespace Tuntas.Dci.Subscriptions;

/// <summary>
/// Turns the registry's change history (<c>family_changes</c>, the lines the one registry writer appends with every change)
/// into notifications (<see cref="DciNotification"/>) for each active subscription: the families changed after the
/// subscription's cursor that its filter selects, inside its client's scope as resolved now, each with its last change in
/// the window — in the order of the history, so a family's changes are told in the order they were made. The
/// notification holds ids only; the record is read when it is sent (<see cref="DeliverNotifications"/>), at once or — for
/// a subscription with a <c>frequency</c> — at its schedule's next time (<see cref="NotifySchedule"/>).
/// <para>
/// History ids are handed out in one order and committed in another when two writers run at once (PostgreSQL: the
/// registry writer shares its lock). The history is read only up to a high-water mark taken while holding the registry
/// lock exclusively for an instant: every line below it is committed, none can appear there later. SQLite has one writer
/// at a time, so its last id is already such a mark.
/// </para>
/// </summary>
public sealed class QueueNotifications(TuntasDb db, TimeProvider clock, SyncSearch search, ResolveAccessScope resolve,
    IOptions<RegencyOptions>? regency = null)
{
    /// <summary>History lines read per subscription and pass (the ids of their families go into one query).</summary>
    public const int Window = 5000;

    public sealed record Outcome(int Queued, int Subscriptions);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        var subscriptions = await db.Set<DciSubscription>().Where(s => s.State == DciSubscriptionStates.Subscribed).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return new Outcome(0, 0);
        }
        var last = await db.FamilyChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
        subscriptions.RemoveAll(s => s.CursorChangeId >= last);
        if (subscriptions.Count == 0 || await HighWaterAsync(cancellationToken) is not { } high)
        {
            return new Outcome(0, 0);
        }
        var clientIds = subscriptions.Select(s => s.ApiClientId).Distinct().ToList();
        var clients = await db.ApiClients.AsNoTracking().Where(c => clientIds.Contains(c.Id) && !c.Disabled).ToDictionaryAsync(c => c.Id, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var queued = 0;
        var touched = 0;
        foreach (var subscription in subscriptions)
        {
            // A disabled client's cursor stays: enabled again, it is told what changed meanwhile.
            if (subscription.CursorChangeId >= high || !clients.TryGetValue(subscription.ApiClientId, out var client))
            {
                continue;
            }
            var from = subscription.CursorChangeId;
            var upTo = Math.Min(high, from + Window);
            var changes = await db.FamilyChanges.AsNoTracking().Where(c => c.Id > from && c.Id <= upTo)
                .GroupBy(c => c.FamilyId).Select(g => new { FamilyId = g.Key, ChangeId = g.Max(c => c.Id) }).ToListAsync(cancellationToken);
            var matched = changes.Count == 0 ? [] : await MatchAsync(subscription, client, [.. changes.Select(c => c.FamilyId)], cancellationToken);
            if (subscription.EventType == DciEventTypes.Register && matched.Count > 0)
            {
                // Registered in this window: the line the import and a pecah KK write for a new family.
                var registered = await db.FamilyChanges.AsNoTracking().Where(c => c.Id > from && c.Id <= upTo && c.Field == DciEventTypes.RegisteredField)
                    .Select(c => c.FamilyId).ToListAsync(cancellationToken);
                matched.IntersectWith(registered);
            }
            // With a frequency, held until the schedule's next time; otherwise due now (NotifySchedule).
            var due = NotifySchedule.Of(subscription, RegencyOptions.Of(regency).Zone)?.DueAt(now) ?? now;
            var added = new List<DciNotification>();
            foreach (var change in changes.Where(c => matched.Contains(c.FamilyId)).OrderBy(c => c.ChangeId))
            {
                added.Add(new DciNotification
                {
                    SubscriptionId = subscription.Id,
                    FamilyId = change.FamilyId,
                    ChangeId = change.ChangeId,
                    EventType = subscription.EventType,
                    State = DciNotificationStates.Pending,
                    NextAttemptAt = due,
                    CreatedAt = now,
                });
            }
            db.AddRange(added);
            subscription.CursorChangeId = upTo;
            // The notifications and the cursor in one transaction: a change is queued once, or not at all and read again.
            await db.SaveChangesAsync(cancellationToken);
            foreach (var notification in added)
            {
                db.Entry(notification).State = EntityState.Detached;
            }
            queued += added.Count;
            touched++;
        }
        return new Outcome(queued, touched);
    }

    /// <summary>Of <paramref name="familyIds"/>, those in the client's scope that the subscription's filter selects now.</summary>
    private async Task<HashSet<long>> MatchAsync(DciSubscription subscription, Users.ApiClient client, List<long> familyIds, CancellationToken cancellationToken)
    {
        var scope = await resolve.RunAsync(new ResolveAccessScope.Input(null, client.Role, client.RegionCode, client.Organization), cancellationToken);
        using var stored = JsonDocument.Parse(subscription.CriteriaJson);
        var (criteria, _) = SearchCriteria.Read(stored.RootElement, int.MaxValue);
        if (criteria is null)
        {
            return [];
        }
        var run = criteria.Filters.Any(f => f.Attribute == SearchCriteria.PovertyScore) ? await search.LatestRunAsync(cancellationToken) : null;
        var (families, refused) = await search.FilterAsync(criteria, scope, run, cancellationToken);
        // A filter that no longer fits the client (its region changed, a program was removed) selects nothing.
        return refused is not null || families is null ? [] : [.. await families.Where(f => familyIds.Contains(f.Id)).Select(f => f.Id).ToListAsync(cancellationToken)];
    }

    /// <summary>The last history id below which every line is committed; null when the registry is busy (try again later).</summary>
    private Task<long?> HighWaterAsync(CancellationToken cancellationToken) =>
        // Under the registry's lock, so no writer's lines below it are still uncommitted; an import holding it longer than
        // the wait has its lines told on a later pass.
        db.Database.ReadUnheldAsync(LockKey.Registry, TimeSpan.FromSeconds(5),
            async () => await db.FamilyChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0, cancellationToken);
}

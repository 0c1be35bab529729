namespace Tuntas.Notifications;

/// <summary>
/// The outbox as the administrator sees it: how many messages wait, went out, or were abandoned, and the newest ones
/// with their tries and last error — contacts always masked (<see cref="DeliverNotifications.Mask"/>), texts not
/// shown (a subject may name a health category; the administrator needs to see delivery, not content).
/// </summary>
public sealed class ReadOutbox(TuntasDb db)
{
    public const int PageSize = 100;

    public sealed record Input(string? Status, int Page);

    public sealed record Line(long Id, DateTime CreatedAt, string Recipient, string Channel, string Contact, string Status, int Attempts,
        DateTime NextAttemptAt, DateTime? SentAt, string? LastError);

    public sealed record Outcome(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<Line> Lines, int Total, int Page);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var counts = await db.NotificationOutbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var query = db.NotificationOutbox.AsNoTracking();
        var status = OutboxStatus.All.Contains(input.Status ?? "") ? input.Status : null;
        if (status is not null)
        {
            query = query.Where(m => m.Status == status);
        }
        var total = await query.CountAsync(cancellationToken);
        var page = Math.Max(1, input.Page);
        var rows = await query.OrderByDescending(m => m.Id).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new Outcome(
            OutboxStatus.All.ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0),
            [.. rows.Select(m => new Line(m.Id, m.CreatedAt, m.Recipient, m.Channel, DeliverNotifications.Mask(m.Contact), m.Status, m.Attempts,
                m.NextAttemptAt, m.SentAt, m.LastError))],
            total, page);
    }
}

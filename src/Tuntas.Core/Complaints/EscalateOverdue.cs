using Tuntas.Notifications;

namespace Tuntas.Complaints;

/// <summary>
/// Escalates every open complaint past its SLA due date to the TKPKD secretariat, once: a public step
/// "diteruskan ke sekretariat TKPKD", the escalation time, and a notice to the complainant and the TKPKD. The handler
/// stays responsible; the TKPKD now watches it (the back office lists escalated complaints first). Run by
/// <c>ComplaintEscalationWorker</c> every few minutes and safe to run twice (the escalation time is the guard).
/// </summary>
public sealed class EscalateOverdue(TuntasDb db, INotificationSender notifications, TimeProvider clock)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var overdue = await db.Complaints
            .Where(c => c.EscalatedAt == null && c.DueAt < now && c.Status != ComplaintTerms.Resolved && c.Status != ComplaintTerms.Rejected)
            .OrderBy(c => c.DueAt).Take(500).ToListAsync(cancellationToken);
        foreach (var complaint in overdue)
        {
            complaint.EscalatedAt = now;
            complaint.UpdatedAt = now;
            db.ComplaintEvents.Add(new ComplaintEvent
            {
                ComplaintId = complaint.Id,
                At = now,
                Actor = "sistem",
                StatusFrom = complaint.Status,
                StatusTo = complaint.Status,
                Note = "Melewati batas waktu layanan; diteruskan ke sekretariat TKPKD untuk dipantau.",
                IsPublic = true,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var complaint in overdue)
        {
            await ComplaintNotices.SendAsync(notifications, complaint, $"Pengaduan {complaint.Ticket} melewati batas waktu: dieskalasi ke TKPKD", cancellationToken);
            await notifications.SendAsync(new Notification("penangan:tkpkd:TKPKD", null, $"Eskalasi {complaint.Ticket}", $"Pengaduan {complaint.Ticket} ({complaint.Category}) melewati batas waktu."), cancellationToken);
        }
        return overdue.Count;
    }
}

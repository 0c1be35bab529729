using Tuntas.Notifications;
using Tuntas.Users;

namespace Tuntas.Complaints;

/// <summary>
/// A handler moves a complaint on: baru → diproses → selesai or ditolak, or reopens a closed one, or
/// only adds a note. Closing needs a resolution, which the complainant reads on the public tracking page; a note is
/// public or internal. Every step is kept; the complainant and the handler are notified of status changes.
/// </summary>
public sealed class ChangeComplaintStatus(TuntasDb db, INotificationSender notifications, TimeProvider clock)
{
    public sealed record Input(long ComplaintId, string Status, string? Note, bool NotePublic, string Actor);

    public sealed record Outcome(bool Found, Complaint? Complaint, Problem? Problem);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var complaint = await db.Complaints.SingleOrDefaultAsync(c => c.Id == input.ComplaintId, cancellationToken);
        if (complaint is null)
        {
            return new Outcome(false, null, null);
        }
        var status = (input.Status ?? "").Trim().ToLowerInvariant();
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (!ComplaintTerms.Statuses.Contains(status) || (status == ComplaintTerms.New && complaint.Status != ComplaintTerms.New))
        {
            return Refuse("STATUS_UNKNOWN", "Status tujuan: diproses, selesai atau ditolak.", "Target status: diproses, selesai or ditolak.");
        }
        if (note is { Length: > FileComplaint.MaxDescription })
        {
            return Refuse("NOTE_LONG", "Catatan terlalu panjang (maks. 4000 karakter).", "The note is too long (max. 4000 characters).");
        }
        if (ComplaintTerms.IsClosed(status) && status != complaint.Status && note is null)
        {
            return Refuse("RESOLUTION_REQUIRED", "Tuliskan penyelesaian atau alasan penolakan; pelapor akan membacanya.",
                "Write the resolution or the reason for refusing; the complainant will read it.");
        }
        if (status == complaint.Status && note is null)
        {
            return Refuse("NOTHING_TO_DO", "Tidak ada perubahan: ubah status atau tulis catatan.", "Nothing changes: change the status or write a note.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var from = complaint.Status;
        var closing = ComplaintTerms.IsClosed(status) && status != from;
        db.ComplaintEvents.Add(new ComplaintEvent
        {
            ComplaintId = complaint.Id,
            At = now,
            Actor = input.Actor,
            StatusFrom = from,
            StatusTo = status,
            Note = note,
            // A resolution is always for the complainant; other notes as the handler chose.
            IsPublic = closing || input.NotePublic,
        });
        complaint.Status = status;
        complaint.UpdatedAt = now;
        if (closing)
        {
            complaint.ResolvedAt = now;
            complaint.Resolution = note;
        }
        else if (!ComplaintTerms.IsClosed(status))
        {
            complaint.ResolvedAt = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        if (status != from)
        {
            await ComplaintNotices.SendAsync(notifications, complaint, $"Pengaduan {complaint.Ticket}: {from} → {status}", cancellationToken);
        }
        return new Outcome(true, complaint, null);

        Outcome Refuse(string code, string message, string messageEn) => new(true, complaint, new Problem("Status", code, message, messageEn));
    }
}

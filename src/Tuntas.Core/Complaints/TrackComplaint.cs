namespace Tuntas.Complaints;

/// <summary>
/// The public view of a complaint by its ticket: category, status, dates, who handles it, the public
/// steps and the resolution — nothing about the complainant. Null for an unknown ticket.
/// </summary>
public sealed class TrackComplaint(TuntasDb db)
{
    public sealed record Step(DateTime At, string Status, string? Note);

    public sealed record View(string Ticket, string Category, string CategoryName, string CategoryNameEn, string Status, DateTime CreatedAt,
        DateTime DueAt, bool Overdue, bool Escalated, string Handler, DateTime? ResolvedAt, string? Resolution, IReadOnlyList<Step> Steps);

    public async Task<View?> RunAsync(string? ticket, DateTime now, CancellationToken cancellationToken)
    {
        if (ComplaintTicket.Normalize(ticket) is not { } normalized)
        {
            return null;
        }
        var complaint = await db.Complaints.AsNoTracking().SingleOrDefaultAsync(c => c.Ticket == normalized, cancellationToken);
        if (complaint is null)
        {
            return null;
        }
        var steps = await db.ComplaintEvents.AsNoTracking().Where(e => e.ComplaintId == complaint.Id && e.IsPublic).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new Step(e.At, e.StatusTo, e.Note)).ToListAsync(cancellationToken);
        var category = ComplaintTerms.Find(complaint.Category)!;
        var villageName = complaint.HandlerKind == ComplaintTerms.Village
            ? await db.Regions.AsNoTracking().Where(r => r.Code == complaint.HandlerCode).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        var label = FileComplaint.HandlerLabel(complaint, villageName);
        var handler = char.ToUpperInvariant(label[0]) + label[1..];
        return new View(complaint.Ticket, category.Code, category.Name, category.NameEn, complaint.Status, complaint.CreatedAt, complaint.DueAt,
            !ComplaintTerms.IsClosed(complaint.Status) && complaint.DueAt < now, complaint.EscalatedAt is not null, handler, complaint.ResolvedAt,
            complaint.Resolution, steps);
    }
}

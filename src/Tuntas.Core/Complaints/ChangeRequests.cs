using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Complaints;

/// <summary>
/// Change requests (usulan perubahan data) for the village operator: a facilitator proposes one from a family's page
/// after a field visit ("facilitator: read and field updates"); data complaints open them by themselves
/// (<see cref="FileComplaint"/>). A request may carry structured field changes, validated with the import's codes when
/// proposed. The operator accepts — and applies the fields with one action (<see cref="ApplyChangeRequest"/>, through the
/// registry writer, recorded in the family's history) — or rejects, with a note. A request from a complaint adds a step to the complaint.
/// </summary>
public sealed class ChangeRequests(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public async Task<(ChangeRequest? Request, Problem? Problem)> ProposeAsync(long familyId, string? description, string actor, CancellationToken cancellationToken,
        IReadOnlyList<ProposedChange>? changes = null)
    {
        var family = await db.Families.AsNoTracking().Where(f => f.Id == familyId).Select(f => new { f.Id, f.KodeDesa }).SingleOrDefaultAsync(cancellationToken);
        if (family is null)
        {
            return (null, null);
        }
        var text = (description ?? "").Trim();
        if (text.Length is < 10 or > FileComplaint.MaxDescription)
        {
            return (null, new Problem("Description", "DESCRIPTION_LENGTH", "Uraikan perubahan yang diusulkan dan temuan lapangannya (10–4000 karakter).",
                "Describe the proposed change and what the visit found (10–4000 characters)."));
        }
        var proposed = changes?.Where(c => !string.IsNullOrWhiteSpace(c.Field)).ToList() ?? [];
        if (ApplyChangeRequest.Validate(proposed, clock, RegencyOptions.Of(regency)) is { } invalid)
        {
            return (null, new Problem(invalid.Field ?? "Changes", invalid.Code, invalid.Message, invalid.MessageEn));
        }
        var request = new ChangeRequest
        {
            ProposedChanges = proposed.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(proposed),
            FamilyId = family.Id,
            KodeDesa = family.KodeDesa,
            Source = ComplaintTerms.SourceField,
            Description = text,
            Status = ComplaintTerms.ChangeOpen,
            CreatedBy = actor,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ChangeRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        return (request, null);
    }

    public async Task<(bool Found, Problem? Problem)> DecideAsync(long requestId, bool accept, string? note, string actor, CancellationToken cancellationToken)
    {
        var request = await db.ChangeRequests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return (false, null);
        }
        if (request.Status != ComplaintTerms.ChangeOpen)
        {
            return (true, new Problem("Status", "CHANGE_DECIDED", "Usulan ini sudah diputuskan.", "This request has already been decided."));
        }
        var text = (note ?? "").Trim();
        if (text.Length is < 3 or > 1000)
        {
            return (true, new Problem("Note", "DECISION_NOTE", "Tuliskan catatan keputusan (3–1000 karakter).", "Write a note on the decision (3–1000 characters)."));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        request.Status = accept ? ComplaintTerms.ChangeAccepted : ComplaintTerms.ChangeRejected;
        request.DecidedBy = actor;
        request.DecidedAt = now;
        request.DecisionNote = text;
        if (request.ComplaintId is { } complaintId && await db.Complaints.SingleOrDefaultAsync(c => c.Id == complaintId, cancellationToken) is { } complaint)
        {
            db.ComplaintEvents.Add(new ComplaintEvent
            {
                ComplaintId = complaintId,
                At = now,
                Actor = actor,
                StatusFrom = complaint.Status,
                StatusTo = complaint.Status,
                Note = (accept ? "Usulan perubahan data diterima desa: " : "Usulan perubahan data ditolak desa: ") + text,
                IsPublic = true,
            });
            complaint.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (true, null);
    }
}

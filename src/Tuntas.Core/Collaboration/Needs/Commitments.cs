using Tuntas.Attachments;
using Tuntas.Complaints;
using Tuntas.Programs;
using Tuntas.Users;

namespace Tuntas.Collaboration.Needs;

/// <summary>
/// Pledges and their progress. A stakeholder pledges money, goods, expertise or KKN students of a stated
/// value against an open need; the commitment then moves dijanjikan → berjalan → terealisasi or dibatalkan. Delivery
/// needs the realized amount and evidence — a photo or document checked and stored as complaint attachments are
/// (<see cref="AttachmentRules"/>, <see cref="AttachmentStore"/>: real type, 2 MB, outside the web root, named by the
/// detected type, the file published only after its step is committed). Every step is kept.
/// </summary>
public sealed class Commitments(TuntasDb db, AttachmentStore storage, TimeProvider clock)
{
    public sealed record PledgeInput(long NeedId, long StakeholderId, string? Kind, string? Amount, string? Note, string Actor);

    public async Task<(Commitment? Commitment, IReadOnlyList<Problem> Problems)> PledgeAsync(PledgeInput input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var need = await db.Needs.AsNoTracking().SingleOrDefaultAsync(n => n.Id == input.NeedId, cancellationToken);
        if (need is not { Status: CollaborationTerms.NeedOpen })
        {
            problems.Add(new("NeedId", "NEED_NOT_OPEN", "Kebutuhan ini tidak ada atau sudah ditutup.", "This need does not exist or is closed."));
        }
        var stakeholder = await db.Stakeholders.AsNoTracking().SingleOrDefaultAsync(s => s.Id == input.StakeholderId, cancellationToken);
        if (stakeholder is not { Active: true })
        {
            problems.Add(new("StakeholderId", "STAKEHOLDER_INACTIVE", "Pilih pemangku kepentingan yang aktif.", "Choose an active stakeholder."));
        }
        if (!CollaborationTerms.IsKnown(CollaborationTerms.CommitmentKinds, input.Kind))
        {
            problems.Add(new("Kind", "KIND_UNKNOWN", "Pilih bentuk komitmen: uang, barang, keahlian, kkn.", "Choose the kind: uang, barang, keahlian, kkn."));
        }
        var (amount, amountProblem, amountProblemEn) = Rupiah.Parse(input.Amount);
        if (amount is null or <= 0)
        {
            problems.Add(new("Amount", "AMOUNT", amountProblem ?? "Nilai komitmen wajib diisi (untuk barang, keahlian dan KKN: taksiran nilainya).",
                amountProblemEn ?? "The commitment's value is required (for goods, expertise and KKN: its estimated value)."));
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var contactId = await db.StakeholderContacts.Where(c => c.StakeholderId == input.StakeholderId && c.Until == null)
            .Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var commitment = new Commitment
        {
            NeedId = input.NeedId,
            StakeholderId = input.StakeholderId,
            ContactId = contactId,
            Kind = input.Kind!,
            PledgedAmount = amount!.Value,
            Status = CollaborationTerms.Pledged,
            Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            CreatedBy = input.Actor,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Commitments.Add(commitment);
        await db.SaveChangesAsync(cancellationToken);
        db.CommitmentEvents.Add(new CommitmentEvent { CommitmentId = commitment.Id, At = now, Actor = input.Actor, StatusTo = CollaborationTerms.Pledged, Note = commitment.Note });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (commitment, []);
    }

    public sealed record ProgressInput(long CommitmentId, string? Status, string? RealizedAmount, string? Note, AttachmentRules.Upload? Evidence, string Actor);

    public async Task<(bool Found, IReadOnlyList<Problem> Problems)> ProgressAsync(ProgressInput input, CancellationToken cancellationToken)
    {
        var commitment = await db.Commitments.SingleOrDefaultAsync(c => c.Id == input.CommitmentId, cancellationToken);
        if (commitment is null)
        {
            return (false, []);
        }
        var problems = new List<Problem>();
        var status = (input.Status ?? "").Trim();
        var allowed = commitment.Status switch
        {
            CollaborationTerms.Pledged => new[] { CollaborationTerms.InProgress, CollaborationTerms.Delivered, CollaborationTerms.Cancelled },
            CollaborationTerms.InProgress => [CollaborationTerms.Delivered, CollaborationTerms.Cancelled],
            _ => [],
        };
        if (!allowed.Contains(status))
        {
            problems.Add(new("Status", "STATUS_STEP", $"Dari '{commitment.Status}' tidak dapat ke '{status}'.", $"Cannot go from '{commitment.Status}' to '{status}'."));
        }
        long? realized = null;
        AttachmentRules.DetectedType? evidenceType = null;
        if (status == CollaborationTerms.Delivered)
        {
            var (value, problem, problemEn) = Rupiah.Parse(input.RealizedAmount);
            if (value is null or < 0)
            {
                problems.Add(new("RealizedAmount", "REALIZED_AMOUNT", problem ?? "Nilai yang terealisasi wajib diisi.", problemEn ?? "The realized value is required."));
            }
            realized = value;
            if (input.Evidence is null)
            {
                problems.Add(new("Evidence", "EVIDENCE_REQUIRED", "Lampirkan bukti penyerahan (foto atau dokumen).", "Attach evidence of delivery (photo or document)."));
            }
        }
        if (input.Evidence is { } evidence)
        {
            (evidenceType, var problem) = AttachmentRules.Check(evidence, "Evidence");
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
        if (problems.Count > 0)
        {
            return (true, problems);
        }
        var staged = input.Evidence is { } file ? await storage.StageAsync(file.Content, evidenceType!, cancellationToken) : null;
        await AttachmentStore.CommitAsync(storage, staged is null ? [] : [staged], async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            db.CommitmentEvents.Add(new CommitmentEvent
            {
                CommitmentId = commitment.Id,
                At = now,
                Actor = input.Actor,
                StatusFrom = commitment.Status,
                StatusTo = status,
                Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
                EvidenceName = input.Evidence is { } e ? AttachmentRules.DownloadName(e.FileName, evidenceType) : null,
                EvidenceStoredName = staged?.StoredName,
                EvidenceContentType = evidenceType?.ContentType,
            });
            commitment.Status = status;
            commitment.RealizedAmount = realized ?? commitment.RealizedAmount;
            commitment.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        });
        return (true, []);
    }
}

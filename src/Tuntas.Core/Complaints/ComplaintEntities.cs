using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Complaints;

/// <summary>
/// A complaint (pengaduan) from the portal, the posko/PUSKESOS front office or the API: a category, the
/// complainant, what happened, where; routed to a village or an agency with a due date from the category's SLA;
/// followed publicly by its <see cref="Ticket"/>. Personal data (name, contact, NIK) is shown only in the back office.
/// </summary>
public sealed class Complaint
{
    public long Id { get; set; }
    /// <summary>Random and unguessable (<see cref="ComplaintTicket"/>): it is what lets a citizen follow the complaint.</summary>
    public required string Ticket { get; set; }
    public required string Category { get; set; }
    /// <summary>portal, posko or api.</summary>
    public required string Channel { get; set; }
    public required string Status { get; set; }
    public string? KodeDesa { get; set; }
    public required string ComplainantName { get; set; }
    public string? ComplainantContact { get; set; }
    public string? ComplainantNik { get; set; }
    /// <summary>The registry family of the complainant's NIK, when it is there.</summary>
    public long? FamilyId { get; set; }
    /// <summary>Stored as typed; every page encodes it on output (Razor), so script in it is shown, never run.</summary>
    public required string Description { get; set; }
    /// <summary>desa (the village government) or opd (an agency), or tkpkd.</summary>
    public required string HandlerKind { get; set; }
    /// <summary>The village code for desa; the agency's name for opd (matched to officers' organization); "TKPKD" for tkpkd.</summary>
    public required string HandlerCode { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? EscalatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    /// <summary>The resolution, visible to the complainant on the public tracking page.</summary>
    public string? Resolution { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One step of a complaint: a status change or a note; <see cref="IsPublic"/> notes are shown to the complainant.</summary>
public sealed class ComplaintEvent
{
    public long Id { get; set; }
    public long ComplaintId { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public string? StatusFrom { get; set; }
    public required string StatusTo { get; set; }
    public string? Note { get; set; }
    public bool IsPublic { get; set; }
}

/// <summary>A photo or document attached to a complaint, stored outside the web root, checked by its content (<see cref="Attachments.AttachmentRules"/>).</summary>
public sealed class ComplaintAttachment
{
    public long Id { get; set; }
    public long ComplaintId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required string StoredName { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A request to change registry data (usulan perubahan data) for the village operator: opened by a data complaint
/// ("data salah", "tidak terdaftar"), linked both ways, or by a facilitator's field visit. The operator accepts it
/// (and makes the change through the import) or rejects it, with a note; either closes the request.
/// </summary>
public sealed class ChangeRequest
{
    public long Id { get; set; }
    public long? ComplaintId { get; set; }
    public long? FamilyId { get; set; }
    public required string KodeDesa { get; set; }
    public required string Source { get; set; }
    public required string Description { get; set; }
    public required string Status { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    /// <summary>Structured field changes proposed (JSON list of <see cref="ProposedChange"/>), applied with one action
    /// once accepted (<see cref="ApplyChangeRequest"/>); null for a description-only request.</summary>
    public string? ProposedChanges { get; set; }
    public string? AppliedBy { get; set; }
    public DateTime? AppliedAt { get; set; }
}

/// <summary>One field a change request proposes: a family field (PersonId null) or a member's, as typed text.</summary>
public sealed record ProposedChange(long? PersonId, string Field, string? Value);

internal sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> builder)
    {
        builder.ToTable("complaints");
        builder.HasIndex(c => c.Ticket).IsUnique();
    }
}

internal sealed class ComplaintEventConfiguration : IEntityTypeConfiguration<ComplaintEvent>
{
    public void Configure(EntityTypeBuilder<ComplaintEvent> builder) => builder.ToTable("complaint_events");
}

internal sealed class ComplaintAttachmentConfiguration : IEntityTypeConfiguration<ComplaintAttachment>
{
    public void Configure(EntityTypeBuilder<ComplaintAttachment> builder) => builder.ToTable("complaint_attachments");
}

internal sealed class ChangeRequestConfiguration : IEntityTypeConfiguration<ChangeRequest>
{
    public void Configure(EntityTypeBuilder<ChangeRequest> builder) => builder.ToTable("change_requests");
}

using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Collaboration;

/// <summary>
/// An actor in the fight against poverty: an OPD, a village government, a company (CSR), a university,
/// an NGO or community group, BAZNAS, the media — by its helix, with the resources it brings. Deactivated, never
/// deleted, once it has history (its commitments and contacts stay on record).
/// </summary>
public sealed class Stakeholder
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>One of <see cref="CollaborationTerms.Helixes"/>.</summary>
    public required string Helix { get; set; }
    /// <summary>Resource codes it brings, separated by '|' (<see cref="CollaborationTerms.Resources"/>).</summary>
    public required string Resources { get; set; }
    /// <summary>Its role in programs and in the TKPKD, in words (e.g. "pemilik PKH di kabupaten", "anggota Forum CSR").</summary>
    public string? Role { get; set; }
    public string? KodeDesa { get; set; }
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A stakeholder's contact person for a period: <see cref="Until"/> is null for the current one. Handover (the seeds'
/// "weak handover when staff change") ends the old period and starts the new one, and moves the old contact's open
/// commitments to the new contact with a record.
/// </summary>
public sealed class StakeholderContact
{
    public long Id { get; set; }
    public long StakeholderId { get; set; }
    public required string Name { get; set; }
    public string? Position { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public DateOnly From { get; set; }
    public DateOnly? Until { get; set; }
    public string? HandoverNote { get; set; }
}

/// <summary>
/// A village need from a village meeting, a participatory assessment or a complaint: for the village or
/// for one named family, with its estimated cost. Partners browse open needs and pledge commitments against them.
/// </summary>
public sealed class Need
{
    public long Id { get; set; }
    public required string KodeDesa { get; set; }
    /// <summary>A named family (by name, by address); seen by name only by users whose scope covers it.</summary>
    public long? FamilyId { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public long EstimatedCost { get; set; }
    public required string Source { get; set; }
    public required string Status { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A stakeholder's pledge against a need: money, in kind, expertise or KKN students, with its value; it moves
/// dijanjikan → berjalan → terealisasi (with evidence and the realized amount) or dibatalkan. History kept in
/// <see cref="CommitmentEvent"/>.
/// </summary>
public sealed class Commitment
{
    public long Id { get; set; }
    public long NeedId { get; set; }
    public long StakeholderId { get; set; }
    /// <summary>The stakeholder's contact responsible for it (moves with a handover).</summary>
    public long? ContactId { get; set; }
    public required string Kind { get; set; }
    public long PledgedAmount { get; set; }
    public long? RealizedAmount { get; set; }
    public required string Status { get; set; }
    public string? Note { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class CommitmentEvent
{
    public long Id { get; set; }
    public long CommitmentId { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public string? StatusFrom { get; set; }
    public required string StatusTo { get; set; }
    public string? Note { get; set; }
    /// <summary>Evidence (photo or document) stored like complaint attachments: checked by real type and size, outside the web root.</summary>
    public string? EvidenceName { get; set; }
    public string? EvidenceStoredName { get; set; }
    public string? EvidenceContentType { get; set; }
}

internal sealed class StakeholderConfiguration : IEntityTypeConfiguration<Stakeholder>
{
    public void Configure(EntityTypeBuilder<Stakeholder> builder)
    {
        builder.ToTable("stakeholders");
        builder.HasIndex(s => s.Name).IsUnique();
    }
}

internal sealed class StakeholderContactConfiguration : IEntityTypeConfiguration<StakeholderContact>
{
    public void Configure(EntityTypeBuilder<StakeholderContact> builder) => builder.ToTable("stakeholder_contacts");
}

internal sealed class NeedConfiguration : IEntityTypeConfiguration<Need>
{
    public void Configure(EntityTypeBuilder<Need> builder) => builder.ToTable("needs");
}

internal sealed class CommitmentConfiguration : IEntityTypeConfiguration<Commitment>
{
    public void Configure(EntityTypeBuilder<Commitment> builder) => builder.ToTable("commitments");
}

internal sealed class CommitmentEventConfiguration : IEntityTypeConfiguration<CommitmentEvent>
{
    public void Configure(EntityTypeBuilder<CommitmentEvent> builder) => builder.ToTable("commitment_events");
}

using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Collaboration.Meetings;

/// <summary>
/// A coordination meeting: rapat koordinasi TKPKD, musyawarah desa, Forum CSR — agenda, invited
/// stakeholders and who came, minutes (notulen), decisions and action items. The seeds' failure it answers: key agencies
/// missing meetings, and decisions nobody follows up.
/// </summary>
public sealed class Meeting
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public DateTime HeldAt { get; set; }
    /// <summary>The village of a musyawarah desa; null for regency meetings.</summary>
    public string? KodeDesa { get; set; }
    public string? Agenda { get; set; }
    public string? Minutes { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A stakeholder invited to a meeting; <see cref="Attended"/> is null until attendance is recorded.</summary>
public sealed class MeetingInvitee
{
    public long Id { get; set; }
    public long MeetingId { get; set; }
    public long StakeholderId { get; set; }
    public bool? Attended { get; set; }
    /// <summary>Who came for the stakeholder (name and position), or why not.</summary>
    public string? Note { get; set; }
}

public sealed class MeetingDecision
{
    public long Id { get; set; }
    public long MeetingId { get; set; }
    public required string Text { get; set; }
}

/// <summary>
/// A follow-up decided in a meeting: what, which stakeholder owns it (and its contact, moved on handover), by when.
/// Open past its due date it is overdue: on the owner's and the secretariat's home page and in the weekly digest.
/// </summary>
public sealed class ActionItem
{
    public long Id { get; set; }
    public long MeetingId { get; set; }
    public required string Text { get; set; }
    public long OwnerStakeholderId { get; set; }
    public long? OwnerContactId { get; set; }
    public DateOnly DueOn { get; set; }
    public required string Status { get; set; }
    public DateOnly? DoneOn { get; set; }
    public string? Note { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> builder) => builder.ToTable("meetings");
}

internal sealed class MeetingInviteeConfiguration : IEntityTypeConfiguration<MeetingInvitee>
{
    public void Configure(EntityTypeBuilder<MeetingInvitee> builder) => builder.ToTable("meeting_invitees");
}

internal sealed class MeetingDecisionConfiguration : IEntityTypeConfiguration<MeetingDecision>
{
    public void Configure(EntityTypeBuilder<MeetingDecision> builder) => builder.ToTable("meeting_decisions");
}

internal sealed class ActionItemConfiguration : IEntityTypeConfiguration<ActionItem>
{
    public void Configure(EntityTypeBuilder<ActionItem> builder) => builder.ToTable("action_items");
}

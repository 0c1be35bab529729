using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Programs;

/// <summary>
/// An assistance program of any funder: national (PKH, BPNT, …), provincial, regency, village (BLT Dana
/// Desa), CSR, BAZNAS, university or community. Its eligibility rule is the targeting engine's rule with the same code.
/// </summary>
public sealed class AssistanceProgram
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string OwnerKind { get; set; }
    public required string OwnerName { get; set; }
    public required string FundingSource { get; set; }
    public required string TargetUnit { get; set; }
    public required string BenefitKind { get; set; }
    /// <summary>Rupiah per <see cref="Period"/> per recipient; null for in-kind benefits without a set value.</summary>
    public long? Amount { get; set; }
    public required string Period { get; set; }
    /// <summary>Regency quota (recipients), when the funder set one.</summary>
    public int? Quota { get; set; }
    /// <summary>False for amounts taken from unverified sources (DOMAIN §5 marks them [U]); shown as such.</summary>
    public bool AmountVerified { get; set; }
    public string? SourceNote { get; set; }
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class ProgramBudget
{
    public long Id { get; set; }
    public long ProgramId { get; set; }
    public int Year { get; set; }
    public long Amount { get; set; }
}

/// <summary>A family (or one of its members, for person programs) in a program. Never deleted: it ends with a reason.</summary>
public sealed class Enrollment
{
    public long Id { get; set; }
    public long ProgramId { get; set; }
    public long FamilyId { get; set; }
    public long? PersonId { get; set; }
    public required string Status { get; set; }
    public DateOnly StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public string? ExitReason { get; set; }
    /// <summary>The card the benefit is paid on (KKS, KIS…), as the latest recipient list gives it.</summary>
    public string? NomorKartu { get; set; }
    /// <summary>The recipient's id in BDT 2015 (IDARTBDT), as the latest list gives it.</summary>
    public string? IdArtBdt { get; set; }
    /// <summary>The recipient's DTKS id (IDSEMESTA), as the latest list gives it.</summary>
    public string? IdSemesta { get; set; }
    public long? ImportJobId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One step in an enrollment's life (enrolled, suspended, re-activated, exited): the history, append-only.</summary>
public sealed class EnrollmentEvent
{
    public long Id { get; set; }
    public long EnrollmentId { get; set; }
    public required string Status { get; set; }
    public string? Reason { get; set; }
    public DateOnly EffectiveOn { get; set; }
    public string? Note { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
}

/// <summary>A payment or delivery for one period (YYYY-MM), and phase where the program pays in phases, to one enrollment: the realization.</summary>
public sealed class Disbursement
{
    public long Id { get; set; }
    public long EnrollmentId { get; set; }
    public required string Period { get; set; }
    /// <summary>The disbursement phase (tahap 1, 2…) of programs paid in phases, or null.</summary>
    public int? Tahap { get; set; }
    public long Amount { get; set; }
    public DateOnly? PaidOn { get; set; }
    public string? Channel { get; set; }
    public long? ImportJobId { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class ProgramConfigurations :
    IEntityTypeConfiguration<AssistanceProgram>, IEntityTypeConfiguration<ProgramBudget>, IEntityTypeConfiguration<Enrollment>,
    IEntityTypeConfiguration<EnrollmentEvent>, IEntityTypeConfiguration<Disbursement>
{
    public void Configure(EntityTypeBuilder<AssistanceProgram> builder)
    {
        builder.ToTable("programs");
        builder.HasIndex(p => p.Code).IsUnique();
    }

    public void Configure(EntityTypeBuilder<ProgramBudget> builder) => builder.ToTable("program_budgets");

    public void Configure(EntityTypeBuilder<Enrollment> builder) => builder.ToTable("enrollments");

    public void Configure(EntityTypeBuilder<EnrollmentEvent> builder) => builder.ToTable("enrollment_events");

    public void Configure(EntityTypeBuilder<Disbursement> builder) => builder.ToTable("disbursements");
}

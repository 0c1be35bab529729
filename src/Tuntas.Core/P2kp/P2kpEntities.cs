using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.P2kp;

/// <summary>
/// The community board (BKM, <i>Badan Keswadayaan Masyarakat</i>) of one desa/kelurahan (DOMAIN §6): elected by the
/// residents, it plans with the community and runs the three units of the <i>tridaya</i> — UPK (loans), UPS (social), UPL
/// (environment).
/// </summary>
public sealed class Bkm
{
    public long Id { get; set; }
    public required string KodeDesa { get; set; }
    public required string Name { get; set; }
    public DateOnly? FormedOn { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A BKM member as elected: the date, the votes received and the end of the term.</summary>
public sealed class BkmMember
{
    public long Id { get; set; }
    public long BkmId { get; set; }
    public required string Name { get; set; }
    /// <summary>koordinator, anggota (<see cref="P2kpTerms.BkmRoles"/>).</summary>
    public required string Role { get; set; }
    public DateOnly ElectedOn { get; set; }
    public int Votes { get; set; }
    public DateOnly TermUntil { get; set; }
}

/// <summary>A BKM's revolving-loan unit (UPK, <i>Unit Pengelola Keuangan</i>), keyed by KODE_UPK of the loan book.</summary>
public sealed class Upk
{
    public long Id { get; set; }
    public required string Kode { get; set; }
    public required string Name { get; set; }
    public required string KodeDesa { get; set; }
    public DateOnly? FoundedOn { get; set; }
}

/// <summary>A self-help group (KSM, <i>Kelompok Swadaya Masyarakat</i>): 5–10 families under joint liability (<i>tanggung renteng</i>).</summary>
public sealed class Ksm
{
    public long Id { get; set; }
    public long UpkId { get; set; }
    public required string Kode { get; set; }
    public required string Name { get; set; }
    public required string KodeDesa { get; set; }
    /// <summary>EKONOMI, SOSIAL, LINGKUNGAN.</summary>
    public required string Jenis { get; set; }
    public DateOnly? FormedOn { get; set; }
    public DateOnly? DissolvedOn { get; set; }
    public string? KetuaNik { get; set; }
    /// <summary>User name of the facilitator (pendamping) who accompanies the group; the collection worklist is by this.</summary>
    public string? Facilitator { get; set; }
}

public sealed class KsmMember
{
    public long Id { get; set; }
    public long KsmId { get; set; }
    public required string Nik { get; set; }
    public required string Name { get; set; }
    /// <summary>KETUA, SEKRETARIS, BENDAHARA, ANGGOTA.</summary>
    public required string Role { get; set; }
    /// <summary>The registry person with this NIK, when there is one (members need not be in the registry).</summary>
    public long? PersonId { get; set; }
    public DateOnly? JoinedOn { get; set; }
    public DateOnly? LeftOn { get; set; }
}

/// <summary>
/// A UPK loan to a KSM, from proposal to closing. A disbursed loan is never deleted, only written off (with a reason)
/// or restructured (closed, its outstanding principal moved into a new loan).
/// </summary>
public sealed class UpkLoan
{
    public long Id { get; set; }
    public long UpkId { get; set; }
    public long KsmId { get; set; }
    public required string Nomor { get; set; }
    /// <summary><see cref="LoanStatus"/>.</summary>
    public required string Status { get; set; }
    public long Principal { get; set; }
    /// <summary>Monthly service rate in hundredths of a percent (1.5 % = 150): the spec allows at most two decimals.</summary>
    public int RateHundredths { get; set; }
    /// <summary>FLAT or MENURUN.</summary>
    public required string Method { get; set; }
    public int TermMonths { get; set; }
    public DateOnly? FirstDueOn { get; set; }
    public DateOnly? ProposedOn { get; set; }
    public DateOnly? ApprovedOn { get; set; }
    public DateOnly? DisbursedOn { get; set; }
    /// <summary>Written off or restructured on this date: from then on the loan is out of the portfolio.</summary>
    public DateOnly? ClosedOn { get; set; }
    public string? ClosingReason { get; set; }
    public long? RestructuredFromId { get; set; }
}

public static class LoanStatus
{
    public const string Proposed = "diusulkan";
    public const string Approved = "disetujui";
    public const string Rejected = "ditolak";
    public const string Disbursed = "dicairkan";
    public const string WrittenOff = "dihapusbukukan";
    public const string Restructured = "direstrukturisasi";
}

/// <summary>A member's share of a KSM loan; repayments are split to members in these proportions.</summary>
public sealed class UpkLoanShare
{
    public long LoanId { get; set; }
    public long MemberId { get; set; }
    public long Amount { get; set; }
}

/// <summary>Instalment k of a loan's schedule (<see cref="Loans.LoanSchedule"/>), stored at disbursement.</summary>
public sealed class UpkInstallment
{
    public long LoanId { get; set; }
    public int K { get; set; }
    public DateOnly DueOn { get; set; }
    public long Principal { get; set; }
    public long Service { get; set; }
}

public sealed class UpkRepayment
{
    public long Id { get; set; }
    public long LoanId { get; set; }
    public DateOnly PaidOn { get; set; }
    public long Principal { get; set; }
    public long Service { get; set; }
    /// <summary>The UPK's receipt number (kuitansi): one receipt is recorded once per loan.</summary>
    public string? Receipt { get; set; }
    public string? RecordedBy { get; set; }
}

/// <summary>A UPK's month (OPERASIONAL): income (service fees + other) and costs incl. loan-loss provision.</summary>
public sealed class UpkOperation
{
    public long UpkId { get; set; }
    /// <summary>YYYY-MM.</summary>
    public required string Month { get; set; }
    public long Income { get; set; }
    public long Costs { get; set; }
}

/// <summary>Capital received by a UPK (MODAL), by source.</summary>
public sealed class UpkCapital
{
    public long Id { get; set; }
    public long UpkId { get; set; }
    /// <summary>BLM_APBN, APBD, SWADAYA, CSR, LAINNYA.</summary>
    public required string Source { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public long Amount { get; set; }
}

/// <summary>
/// Pemetaan swadaya: the community's own category for a registry family in a year, recorded per RT
/// (1 miskin, 2 hampir miskin, 3 tidak miskin).
/// </summary>
public sealed class CommunityMapEntry
{
    public long Id { get; set; }
    public required string KodeDesa { get; set; }
    public required string Rt { get; set; }
    public long FamilyId { get; set; }
    public int Year { get; set; }
    public int Category { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
}

/// <summary>A BKM's plan: PJM Pronangkis (three years, YearFrom..YearFrom+2) or Renta (one year).</summary>
public sealed class P2kpPlan
{
    public long Id { get; set; }
    public long BkmId { get; set; }
    /// <summary>PJM or RENTA.</summary>
    public required string Kind { get; set; }
    public int YearFrom { get; set; }
    public int YearTo { get; set; }
    public required string Title { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>An activity of a plan, in one pillar (EKONOMI/UPK, SOSIAL/UPS, LINGKUNGAN/UPL), possibly funded by a CSR commitment.</summary>
public sealed class P2kpActivity
{
    public long Id { get; set; }
    public long PlanId { get; set; }
    public required string Pillar { get; set; }
    public required string Name { get; set; }
    public long? CommitmentId { get; set; }
    /// <summary>Where the works are (WGS 84), for the map; both or neither.</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>The community's contribution in kind (labour, materials) in rupiah; its cash is the SWADAYA budget line.</summary>
    public long SwadayaInKind { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An activity's budget from one source (BLM_APBN, APBD, APBDES, SWADAYA, CSR) and what was realised of it.</summary>
public sealed class P2kpActivityBudget
{
    public long ActivityId { get; set; }
    public required string Source { get; set; }
    public long Planned { get; set; }
    public long Realised { get; set; }
}

/// <summary>A registry family an activity benefits (a UPL work's households, a UPS activity's recipients), of the BKM's desa.</summary>
public sealed class P2kpBeneficiary
{
    public long ActivityId { get; set; }
    public long FamilyId { get; set; }
    public required string AddedBy { get; set; }
    public DateTime AddedAt { get; set; }
}

/// <summary>An activity's progress as reported on a date: percent done and a note, with photos (<see cref="P2kpProgressPhoto"/>).</summary>
public sealed class P2kpProgress
{
    public long Id { get; set; }
    public long ActivityId { get; set; }
    public DateOnly OnDate { get; set; }
    public int Percent { get; set; }
    public string? Note { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
}

/// <summary>A photo of a progress report, kept in the attachment store (JPEG/PNG by its bytes).</summary>
public sealed class P2kpProgressPhoto
{
    public long Id { get; set; }
    public long ProgressId { get; set; }
    /// <summary>The name the uploader gave, made safe (<see cref="Attachments.AttachmentRules.DownloadName"/>).</summary>
    public required string FileName { get; set; }
    public required string StoredName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required string UploadedBy { get; set; }
    public DateTime UploadedAt { get; set; }
}

/// <summary>A social grant of the BKM's UPS to a registry family of its desa: cash (Amount) or in kind (InKind), by source.</summary>
public sealed class P2kpGrant
{
    public long Id { get; set; }
    public long BkmId { get; set; }
    public long FamilyId { get; set; }
    public DateOnly GivenOn { get; set; }
    /// <summary><see cref="Works.GrantTerms.Kinds"/>.</summary>
    public required string Kind { get; set; }
    /// <summary>Rupiah; 0 for a grant in kind only.</summary>
    public long Amount { get; set; }
    public string? InKind { get; set; }
    /// <summary><see cref="Planning.PlanTerms.Sources"/>.</summary>
    public required string Source { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
}

internal sealed class P2kpConfiguration :
    IEntityTypeConfiguration<Bkm>, IEntityTypeConfiguration<BkmMember>, IEntityTypeConfiguration<Upk>, IEntityTypeConfiguration<Ksm>,
    IEntityTypeConfiguration<KsmMember>, IEntityTypeConfiguration<UpkLoan>, IEntityTypeConfiguration<UpkLoanShare>,
    IEntityTypeConfiguration<UpkInstallment>, IEntityTypeConfiguration<UpkRepayment>, IEntityTypeConfiguration<UpkOperation>,
    IEntityTypeConfiguration<UpkCapital>, IEntityTypeConfiguration<CommunityMapEntry>, IEntityTypeConfiguration<P2kpPlan>,
    IEntityTypeConfiguration<P2kpActivity>, IEntityTypeConfiguration<P2kpActivityBudget>,
    IEntityTypeConfiguration<P2kpBeneficiary>, IEntityTypeConfiguration<P2kpProgress>, IEntityTypeConfiguration<P2kpProgressPhoto>, IEntityTypeConfiguration<P2kpGrant>
{
    public void Configure(EntityTypeBuilder<Bkm> builder) => builder.ToTable("p2kp_bkm");
    public void Configure(EntityTypeBuilder<BkmMember> builder) => builder.ToTable("p2kp_bkm_members");
    public void Configure(EntityTypeBuilder<Upk> builder) => builder.ToTable("upk");
    public void Configure(EntityTypeBuilder<Ksm> builder) => builder.ToTable("ksm");
    public void Configure(EntityTypeBuilder<KsmMember> builder) => builder.ToTable("ksm_members");
    public void Configure(EntityTypeBuilder<UpkLoan> builder) => builder.ToTable("upk_loans");
    public void Configure(EntityTypeBuilder<UpkLoanShare> builder) => builder.ToTable("upk_loan_shares").HasKey(s => new { s.LoanId, s.MemberId });
    public void Configure(EntityTypeBuilder<UpkInstallment> builder) => builder.ToTable("upk_installments").HasKey(i => new { i.LoanId, i.K });
    public void Configure(EntityTypeBuilder<UpkRepayment> builder) => builder.ToTable("upk_repayments");
    public void Configure(EntityTypeBuilder<UpkOperation> builder) => builder.ToTable("upk_operations").HasKey(o => new { o.UpkId, o.Month });
    public void Configure(EntityTypeBuilder<UpkCapital> builder) => builder.ToTable("upk_capital");
    public void Configure(EntityTypeBuilder<CommunityMapEntry> builder) => builder.ToTable("p2kp_community_maps");
    public void Configure(EntityTypeBuilder<P2kpPlan> builder) => builder.ToTable("p2kp_plans");
    public void Configure(EntityTypeBuilder<P2kpActivity> builder) => builder.ToTable("p2kp_activities");
    public void Configure(EntityTypeBuilder<P2kpActivityBudget> builder) => builder.ToTable("p2kp_activity_budgets").HasKey(b => new { b.ActivityId, b.Source });
    public void Configure(EntityTypeBuilder<P2kpBeneficiary> builder) => builder.ToTable("p2kp_activity_beneficiaries").HasKey(b => new { b.ActivityId, b.FamilyId });
    public void Configure(EntityTypeBuilder<P2kpProgress> builder) => builder.ToTable("p2kp_activity_progress");
    public void Configure(EntityTypeBuilder<P2kpProgressPhoto> builder) => builder.ToTable("p2kp_progress_photos");
    public void Configure(EntityTypeBuilder<P2kpGrant> builder) => builder.ToTable("p2kp_grants");
}

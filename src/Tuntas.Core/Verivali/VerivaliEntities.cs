using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Verivali;

/// <summary>A verification and validation period (periode verivali, e.g. "Semester I 2027"), opened and closed by the regency.</summary>
public sealed class VerivaliPeriod
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string OpenedBy { get; set; }
    public DateTime OpenedAt { get; set; }
    public string? ClosedBy { get; set; }
    public DateTime? ClosedAt { get; set; }

    /// <summary>The suspected-duplicates search the opening starts (<see cref="SearchDuplicatesAtOpening"/>):
    /// <see cref="VerivaliTerms.DuplicatesPending"/>, <see cref="VerivaliTerms.DuplicatesDone"/> or
    /// <see cref="VerivaliTerms.DuplicatesFailed"/>; null for a period opened before it existed.</summary>
    public string? DuplicatesStatus { get; set; }

    /// <summary>Families the search put on the worklists (dugaan-ganda), once it is done.</summary>
    public int? DuplicatesFamilies { get; set; }

    public DateTime? DuplicatesAt { get; set; }

    public bool IsOpen => ClosedAt is null;
}

/// <summary>
/// One line of a village's worklist: a family (or a proposed new family) with the reasons it is on the list, then the
/// visit (outcome, proposed field changes as JSON, the family's version seen), the operator's review, the musdes
/// decision and its application (<see cref="VerivaliTerms"/> for the codes).
/// </summary>
public sealed class VerivaliLine
{
    public long Id { get; set; }
    public long PeriodId { get; set; }
    public required string KodeDesa { get; set; }
    public long? FamilyId { get; set; }
    /// <summary>Comma-separated reason codes (<see cref="VerivaliTerms.Reasons"/>).</summary>
    public required string Reasons { get; set; }
    /// <summary>User name of the facilitator or relawan who visits.</summary>
    public string? AssignedTo { get; set; }
    public required string Status { get; set; }
    public string? Outcome { get; set; }
    /// <summary>Proposed changes (JSON list of <see cref="VisitChange"/>), validated with the import's codes.</summary>
    public string? Changes { get; set; }
    public string? Note { get; set; }
    public string? VisitedBy { get; set; }
    public DateTime? VisitedAt { get; set; }
    /// <summary>The family's version when visited: a registry changed since refuses the apply for this line (conflict).</summary>
    public long? FamilyVersion { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public string? Decision { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public DateTime? AppliedAt { get; set; }
    public string? ApplyResult { get; set; }
    /// <summary>A proposed new family (usulan baru, no registry row): NO_KK, family fields and members as JSON (<see cref="ProposedFamily"/>).</summary>
    public string? Proposal { get; set; }
}

/// <summary>A photo taken at a visit (the house, the family's situation), JPEG or PNG, kept in the attachment store.</summary>
public sealed class VerivaliLinePhoto
{
    public long Id { get; set; }
    public long LineId { get; set; }
    /// <summary>The name the uploader gave, made safe (<see cref="Attachments.AttachmentRules.DownloadName"/>).</summary>
    public required string FileName { get; set; }
    public required string StoredName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required string UploadedBy { get; set; }
    public DateTime UploadedAt { get; set; }
}

/// <summary>A proposed change from a visit: a field (family when PersonId is null) or a member's life status (Field STATUS_HIDUP).</summary>
public sealed record VisitChange(long? PersonId, string Field, string? Value, DateOnly? Date = null)
{
    /// <summary>The stored changes as a village meeting reads them: <c>JENIS_LANTAI = 2; anggota 12: STATUS_HIDUP = meninggal 2026-09-01</c>,
    /// values shown as <see cref="Shown"/> shows them.</summary>
    /// <param name="names">Members' names by id, to say who ("Sri (anggota 53)") where the reader knows them.</param>
    public static string Describe(string? json, bool full = false, IReadOnlyDictionary<long, string>? names = null) =>
        string.Join("; ", Parse(json).Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Who(c.PersonId, names)}{c.Field} = {Shown(c, full)}{(c.Date is { } d ? $" {d:yyyy-MM-dd}" : "")}")));

    private static string Who(long? personId, IReadOnlyDictionary<long, string>? names) => personId is not { } id ? ""
        : names is not null && names.TryGetValue(id, out var nama) ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{nama} (anggota {id}): ")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"anggota {id}: ");

    /// <summary>The changes a line stores (JSON), none for an empty line.</summary>
    public static List<VisitChange> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : System.Text.Json.JsonSerializer.Deserialize<List<VisitChange>>(json) ?? [];

    /// <summary>A proposed value as shown: a NIK masked and the values of sensitive fields (health, disability, income,
    /// pregnancy: UU PDP 27/2022) hidden, unless <paramref name="full"/> (a role that sees them, a full export).</summary>
    public static string Shown(VisitChange change, bool full) => full || change.Value is null ? change.Value ?? ""
        : change.Field.Equals("NIK", StringComparison.OrdinalIgnoreCase) ? Registry.Nik.Mask(change.Value)
        : Registry.HistoryValues.Show(change.Field.ToUpperInvariant(), change.Value, showSensitive: false) ?? "";
}

/// <summary>The village's musyawarah desa of a period: its date, the signed berita acara scan, and its closing.</summary>
public sealed class VerivaliMusdes
{
    public long Id { get; set; }
    public long PeriodId { get; set; }
    public required string KodeDesa { get; set; }
    public DateOnly HeldOn { get; set; }
    public string? ScanPath { get; set; }
    public string? ClosedBy { get; set; }
    public DateTime? ClosedAt { get; set; }
}

internal sealed class VerivaliPeriodConfiguration : IEntityTypeConfiguration<VerivaliPeriod>
{
    public void Configure(EntityTypeBuilder<VerivaliPeriod> builder) => builder.ToTable("verivali_periods");
}

internal sealed class VerivaliLineConfiguration : IEntityTypeConfiguration<VerivaliLine>
{
    public void Configure(EntityTypeBuilder<VerivaliLine> builder) => builder.ToTable("verivali_lines");
}

internal sealed class VerivaliLinePhotoConfiguration : IEntityTypeConfiguration<VerivaliLinePhoto>
{
    public void Configure(EntityTypeBuilder<VerivaliLinePhoto> builder) => builder.ToTable("verivali_line_photos");
}

internal sealed class VerivaliMusdesConfiguration : IEntityTypeConfiguration<VerivaliMusdes>
{
    public void Configure(EntityTypeBuilder<VerivaliMusdes> builder) => builder.ToTable("verivali_musdes");
}

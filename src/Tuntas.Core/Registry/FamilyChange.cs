using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Registry;

/// <summary>
/// One line of a family's change history (riwayat perubahan): who changed which field, when, from which source file,
/// old → new. Append-only: the history is evidence for verivali and for complaints.
/// </summary>
public sealed class FamilyChange
{
    public long Id { get; set; }
    public long FamilyId { get; set; }
    /// <summary>The member concerned, when the change is to a person (null for family fields).</summary>
    public long? PersonId { get; set; }
    /// <summary>Column name as in the import format (e.g. <c>JENIS_LANTAI</c>), or an event such as <c>ANGGOTA_BARU</c>.</summary>
    public required string Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public string? SourceFile { get; set; }
    public long? ImportJobId { get; set; }
    /// <summary>Which path made the change (<see cref="ChangeSource"/>): berkas, editor, usulan, musdes, kunjungan, gabung.</summary>
    public string Source { get; set; } = ChangeSource.File;
    /// <summary>What inside the source: the change request or musdes line id, e.g. <c>usulan:12</c>.</summary>
    public string? SourceRef { get; set; }
    /// <summary>The family's version after the change: an editor refused as stale is shown the lines after its version.</summary>
    public long? FamilyVersion { get; set; }
}

internal sealed class FamilyChangeConfiguration : IEntityTypeConfiguration<FamilyChange>
{
    public void Configure(EntityTypeBuilder<FamilyChange> builder)
    {
        builder.ToTable("family_changes");
        builder.HasIndex(c => c.FamilyId);
    }
}

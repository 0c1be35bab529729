using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Access;

/// <summary>A village a facilitator (pendamping) is assigned to: they read its families and make field updates there.</summary>
public sealed class UserVillage
{
    public long UserId { get; set; }
    public required string KodeDesa { get; set; }
    public required string AssignedBy { get; set; }
    public DateTime AssignedAt { get; set; }
}

/// <summary>
/// A data-sharing agreement (perjanjian berbagi data) with a partner organization — a CSR company, university, NGO or
/// BAZNAS: which villages or families its users may see by name, for what purpose, from when until when.
/// UU PDP 27/2022 Pasal 20 (a basis for processing) and Pasal 16 (purpose limitation). Never deleted: revoked, with who
/// and why, so the record of what was shared stays.
/// </summary>
public sealed class DataSharingAgreement
{
    public long Id { get; set; }
    /// <summary>The agreement's document number (nomor perjanjian), unique.</summary>
    public required string Number { get; set; }
    /// <summary>Matched to <see cref="Users.User.Organization"/> of partner users.</summary>
    public required string Organization { get; set; }
    public required string Purpose { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public string? RevokeReason { get; set; }

    public bool IsActiveOn(DateOnly day) => RevokedAt is null && StartsOn <= day && day <= EndsOn;
}

/// <summary>One shared village (<see cref="KodeDesa"/>) or one shared family (<see cref="FamilyId"/>) of an agreement.</summary>
public sealed class DataSharingItem
{
    public long Id { get; set; }
    public long AgreementId { get; set; }
    public string? KodeDesa { get; set; }
    public long? FamilyId { get; set; }
}

internal sealed class UserVillageConfiguration : IEntityTypeConfiguration<UserVillage>
{
    public void Configure(EntityTypeBuilder<UserVillage> builder)
    {
        builder.ToTable("user_villages");
        builder.HasKey(v => new { v.UserId, v.KodeDesa });
    }
}

internal sealed class DataSharingAgreementConfiguration : IEntityTypeConfiguration<DataSharingAgreement>
{
    public void Configure(EntityTypeBuilder<DataSharingAgreement> builder)
    {
        builder.ToTable("data_sharing_agreements");
        builder.HasIndex(a => a.Number).IsUnique();
    }
}

internal sealed class DataSharingItemConfiguration : IEntityTypeConfiguration<DataSharingItem>
{
    public void Configure(EntityTypeBuilder<DataSharingItem> builder) => builder.ToTable("data_sharing_items");
}

using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.FieldCollection;

/// <summary>
/// A token that lets one phone (ODK Collect, KoboCollect) act for one user over OpenRosa, like ODK Central's app users:
/// shown once when created, stored as SHA-256 only, revocable; the device sees exactly the user's <c>AccessScope</c>.
/// </summary>
public sealed class DeviceToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    /// <summary>What the facilitator calls the phone ("HP Samsung Bu Siti").</summary>
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// One published version of a generated XForm. A new version is stored when the registry's fields or code lists change
/// the generated form (its content hash differs); older versions stay, so submissions filled on them are still taken.
/// </summary>
public sealed class FieldForm
{
    public long Id { get; set; }
    public required string FormId { get; set; }
    public int Version { get; set; }
    /// <summary>MD5 of the XML (hex), as OpenRosa's form list announces it.</summary>
    public required string Hash { get; set; }
    /// <summary>SHA-256 of the form generated with the version left out: what decides whether a new version is due.</summary>
    public required string ContentHash { get; set; }
    public required string Xml { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A submission received from the field, kept whole (the XML as sent) whatever became of it: accepted (its visit was
/// recorded on the worklist line, or a new family line was proposed) or refused with the reasons, shown to the
/// enumerator and the operator. One row per instanceID.
/// </summary>
public sealed class FieldSubmission
{
    public long Id { get; set; }
    public required string InstanceId { get; set; }
    public required string FormId { get; set; }
    public int FormVersion { get; set; }
    public required string SubmittedBy { get; set; }
    public long? DeviceTokenId { get; set; }
    public DateTime ReceivedAt { get; set; }
    /// <summary><see cref="FieldTerms.Accepted"/> or <see cref="FieldTerms.Refused"/>.</summary>
    public required string Status { get; set; }
    /// <summary>The reasons of a refusal, one "CODE: text / English text" a line.</summary>
    public string? Problems { get; set; }
    public long? LineId { get; set; }
    public string? KodeDesa { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public double? Accuracy { get; set; }
    public required string XmlHash { get; set; }
    public required string Xml { get; set; }
}

/// <summary>A photo sent with a submission, kept by the attachment store under a random name.</summary>
public sealed class FieldSubmissionFile
{
    public long Id { get; set; }
    public long SubmissionId { get; set; }
    /// <summary>The file name the phone gave (the value of the form's photo field).</summary>
    public required string FileName { get; set; }
    public required string StoredName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
}

internal sealed class DeviceTokenConfiguration : IEntityTypeConfiguration<DeviceToken>
{
    public void Configure(EntityTypeBuilder<DeviceToken> builder)
    {
        builder.ToTable("device_tokens");
        builder.HasIndex(t => t.TokenHash).IsUnique();
    }
}

internal sealed class FieldFormConfiguration : IEntityTypeConfiguration<FieldForm>
{
    public void Configure(EntityTypeBuilder<FieldForm> builder)
    {
        builder.ToTable("field_forms");
        builder.HasIndex(f => new { f.FormId, f.Version }).IsUnique();
    }
}

internal sealed class FieldSubmissionConfiguration : IEntityTypeConfiguration<FieldSubmission>
{
    public void Configure(EntityTypeBuilder<FieldSubmission> builder)
    {
        builder.ToTable("field_submissions");
        builder.HasIndex(s => s.InstanceId).IsUnique();
    }
}

internal sealed class FieldSubmissionFileConfiguration : IEntityTypeConfiguration<FieldSubmissionFile>
{
    public void Configure(EntityTypeBuilder<FieldSubmissionFile> builder) => builder.ToTable("field_submission_files");
}

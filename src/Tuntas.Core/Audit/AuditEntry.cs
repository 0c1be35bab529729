using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Audit;

/// <summary>
/// One line of the audit trail: who (<see cref="Actor"/>, role, origin such as the IP or "cli"), when, did what
/// (<see cref="Action"/>, see <see cref="AuditActions"/>) to what (subject type and id), with details (old → new for
/// changes). Never a plain NIK: identifiers go in as <see cref="AuditText.NikDigest"/>. Each entry carries the hash of
/// the one before it, so editing or deleting a line breaks the chain (UU PDP 27/2022: accountable processing).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public string? ActorRole { get; set; }
    public string? Origin { get; set; }
    public required string Action { get; set; }
    public string? SubjectType { get; set; }
    public string? SubjectId { get; set; }
    public string? Detail { get; set; }
    public required string PrevHash { get; set; }
    public required string Hash { get; set; }

    /// <summary>The hash of the genesis entry's predecessor.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>SHA-256 over the previous hash and every field, length-prefixed so no two field lists collide.</summary>
    public string ComputeHash()
    {
        var builder = new StringBuilder();
        void Add(string? value) => builder.Append(value is null ? "-1" : value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
        Add(PrevHash);
        Add(Id.ToString(CultureInfo.InvariantCulture));
        // Microseconds, in UTC: what both databases store exactly.
        // SQLite hands times back without a kind; they were written in UTC.
        var at = At.Kind == DateTimeKind.Local ? At.ToUniversalTime() : DateTime.SpecifyKind(At, DateTimeKind.Utc);
        Add(at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
        Add(Actor);
        Add(ActorRole);
        Add(Origin);
        Add(Action);
        Add(SubjectType);
        Add(SubjectId);
        Add(Detail);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}

/// <summary>The actions the trail records (Indonesian words, as auditors read them).</summary>
public static class AuditActions
{
    public const string SignIn = "masuk";
    public const string SignInFailed = "masuk-gagal";
    public const string AccessDenied = "akses-ditolak";
    public const string ViewFamily = "lihat-keluarga";
    public const string Export = "ekspor";
    public const string Import = "impor";
    public const string Change = "ubah";
    public const string RevealNik = "buka-nik";
    /// <summary>A complaint opened in the back office: it carries the complainant's name, contact and NIK.</summary>
    public const string ViewComplaint = "lihat-pengaduan";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.Property(e => e.Id).ValueGeneratedNever();
    }
}

/// <summary>A secret of this installation (install_secrets), created on first use.</summary>
public sealed class InstallSecret
{
    public required string Name { get; set; }
    public required string Value { get; set; }
}

internal sealed class InstallSecretConfiguration : IEntityTypeConfiguration<InstallSecret>
{
    public void Configure(EntityTypeBuilder<InstallSecret> builder)
    {
        builder.ToTable("install_secrets");
        builder.HasKey(s => s.Name);
    }
}

using System.Security.Cryptography;
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
    /// <summary>The <see cref="AuditKey.KeyId"/> whose HMAC <see cref="Hash"/> is; null for entries written before the
    /// chain was keyed (plain SHA-256), which may only come before every keyed entry.</summary>
    public string? KeyId { get; set; }

    /// <summary>The hash of the genesis entry's predecessor.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// HMAC-SHA-256 with the audit key over the previous hash and every field (<see cref="Canonical"/>); for an entry of
    /// the unkeyed era (<see cref="KeyId"/> null), plain SHA-256 as it was written then.
    /// </summary>
    public string ComputeHash(AuditKey key) => KeyId is null
        ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical())))
        : KeyId == key.KeyId ? key.MacEntry(Canonical())
        : throw new InvalidOperationException($"Entri #{Id} memakai kunci {KeyId}, bukan {key.KeyId} / entry #{Id} uses another audit key.");

    /// <summary>Every field and the previous hash, length-prefixed so no two field lists collide.</summary>
    public string Canonical()
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
        return builder.ToString();
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
    /// <summary>A list or page showing persons by name (search results, a village's families, a program's recipients).</summary>
    public const string ViewPersonalData = "lihat-data-pribadi";
    /// <summary>The duplicate queue: pairs of persons with names and (masked) NIKs.</summary>
    public const string ViewDuplicates = "lihat-duplikat";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.Property(e => e.Id).ValueGeneratedNever();
    }
}

/// <summary>
/// A signed note of the chain's head (entry id and hash) at a moment: kept in the database and appended to a file outside
/// it. A chain cut back below a checkpoint, or rebuilt with other hashes, no longer matches it (<see cref="VerifyAudit"/>).
/// </summary>
public sealed class AuditCheckpoint
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public long EntryId { get; set; }
    public required string EntryHash { get; set; }
    public required string KeyId { get; set; }
    public required string Signature { get; set; }

    /// <summary>What is signed: the entry and the time, in a form both databases give back exactly.</summary>
    public string Canonical() => string.Create(CultureInfo.InvariantCulture,
        $"{EntryId}|{EntryHash}|{DateTime.SpecifyKind(At, DateTimeKind.Utc):yyyy-MM-dd'T'HH:mm:ss'Z'}");

    /// <summary>One line of the checkpoint file: tab-separated, readable and greppable.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"{DateTime.SpecifyKind(At, DateTimeKind.Utc):yyyy-MM-dd'T'HH:mm:ss'Z'}\t{EntryId}\t{EntryHash}\t{KeyId}\t{Signature}");

    public static AuditCheckpoint? FromLine(string line)
    {
        var parts = line.Split('\t');
        return parts.Length == 5 && DateTime.TryParseExact(parts[0], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var entryId)
            ? new AuditCheckpoint { At = at, EntryId = entryId, EntryHash = parts[2], KeyId = parts[3], Signature = parts[4] }
            : null;
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> builder) => builder.ToTable("audit_checkpoints");
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

using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Users;

/// <summary>A back-office user. Passwords are hashed with the shared framework's <c>PasswordHasher</c>.</summary>
public sealed class User
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    /// <summary>Region the user works in (a village for a village operator); null = whole regency.</summary>
    public string? RegionCode { get; set; }
    /// <summary>The OPD of an agency officer (its programs) or the company, university or NGO of a partner (its data-sharing agreements).</summary>
    public string? Organization { get; set; }
    public bool Disabled { get; set; }
    public int FailedSignIns { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The RFC 6238 shared secret (Base32) of the user's authenticator app; null = no second step enrolled.</summary>
    public string? TotpSecret { get; set; }
    /// <summary>When the user proved the authenticator works (a first code); until then the secret is only proposed.</summary>
    public DateTime? TotpConfirmedAt { get; set; }
    /// <summary>The last 30-second step whose code was accepted: a code is good once (RFC 6238 §5.2).</summary>
    public long? TotpLastStep { get; set; }

    public bool HasTwoFactor => TotpSecret is not null && TotpConfirmedAt is not null;
}

/// <summary>A machine client of the API (e.g. a village information system), authenticated by a key sent in <c>X-Api-Key</c>.</summary>
public sealed class ApiClient
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>SHA-256 of the key; the key itself is shown once, when created.</summary>
    public required string KeyHash { get; set; }
    public required string Role { get; set; }
    /// <summary>The region the client is bound to, as for a user (a village's information system: its village).</summary>
    public string? RegionCode { get; set; }
    /// <summary>The OPD or partner organization the client acts for, as for a user.</summary>
    public string? Organization { get; set; }
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Who the client is wherever a name stands for an owner or an actor (an import job's <c>created_by</c>, a kept
    /// upload's owner mark, the audit trail): "api:" + its name + "#" + its id. Names need not be unique — every village's
    /// key may well be called "OpenSID" — and by its name alone one village's key read and committed another village's
    /// import jobs, and the audit trail could not tell the two apart.
    /// </summary>
    public string Actor() => "api:" + Name + "#" + Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A signed-in session of the back office, kept on the server (OWASP ASVS 3.3.1, 3.3.3): the cookie carries a random
/// session id whose SHA-256 is stored here, so sign-out, a password reset or a disabled account end the session for
/// good — a copied cookie stops working at once, not when it expires.
/// </summary>
public sealed class UserSession
{
    public required string IdHash { get; set; }
    public long UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? Origin { get; set; }
    public DateTime? EndedAt { get; set; }
    /// <summary>keluar (signed out), sandi-direset (password reset), akun-diubah (role, region or status changed).</summary>
    public string? EndedReason { get; set; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasIndex(u => u.UserName).IsUnique();
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("user_sessions");
        builder.HasKey(s => s.IdHash);
    }
}

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> builder)
    {
        builder.ToTable("api_clients");
        builder.HasIndex(u => u.KeyHash).IsUnique();
    }
}

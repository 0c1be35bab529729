using Microsoft.EntityFrameworkCore;
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
}

/// <summary>A machine client of the API (e.g. a village information system), authenticated by a key sent in <c>X-Api-Key</c>.</summary>
public sealed class ApiClient
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>SHA-256 of the key; the key itself is shown once, when created.</summary>
    public required string KeyHash { get; set; }
    public required string Role { get; set; }
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasIndex(u => u.UserName).IsUnique();
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

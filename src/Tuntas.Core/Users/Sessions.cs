using System.Security.Cryptography;

namespace Tuntas.Users;

/// <summary>
/// Server-side sessions of the back office (<see cref="UserSession"/>; OWASP ASVS 3.3.1 and 3.3.3): started at sign-in
/// with a random id that only the cookie holds (the database keeps its SHA-256, so a database reader cannot replay it),
/// checked on every request, ended at sign-out, and ended all at once for a user whose password is reset or whose
/// account is disabled or changed.
/// </summary>
public sealed class Sessions(TuntasDb db, TimeProvider clock)
{
    public const string SignedOut = "keluar";
    public const string PasswordReset = "sandi-direset";
    public const string AccountChanged = "akun-diubah";

    /// <summary>Starts a session; returns the id to put in the cookie (never stored as such).</summary>
    public async Task<string> StartAsync(long userId, string? origin, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        db.UserSessions.Add(new UserSession
        {
            IdHash = Hash(id),
            UserId = userId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Origin = origin is { Length: > 64 } ? origin[..64] : origin,
        });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    public async Task EndAsync(string sessionId, string reason, CancellationToken cancellationToken)
    {
        var hash = Hash(sessionId);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.UserSessions.Where(s => s.IdHash == hash && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndedReason, reason), cancellationToken);
    }

    /// <summary>Ends every open session of the user (a password reset, a disabled or changed account); returns how many.</summary>
    public async Task<int> EndAllAsync(long userId, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndedReason, reason), cancellationToken);
    }

    public static string Hash(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Tuntas.Users;

/// <summary>
/// Sets a new password for a user (back office and <c>tuntas users reset-password</c>): given, or generated when none is
/// given (shown once to the administrator, to be handed over in person). Clears the sign-in back-off and ends every
/// session of the user (OWASP ASVS 3.3.3): a cookie taken before the reset no longer works.
/// </summary>
public sealed class ResetPassword(TuntasDb db, TimeProvider clock)
{
    public sealed record Outcome(bool Found, string? Password, Problem? Problem);

    public async Task<Outcome> RunAsync(long userId, string? password, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return new Outcome(false, null, null);
        }
        var chosen = string.IsNullOrEmpty(password) ? Generate() : password;
        if (PasswordPolicy.Check(chosen, user.UserName) is { } weak)
        {
            return new Outcome(true, null, weak);
        }
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, chosen);
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        await new Sessions(db, clock).EndAllAsync(user.Id, Sessions.PasswordReset, cancellationToken);
        return new Outcome(true, chosen, null);
    }

    /// <summary>16 random characters from an alphabet without look-alikes (0/O, 1/l/I), easy to read out.</summary>
    public static string Generate()
    {
        const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return new string([.. Enumerable.Range(0, 16).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)])]);
    }
}

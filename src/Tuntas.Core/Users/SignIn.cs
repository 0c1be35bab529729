using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Tuntas.Data;

namespace Tuntas.Users;

/// <summary>
/// Checks a back-office user name and password. Every refusal looks the same to the caller (unknown user, wrong password,
/// locked, disabled), so the form cannot be used to find out which accounts exist. After <see cref="MaxFailures"/>
/// failures in a row THE ACCOUNT is locked for <see cref="LockoutDuration"/> (OWASP ASVS 2.2.1), whoever is trying.
/// Only the user name is logged, never the password.
/// </summary>
public sealed class SignIn(TuntasDb db, TimeProvider clock, ILogger<SignIn> logger)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>A well-formed hash verified for unknown users, so the answer takes as long as for a real account.</summary>
    private static readonly User _decoyUser = new() { UserName = "", DisplayName = "", PasswordHash = "", Role = "" };
    private static readonly Lazy<string> _decoyHash = new(() => new PasswordHasher<User>().HashPassword(_decoyUser, "decoy-password"));

    public sealed record Input(string UserName, string Password);

    /// <summary><see cref="User"/> is null when refused; <see cref="Reason"/> is for logs and tests only, never for the UI.</summary>
    public sealed record Outcome(User? User, string Reason)
    {
        public bool Succeeded => User is not null;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var userName = AddUser.NormalizeUserName(input.UserName);
        var logName = LogSafe(userName);
        var hasher = new PasswordHasher<User>();
        var user = userName.Length == 0 ? null : await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            hasher.VerifyHashedPassword(_decoyUser, _decoyHash.Value, input.Password ?? "");
            logger.LogWarning("Sign-in refused for {UserName}: unknown user", logName);
            return new Outcome(null, "unknown");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (user.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            logger.LogWarning("Sign-in refused for {UserName}: account locked", logName);
            return new Outcome(null, "locked");
        }
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, input.Password ?? "");
        if (result == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= MaxFailures)
            {
                user.LockedUntil = now + LockoutDuration;
                user.FailedSignIns = 0;
                logger.LogWarning("Sign-in refused for {UserName}: wrong password; account locked for {Minutes} minutes", logName, LockoutDuration.TotalMinutes);
            }
            else
            {
                logger.LogWarning("Sign-in refused for {UserName}: wrong password ({Failures} of {Max})", logName, user.FailedSignIns, MaxFailures);
            }
            await db.SaveChangesAsync(cancellationToken);
            return new Outcome(null, "password");
        }
        if (user.Disabled)
        {
            logger.LogWarning("Sign-in refused for {UserName}: account disabled", logName);
            return new Outcome(null, "disabled");
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, input.Password!);
        }
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Sign-in succeeded for {UserName}", logName);
        return new Outcome(user, "ok");
    }

    /// <summary>User names are typed by anyone: keep log lines single and short (no forged entries).</summary>
    private static string LogSafe(string userName) =>
        new([.. userName.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}

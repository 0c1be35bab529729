using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Tuntas.Users;

/// <summary>
/// Checks a back-office user name and password (the first step; <see cref="SecondFactor"/> is the second where the
/// account has one). Every refusal looks the same to the caller and costs the same work — one indexed read and one
/// password-hash verification, against a decoy hash for an unknown name, and nothing written — so neither the answer
/// nor its timing tells which accounts exist (OWASP ASVS 2.2.1, 3.2). Guessing is slowed by <see cref="SignInThrottle"/>
/// (per user name, with back-off; a known device is not held back) instead of a lockout anyone could trigger.
/// Only the user name is logged, never the password.
/// </summary>
public sealed class SignIn(TuntasDb db, SignInThrottle throttle, ILogger<SignIn> logger)
{
    /// <summary>A well-formed hash verified for unknown users, so the answer takes as long as for a real account.</summary>
    private static readonly User _decoyUser = new() { UserName = "", DisplayName = "", PasswordHash = "", Role = "" };
    private static readonly Lazy<string> _decoyHash = new(() => new PasswordHasher<User>().HashPassword(_decoyUser, "decoy-password"));

    /// <param name="KnownDevice">The browser holds a device cookie of this user name (it signed in here before).</param>
    public sealed record Input(string UserName, string Password, bool KnownDevice = false);

    /// <summary>
    /// <see cref="User"/> is null when refused; <see cref="Reason"/> is for logs and tests only, never for the UI;
    /// <see cref="RetryAfter"/> is the back-off still to wait, said alike for every user name.
    /// </summary>
    public sealed record Outcome(User? User, string Reason, TimeSpan? RetryAfter = null)
    {
        public bool Succeeded => User is not null;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var userName = AddUser.NormalizeUserName(input.UserName);
        var logName = LogSafe(userName);
        var hasher = new PasswordHasher<User>();
        var wait = input.KnownDevice ? null : throttle.AccountWait(userName);
        var user = userName.Length is 0 or > 64 ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        // The same hashing work whatever follows: a held-back, unknown or disabled name costs what a wrong password costs.
        var result = hasher.VerifyHashedPassword(user ?? _decoyUser, user?.PasswordHash ?? _decoyHash.Value, input.Password ?? "");
        if (wait is { } retry)
        {
            logger.LogWarning("Sign-in not judged for {UserName}: back-off after repeated failures", logName);
            return new Outcome(null, "throttled", retry);
        }
        if (user is null || result == PasswordVerificationResult.Failed || user.Disabled)
        {
            throttle.RecordFailure(userName);
            logger.LogWarning("Sign-in refused for {UserName}: {Reason}", logName, user is null ? "unknown user" : user.Disabled ? "account disabled" : "wrong password");
            return new Outcome(null, user is null ? "unknown" : user.Disabled ? "disabled" : "password", throttle.AccountWait(userName));
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await db.Users.Where(u => u.Id == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, hasher.HashPassword(user, input.Password!)), cancellationToken);
        }
        throttle.RecordSuccess(userName);
        logger.LogInformation("Password accepted for {UserName}", logName);
        return new Outcome(user, "ok");
    }

    /// <summary>User names are typed by anyone: keep log lines single and short (no forged entries).</summary>
    private static string LogSafe(string userName) =>
        new([.. userName.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}

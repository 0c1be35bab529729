using Microsoft.Extensions.Configuration;
using OtpNet;

namespace Tuntas.Users;

/// <summary>
/// The second sign-in step: a time-based one-time password (TOTP, RFC 6238: 6 digits, 30-second steps, HMAC-SHA-1 —
/// what Google Authenticator, Microsoft Authenticator, FreeOTP and Aegis read from an <c>otpauth://</c> key). Required
/// for the roles of <c>Security:TwoFactorRoles</c> (default: administrator and TKPKD coordinator, who can change every
/// family and every user; OWASP ASVS 2.7, 4.3.1); any user may enroll. An account of such a role that has no
/// authenticator yet enrolls at its next sign-in, before it can do anything else. A code is accepted once (the last
/// step used is kept), one step of clock drift either way; wrong codes count toward the <see cref="SignInThrottle"/>.
/// </summary>
public sealed class SecondFactor(TuntasDb db, SignInThrottle throttle, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> DefaultRequiredRoles = [Roles.Administrator, Roles.TkpkdCoordinator];

    /// <summary>The roles that must use a second factor; an empty setting turns the requirement off (tests, a closed lab).</summary>
    public static IReadOnlyList<string> RequiredRoles(IConfiguration configuration) =>
        configuration["Security:TwoFactorRoles"] is { } configured
            ? [.. configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : DefaultRequiredRoles;

    public sealed record Enrollment(string Secret, string OtpAuthUri);

    /// <summary>The key to put into the authenticator app: proposed once, kept until confirmed with a first code.</summary>
    public async Task<Enrollment?> ProposeAsync(long userId, string issuer, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || user.HasTwoFactor)
        {
            return null;
        }
        if (user.TotpSecret is null)
        {
            user.TotpSecret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
            await db.SaveChangesAsync(cancellationToken);
        }
        var label = Uri.EscapeDataString(issuer + ":" + user.UserName);
        return new Enrollment(user.TotpSecret, $"otpauth://totp/{label}?secret={user.TotpSecret}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30");
    }

    /// <summary>Checks a code of the user's authenticator; the first good code confirms an enrollment.</summary>
    public async Task<bool> VerifyAsync(long userId, string? code, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        var digits = new string([.. (code ?? "").Where(char.IsAsciiDigit)]);
        if (user?.TotpSecret is null)
        {
            return false;
        }
        var totp = new Totp(Base32Encoding.ToBytes(user.TotpSecret), totpSize: 6);
        long step = 0;
        var ok = digits.Length == 6 && totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, digits, out step, new VerificationWindow(previous: 1, future: 1))
            && step > (user.TotpLastStep ?? 0);
        if (!ok)
        {
            throttle.RecordFailure(user.UserName);
            return false;
        }
        user.TotpLastStep = step;
        user.TotpConfirmedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>A lost phone: the administrator (back office or <c>tuntas users reset-2fa</c>) clears the key; the user enrolls again.</summary>
    public async Task<bool> ResetAsync(long userId, CancellationToken cancellationToken)
    {
        var changed = await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpSecret, (string?)null).SetProperty(u => u.TotpConfirmedAt, (DateTime?)null)
                .SetProperty(u => u.TotpLastStep, (long?)null), cancellationToken);
        if (changed > 0)
        {
            await new Sessions(db, clock).EndAllAsync(userId, Sessions.AccountChanged, cancellationToken);
        }
        return changed > 0;
    }
}

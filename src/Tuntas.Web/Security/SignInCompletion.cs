using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Tuntas.Users;

namespace Tuntas.Web.Security;

/// <summary>
/// The sign-in steps' shared parts: the pending second step (a short-lived, encrypted cookie naming the account whose
/// password was accepted), the device cookie (a browser that signed in to an account before is not held back by that
/// account's back-off, <see cref="SignInThrottle"/>), and the end of sign-in — a server-side session
/// (<see cref="Sessions"/>) and the authentication cookie that names it.
/// </summary>
public sealed class SignInCompletion(IDataProtectionProvider protection, Sessions sessions, SignInThrottle throttle, IConfiguration configuration)
{
    private const string PendingCookie = "tuntas.langkah2";
    private const string DeviceCookie = "tuntas.perangkat";
    private static readonly TimeSpan _pendingLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan _deviceLifetime = TimeSpan.FromDays(180);

    private ITimeLimitedDataProtector Pending => protection.CreateProtector("Tuntas.SignIn.SecondStep").ToTimeLimitedDataProtector();

    private ITimeLimitedDataProtector Device => protection.CreateProtector("Tuntas.SignIn.Device").ToTimeLimitedDataProtector();

    /// <summary>Whether this account must pass a second step: it has an authenticator, or its role requires one (not in demo mode).</summary>
    public bool NeedsSecondStep(User user) => user.HasTwoFactor
        || (!configuration.GetValue<bool>("Demo:Enabled") && SecondFactor.RequiredRoles(configuration).Contains(user.Role));

    public void StartSecondStep(HttpContext context, User user) =>
        context.Response.Cookies.Append(PendingCookie, Pending.Protect(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), _pendingLifetime),
            Options(context, _pendingLifetime));

    /// <summary>The account waiting for its second step, or null (none, expired or forged).</summary>
    public long? PendingUser(HttpContext context)
    {
        if (context.Request.Cookies[PendingCookie] is not { Length: > 0 } value)
        {
            return null;
        }
        try
        {
            return long.TryParse(Pending.Unprotect(value), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>True when the browser holds a device cookie of this user name.</summary>
    public bool IsKnownDevice(HttpContext context, string userName)
    {
        if (context.Request.Cookies[DeviceCookie] is not { Length: > 0 } value)
        {
            return false;
        }
        try
        {
            return Device.Unprotect(value) == AddUser.NormalizeUserName(userName);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Both steps passed: a new server-side session, its cookie, the device cookie; the pending step is cleared.</summary>
    public async Task CompleteAsync(HttpContext context, User user, CancellationToken cancellationToken)
    {
        var sessionId = await sessions.StartAsync(user.Id, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            TuntasClaims.For(user, CookieAuthenticationDefaults.AuthenticationScheme, sessionId),
            new AuthenticationProperties { IsPersistent = false });
        context.Response.Cookies.Delete(PendingCookie);
        context.Response.Cookies.Append(DeviceCookie, Device.Protect(user.UserName, _deviceLifetime), Options(context, _deviceLifetime));
        throttle.RecordSuccess(user.UserName);
    }

    private static CookieOptions Options(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        MaxAge = lifetime,
        Path = "/",
    };
}

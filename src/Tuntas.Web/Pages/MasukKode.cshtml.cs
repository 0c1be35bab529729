using Microsoft.Extensions.Localization;
using Tuntas.Users;

namespace Tuntas.Web.Pages;

/// <summary>
/// Sign-in, second step: the 6-digit code of the user's authenticator app (<see cref="SecondFactor"/>). An account of
/// a role that requires it and has no authenticator yet is shown its key first (enrollment), and its first good code
/// confirms it. Only reachable with the pending cookie the first step set (five minutes).
/// </summary>
public sealed class MasukKodeModel(TuntasDb db, SecondFactor secondFactor, SignInThrottle throttle, SignInCompletion completion,
    IConfiguration configuration, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public SecondFactor.Enrollment? Enrollment { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await PendingAsync(cancellationToken) is not { } user)
        {
            return Redirect("/Masuk");
        }
        Enrollment = await secondFactor.ProposeAsync(user.Id, Issuer, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await PendingAsync(cancellationToken) is not { } user)
        {
            return Redirect("/Masuk");
        }
        if (throttle.ClientWait(HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?") is { } wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = MasukModel.Seconds(wait);
            Error = text["Login.Wait", MasukModel.Seconds(wait)];
        }
        else if (!completion.IsKnownDevice(HttpContext, user.UserName) && throttle.AccountWait(user.UserName) is { } held)
        {
            Error = text["Login.Wait", MasukModel.Seconds(held)];
        }
        else if (await secondFactor.VerifyAsync(user.Id, Code, cancellationToken))
        {
            await completion.CompleteAsync(HttpContext, user, cancellationToken);
            SignInAttempt.Set(HttpContext, new SignInAttempt(user.UserName, true, user.Role, "dengan kode autentikator"));
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        else
        {
            SignInAttempt.Set(HttpContext, new SignInAttempt(user.UserName, false, null, "kode autentikator salah"));
            Error = text["Login.CodeWrong"];
        }
        Code = "";
        Enrollment = await secondFactor.ProposeAsync(user.Id, Issuer, cancellationToken);
        return Page();
    }

    private string Issuer => "Tuntas " + (configuration["Tuntas:Regency"] ?? "");

    private async Task<User?> PendingAsync(CancellationToken cancellationToken) =>
        completion.PendingUser(HttpContext) is { } id
            ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id && !u.Disabled, cancellationToken)
            : null;
}

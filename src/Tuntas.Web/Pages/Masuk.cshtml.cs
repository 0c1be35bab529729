using Microsoft.Extensions.Localization;
using Tuntas.Users;

namespace Tuntas.Web.Pages;

/// <summary>
/// Sign-in, first step. One message for every refusal (unknown user, wrong password, disabled): no account probing.
/// A client over its attempt limit gets 429 with the real wait before any password is checked; a user name in back-off
/// gets the same wait whether it exists or not (<see cref="SignInThrottle"/>). An account with an authenticator, or of a
/// role that requires one, goes on to <c>/Masuk/Kode</c>.
/// </summary>
public sealed class MasukModel(SignIn signIn, SignInThrottle throttle, SignInCompletion completion, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public string UserName { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (throttle.ClientWait(HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?") is { } wait)
        {
            return Throttled(wait);
        }
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = text["Login.Failed"];
            return Page();
        }
        var name = AddUser.NormalizeUserName(UserName);
        var outcome = await signIn.RunAsync(new SignIn.Input(UserName, Password, completion.IsKnownDevice(HttpContext, name)), cancellationToken);
        Password = "";
        if (outcome.User is not { } user)
        {
            if (outcome.Reason != "throttled")
            {
                SignInAttempt.Set(HttpContext, new SignInAttempt(name, false, null));
            }
            Error = outcome.RetryAfter is { } retry ? text["Login.Wait", Seconds(retry)] : text["Login.Failed"];
            return Page();
        }
        if (completion.NeedsSecondStep(user))
        {
            completion.StartSecondStep(HttpContext, user);
            return Redirect("/Masuk/Kode" + (Url.IsLocalUrl(ReturnUrl) ? "?ReturnUrl=" + Uri.EscapeDataString(ReturnUrl!) : ""));
        }
        await completion.CompleteAsync(HttpContext, user, cancellationToken);
        SignInAttempt.Set(HttpContext, new SignInAttempt(user.UserName, true, user.Role));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private PageResult Throttled(TimeSpan wait)
    {
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = Seconds(wait);
        Error = text["Login.Wait", Seconds(wait)];
        return Page();
    }

    internal static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

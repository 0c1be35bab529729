using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Tuntas.Users;

namespace Tuntas.Web.Pages;

/// <summary>
/// Sign-out is a POST (with antiforgery), so a link on another site cannot sign a user out. It ends the server-side
/// session (OWASP ASVS 3.3.1): a copy of the cookie taken before no longer works.
/// </summary>
public sealed class KeluarModel(Sessions sessions) : PageModel
{
    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirstValue(TuntasClaims.Session) is { Length: > 0 } session)
        {
            await sessions.EndAsync(session, Sessions.SignedOut, cancellationToken);
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/Masuk");
    }
}

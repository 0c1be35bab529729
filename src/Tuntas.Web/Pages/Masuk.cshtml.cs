using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tuntas.Users;
using Tuntas.Web.Security;

namespace Tuntas.Web.Pages;

/// <summary>Sign-in. One message for every refusal (unknown user, wrong password, locked, disabled): no account probing.</summary>
public sealed class MasukModel(SignIn signIn, IStringLocalizer<SharedResource> text) : PageModel
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
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = text["Login.Failed"];
            return Page();
        }
        var outcome = await signIn.RunAsync(new SignIn.Input(UserName, Password), cancellationToken);
        Password = "";
        if (outcome.User is not { } user)
        {
            Error = text["Login.Failed"];
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            TuntasClaims.For(user, CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = false });
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}

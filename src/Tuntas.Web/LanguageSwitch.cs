using Microsoft.AspNetCore.Localization;

namespace Tuntas.Web;

/// <summary>The layout's language link: stores the choice in the culture cookie and goes back to the (local) page.</summary>
public static class LanguageSwitch
{
    public static void MapLanguageSwitch(this IEndpointRouteBuilder app) =>
        app.MapGet("/bahasa/{culture}", (string culture, string? returnUrl, HttpContext context) =>
        {
            var chosen = culture is "en" ? "en" : "id";
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps });
            var local = returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal);
            return Results.LocalRedirect(local ? returnUrl! : "/");
        }).AllowAnonymous().ExcludeFromDescription();
}

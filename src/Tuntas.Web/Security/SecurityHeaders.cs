namespace Tuntas.Web.Security;

/// <summary>
/// Headers on every dynamic response (static files are served before this runs). Back-office pages and /api carry
/// personal data: <c>Cache-Control: no-store</c> keeps them out of shared and browser caches (UU PDP; OWASP ASVS 8.2.1).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// OWASP ASVS 14.4.3 / 50.2: scripts and styles only from Tuntas itself — no inline script or style, no eval, no
    /// other origin — so an injected <c>&lt;script&gt;</c> or <c>onclick=""</c> does not run even if escaping were ever
    /// missed. The pages' scripts are static files under wwwroot/js; Leaflet's legend and markers are styled through the
    /// DOM (element.style), which the policy allows. <c>data:</c> images are Leaflet's marker icons; the map has no tile
    /// server, so nothing else is fetched from elsewhere.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static Task AddAsync(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return Task.CompletedTask;
        });
        return next();
    }
}

namespace Tuntas.Web.Security;

/// <summary>
/// Headers on every dynamic response (static files are served before this runs). Back-office pages and /api carry
/// personal data: <c>Cache-Control: no-store</c> keeps them out of shared and browser caches (UU PDP; OWASP ASVS 8.2.1).
/// </summary>
public static class SecurityHeaders
{
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
            return Task.CompletedTask;
        });
        return next();
    }
}

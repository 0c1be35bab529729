using Microsoft.Extensions.Localization;

namespace Tuntas.Web.Pages;

/// <summary>
/// The page shown for an error status of a page request (re-executed by the status-code-pages middleware; /api answers
/// ProblemDetails instead): what happened and what to do, in the reader's language — a refused (replayed or expired)
/// form, a page that is not there or not in the user's scope, an upload over the size limit, too many requests.
/// </summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken] // re-executed for a refused POST: it keeps the method and must not be refused again
public sealed class StatusModel(IStringLocalizer<SharedResource> text) : PageModel
{
    public int Code { get; private set; }

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    /// <summary>A re-executed POST (a refused form) keeps its method; it shows the same page and changes nothing.</summary>
    public void OnPost(int code) => OnGet(code);

    public void OnGet(int code)
    {
        Code = code;
        var key = code switch
        {
            400 or 404 or 413 or 429 => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "other",
        };
        Title = text["Status." + key + ".Title"];
        // A request refused by the input gate says which input, not "the form expired".
        Message = HttpContext.Items[Security.InputGuard.RefusalKey] is string refusal ? text[refusal] : text["Status." + key];
        // Too many requests: say how long to wait, from the Retry-After the rate limiter set (whole minutes, rounded up).
        if (code == 429 && int.TryParse(Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            Message = text["Status.429.Wait", (seconds + 59) / 60];
        }
    }
}

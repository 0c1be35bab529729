using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tuntas.PublicPortal;
using Tuntas.Web.Api;

namespace Tuntas.Web.Pages.Publik;

/// <summary>
/// "Cek bantuan" (issue #7 §1): a citizen types NIK and name, or NIK and NO_KK, and learns whether the family is in
/// the integrated data and which programs it receives — the same use case and limits as <c>POST /api/public/status</c>.
/// A POST with antiforgery, so the NIK never appears in a URL and a replayed or forged form is refused.
/// </summary>
[Tuntas.Web.Security.NotAudited]
public sealed class CekModel(CheckStatus check, PublicRateLimits limits) : PageModel
{
    [BindProperty]
    public string? Nik { get; set; }

    [BindProperty]
    public string? Nama { get; set; }

    [BindProperty]
    public string? NoKk { get; set; }

    public CheckStatus.Outcome? Result { get; private set; }

    public bool Limited { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!limits.AllowStatusCheck(PublicApi.ClientOf(HttpContext), Nik))
        {
            Limited = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "60";
            return Page();
        }
        Result = await check.RunAsync(new CheckStatus.Input(Nik, string.IsNullOrWhiteSpace(Nama) ? null : Nama, string.IsNullOrWhiteSpace(NoKk) ? null : NoKk), cancellationToken);
        // The form is not echoed back: the NIK stays only in the citizen's own request.
        Nik = Nama = NoKk = null;
        return Page();
    }
}

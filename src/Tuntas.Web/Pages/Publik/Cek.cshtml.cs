using Tuntas.PublicPortal;
using Tuntas.Web.PublicPortal;

namespace Tuntas.Web.Pages.Publik;

/// <summary>
/// "Cek bantuan": a citizen types NIK and name, or NIK and NO_KK, and learns whether the family is in
/// the integrated data and which programs it receives — the same use case and limits as <c>POST /api/public/status</c>.
/// A POST with antiforgery, so the NIK never appears in a URL and a replayed or forged form is refused.
/// </summary>
[Tuntas.Web.Security.NotAudited]
public sealed class CekModel(CheckStatus check, PublicRateLimits limits) : StatusCheckPage
{

    public bool Limited { get; private set; }

    /// <summary>When <see cref="Limited"/>: the real wait, in whole minutes, said on the page as in Retry-After.</summary>
    public int WaitMinutes { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!limits.AllowStatusCheck(PublicClient.Of(HttpContext), Nik, out var wait))
        {
            Limited = true;
            var seconds = PublicRateLimits.Seconds(wait);
            WaitMinutes = (seconds + 59) / 60;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Nik = Nama = NoKk = null;
            return Page();
        }
        Result = await check.RunAsync(new CheckStatus.Input(Nik, string.IsNullOrWhiteSpace(Nama) ? null : Nama, string.IsNullOrWhiteSpace(NoKk) ? null : NoKk), cancellationToken);
        // The form is not echoed back: the NIK stays only in the citizen's own request.
        Nik = Nama = NoKk = null;
        return Page();
    }
}

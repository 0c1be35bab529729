using Tuntas.Complaints;
using Tuntas.PublicPortal;
using Tuntas.Web.Complaints;
using Tuntas.Web.PublicPortal;

namespace Tuntas.Web.Pages.Publik;

/// <summary>
/// A citizen files a complaint and gets a ticket number to follow it. Antiforgery on the form (a replayed
/// or forged post is refused), a per-client limit on complaints, attachments checked by size and real type, the text
/// stored as typed and always shown encoded.
/// </summary>
[RequestSizeLimit(10 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 10 * 1024 * 1024)]
public sealed class PengaduanModel(TuntasDb db, FileComplaint fileComplaint, PublicRateLimits limits, IConfiguration configuration)
    : ComplaintFormPage(db, fileComplaint, configuration)
{
    public string? Ticket { get; private set; }

    public bool Limited { get; private set; }

    /// <summary>When <see cref="Limited"/>: the real wait in whole minutes, said on the page as Retry-After says it.</summary>
    public int WaitMinutes { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadVillagesAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadVillagesAsync(cancellationToken);
        if (!limits.AllowComplaint(PublicClient.Of(HttpContext), out var wait))
        {
            Limited = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            WaitMinutes = (PublicRateLimits.Seconds(wait) + 59) / 60;
            Response.Headers.RetryAfter = PublicRateLimits.Seconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }
        Ticket = (await FileAsync(ComplaintTerms.ChannelPortal, "publik", cancellationToken))?.Ticket;
        return Page();
    }
}

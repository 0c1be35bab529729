using Tuntas.Complaints;
using Tuntas.PublicPortal;
using Tuntas.Web.PublicPortal;

namespace Tuntas.Web.Pages.Publik;

/// <summary>Follows a complaint by its ticket number: status, handler, public steps, resolution. A POST, rate limited per client.</summary>
public sealed class LacakModel(TrackComplaint track, PublicRateLimits limits, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? Tiket { get; set; }

    public TrackComplaint.View? Complaint { get; private set; }

    public bool Searched { get; private set; }

    public bool Limited { get; private set; }

    /// <summary>When <see cref="Limited"/>: the real wait in whole minutes, said on the page as Retry-After says it.</summary>
    public int WaitMinutes { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!limits.AllowClient(PublicClient.Of(HttpContext), out var wait))
        {
            Limited = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            WaitMinutes = (PublicRateLimits.Seconds(wait) + 59) / 60;
            Response.Headers.RetryAfter = PublicRateLimits.Seconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }
        Searched = true;
        Complaint = await track.RunAsync(Tiket, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return Page();
    }
}

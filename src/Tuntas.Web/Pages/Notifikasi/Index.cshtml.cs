using Microsoft.AspNetCore.Authorization;
using Tuntas.Notifications;

namespace Tuntas.Web.Pages.Notifikasi;

/// <summary>
/// The outbox for the administrator (docs/notifications.md): whether the citizens' messages went out, which wait for a
/// retry and why, which were abandoned. Contacts masked, texts not shown (<see cref="ReadOutbox"/>); which channels are
/// configured, so "waiting" with "SMTP not configured" points at the setting to fix.
/// </summary>
public sealed class IndexModel(ReadOutbox read, NotificationOptions options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Halaman { get; set; } = 1;

    public ReadOutbox.Outcome Outbox { get; private set; } = null!;

    public NotificationOptions Options => options;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Outbox = await read.RunAsync(new ReadOutbox.Input(Status, Halaman), cancellationToken);
}

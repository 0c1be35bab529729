using Tuntas.Complaints;
using Tuntas.Users;
using Tuntas.Web.Complaints;

namespace Tuntas.Web.Pages.Aduan;

/// <summary>
/// The posko / PUSKESOS front office: an officer or volunteer records a walk-in citizen's complaint with
/// the same checks as the portal; the citizen leaves with the ticket number. Not for partners and auditors.
/// </summary>
[RequestSizeLimit(10 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 10 * 1024 * 1024)]
public sealed class BaruModel(TuntasDb db, FileComplaint fileComplaint, IConfiguration configuration) : ComplaintFormPage(db, fileComplaint, configuration)
{
    public Complaint? Filed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!User.Has(ComplaintPermissions.File))
        {
            return Forbid();
        }
        // A village operator's posko files for its own village by default.
        Form.KodeDesa = User.FindFirst(TuntasClaims.Region)?.Value is { Length: 13 } village ? village : null;
        await LoadVillagesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!User.Has(ComplaintPermissions.File))
        {
            return Forbid();
        }
        await LoadVillagesAsync(cancellationToken);
        Filed = await FileAsync(ComplaintTerms.ChannelPosko, User.UserName(), cancellationToken);
        if (Filed is { } complaint)
        {
            AuditDetail.Set(HttpContext, $"pengaduan {complaint.Ticket} dicatat di posko ({complaint.Category})");
        }
        return Page();
    }
}

using Tuntas.Complaints;
using Tuntas.Registry;

namespace Tuntas.Web.Pages.Aduan;

/// <summary>
/// One complaint in the back office: who complained and how to reach them (NIK masked unless the role
/// verifies identities), what happened, the attachments, every step (public and internal), the linked change requests,
/// and — for its handler — the form to move it on. Each view is in the audit trail (lihat-pengaduan).
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("pengaduan", "id", Tuntas.Audit.AuditActions.ViewComplaint)]
public sealed class DetailModel(TuntasDb db, ChangeComplaintStatus changeStatus, Tuntas.Attachments.AttachmentStore storage) : PageModel
{
    public Complaint Complaint { get; private set; } = null!;

    public string? VillageName { get; private set; }

    public IReadOnlyList<ComplaintEvent> Events { get; private set; } = [];

    public IReadOnlyList<ComplaintAttachment> Attachments { get; private set; } = [];

    public IReadOnlyList<ChangeRequest> ChangeRequests { get; private set; } = [];

    public bool FamilyInScope { get; private set; }

    public bool CanHandle { get; private set; }

    public IReadOnlyList<Tuntas.Problem> Problems { get; private set; } = [];

    public bool Saved { get; private set; }

    [BindProperty]
    public string? Status { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public bool NotePublic { get; set; }

    public string NikShown => ComplaintAccess.NikFor(Complaint, User.Has(RegistryPermissions.SeeFullIdentifiers), FamilyInScope) ?? "—";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!CanHandle)
        {
            return Forbid();
        }
        var from = Complaint.Status;
        var outcome = await changeStatus.RunAsync(new ChangeComplaintStatus.Input(id, Status ?? Complaint.Status, Note, NotePublic, User.UserName()), cancellationToken);
        Problems = outcome.Problem is { } problem ? [problem] : [];
        if (outcome.Problem is null)
        {
            Saved = true;
            AuditDetail.Set(HttpContext, $"pengaduan {Complaint.Ticket}: status {from} → {outcome.Complaint!.Status}");
            Note = null;
        }
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>An attachment, to users who may see the complaint; sent as a download named and typed by its detected type.</summary>
    public async Task<IActionResult> OnGetLampiranAsync(long id, [FromQuery] long lampiran, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Attachments.FirstOrDefault(a => a.Id == lampiran) is not { } attachment
            || Web.Attachments.AttachmentDownload.Prepare(Response, storage, attachment.StoredName, attachment.FileName) is not { } file)
        {
            return NotFound();
        }
        return PhysicalFile(file.Path, file.ContentType, file.DownloadName);
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var scope = User.AccessScope();
        var complaint = await ComplaintAccess.Visible(db.Complaints.AsNoTracking(), User.Role(), User.OrganizationOf(), scope)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (complaint is null)
        {
            return false;
        }
        Complaint = complaint;
        CanHandle = ComplaintAccess.MayHandle(complaint, User.Role(), User.OrganizationOf(), scope);
        VillageName = complaint.KodeDesa is null ? null : await db.Regions.AsNoTracking().Where(r => r.Code == complaint.KodeDesa).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        Events = await db.ComplaintEvents.AsNoTracking().Where(e => e.ComplaintId == id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        Attachments = await db.ComplaintAttachments.AsNoTracking().Where(a => a.ComplaintId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        ChangeRequests = await db.ChangeRequests.AsNoTracking().Where(r => r.ComplaintId == id).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        FamilyInScope = (await ComplaintAccess.FamiliesInScopeAsync(db, scope, [complaint.FamilyId], cancellationToken)).Count > 0;
        return true;
    }
}

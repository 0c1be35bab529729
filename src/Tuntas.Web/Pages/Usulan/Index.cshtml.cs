using Tuntas.Complaints;
using Tuntas.Users;

namespace Tuntas.Web.Pages.Usulan;

/// <summary>
/// Data change requests in the user's villages (facilitators' field updates): open ones first,
/// each with its source (a complaint, linked, or a field visit), for the village operator (and the administrator or
/// coordinator) to accept or reject with a note. Facilitators see the requests of their villages, their own included.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("usulan-perubahan", null)]
public sealed class IndexModel(TuntasDb db, ChangeRequests changeRequests) : PageModel
{
    /// <param name="FamilyInScope">Whether the linked family is in the reader's scope (<see cref="ComplaintAccess.FamiliesInScopeAsync"/>): only then is it linked.</param>
    public sealed record Row(ChangeRequest Request, string? Ticket, long? ComplaintId, bool FamilyInScope);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public bool CanDecide => ComplaintAccess.MayDecide(User.Role());

    [BindProperty]
    public long RequestId { get; set; }

    [BindProperty]
    public bool Accept { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = await ComplaintAccess.VisibleChangeRequests(db.ChangeRequests.AsNoTracking(), User.Role(), User.AccessScope())
            .OrderBy(r => r.Status != ComplaintTerms.ChangeOpen).ThenByDescending(r => r.Id).Take(200)
            .Select(r => new { Request = r, Ticket = db.Complaints.Where(c => c.Id == r.ComplaintId).Select(c => c.Ticket).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var inScope = await ComplaintAccess.FamiliesInScopeAsync(db, User.AccessScope(), rows.Select(r => r.Request.FamilyId), cancellationToken);
        Rows = [.. rows.Select(r => new Row(r.Request, r.Ticket, r.Request.ComplaintId, r.Request.FamilyId is { } id && inScope.Contains(id)))];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var request = await ComplaintAccess.VisibleChangeRequests(db.ChangeRequests.AsNoTracking(), User.Role(), User.AccessScope())
            .SingleOrDefaultAsync(r => r.Id == RequestId, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }
        if (!CanDecide)
        {
            return Forbid();
        }
        var (_, problem) = await changeRequests.DecideAsync(RequestId, Accept, Note, User.UserName(), cancellationToken);
        Problems = problem is null ? [] : [problem];
        if (problem is null)
        {
            AuditDetail.Set(HttpContext, $"usulan #{RequestId}: {(Accept ? "diterima" : "ditolak")}");
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }
}

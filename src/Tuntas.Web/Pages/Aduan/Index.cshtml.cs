using Tuntas.Complaints;

namespace Tuntas.Web.Pages.Aduan;

/// <summary>
/// The complaints a user may see (<see cref="ComplaintAccess"/>), overdue and escalated first, filtered by status and
/// category: the posko's and the handler's work list. Names are not listed here, only on the complaint.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("pengaduan", null)]
public sealed class IndexModel(TuntasDb db, TimeProvider clock) : PageModel
{
    public const int PageSize = 100;

    public sealed record Row(long Id, string Ticket, string Category, string Status, string? KodeDesa, string Handler, DateTime CreatedAt, DateTime DueAt,
        bool Overdue, bool Escalated);

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kategori { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public bool CanFile => User.Has(ComplaintPermissions.File);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = ComplaintAccess.Visible(db.Complaints.AsNoTracking(), User.Role(), User.OrganizationOf(), User.AccessScope());
        if (!string.IsNullOrWhiteSpace(Status))
        {
            query = Status == "terlambat"
                ? query.Where(c => c.DueAt < now && c.Status != ComplaintTerms.Resolved && c.Status != ComplaintTerms.Rejected)
                : query.Where(c => c.Status == Status);
        }
        if (!string.IsNullOrWhiteSpace(Kategori))
        {
            query = query.Where(c => c.Category == Kategori);
        }
        Total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderBy(c => c.Status == ComplaintTerms.Resolved || c.Status == ComplaintTerms.Rejected)
            .ThenByDescending(c => c.EscalatedAt != null)
            .ThenBy(c => c.DueAt)
            .Take(PageSize)
            .Select(c => new { c.Id, c.Ticket, c.Category, c.Status, c.KodeDesa, c.HandlerKind, c.HandlerCode, c.CreatedAt, c.DueAt, c.EscalatedAt })
            .ToListAsync(cancellationToken);
        Rows = [.. rows.Select(c => new Row(c.Id, c.Ticket, c.Category, c.Status, c.KodeDesa, c.HandlerKind == ComplaintTerms.Agency ? c.HandlerCode : c.HandlerKind,
            c.CreatedAt, c.DueAt, !ComplaintTerms.IsClosed(c.Status) && c.DueAt < now, c.EscalatedAt is not null))];
    }
}

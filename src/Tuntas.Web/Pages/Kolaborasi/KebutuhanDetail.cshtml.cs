using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Complaints;
using Tuntas.Users;
using Tuntas.Web.Collaboration;
using Tuntas.Web.Complaints;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// One need: what, where, how much; who covers what and the gap; the pledge form for the stakeholders
/// the user may act for; and each commitment's progress — berjalan, terealisasi with the realized amount and evidence
/// (a photo or document, checked by real type and size), or dibatalkan — with every step and its evidence.
/// </summary>
[RequestSizeLimit(5 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 5 * 1024 * 1024)]
[Tuntas.Web.Security.PersonalDataRead("kebutuhan", "id")]
public sealed class KebutuhanDetailModel(TuntasDb db, BrowseNeeds browse, Commitments commitments, Tuntas.Attachments.AttachmentStore storage,
    Tuntas.P2kp.Planning.ReadPlans plans) : PageModel
{
    /// <summary>The P2KP activity each commitment funds (a BKM's plan links it; docs/p2kp.md).</summary>
    public IReadOnlyDictionary<long, Tuntas.P2kp.Planning.ReadPlans.FundedActivity> Funded { get; private set; } =
        new Dictionary<long, Tuntas.P2kp.Planning.ReadPlans.FundedActivity>();

    public BrowseNeeds.Row Row { get; private set; } = null!;

    public IReadOnlyList<Stakeholder> MayPledgeFor { get; private set; } = [];

    public IReadOnlyDictionary<long, Stakeholder> Stakeholders { get; private set; } = new Dictionary<long, Stakeholder>();

    public IReadOnlyList<CommitmentEvent> Events { get; private set; } = [];

    public bool FamilyInScope { get; private set; }

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public string? Done { get; private set; }

    [BindProperty]
    public long StakeholderId { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public long CommitmentId { get; set; }

    [BindProperty]
    public string? Status { get; set; }

    [BindProperty]
    public string? Realized { get; set; }

    [BindProperty]
    public IFormFile? Bukti { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostJanjiAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (MayPledgeFor.All(s => s.Id != StakeholderId))
        {
            return Forbid();
        }
        var (commitment, problems) = await commitments.PledgeAsync(new Commitments.PledgeInput(id, StakeholderId, Kind, Amount, Note, User.UserName()), cancellationToken);
        Problems = problems;
        if (commitment is not null)
        {
            Done = "Collab.Pledged.Done";
            AuditDetail.Set(HttpContext, $"komitmen #{commitment.Id} untuk kebutuhan #{id}: {commitment.Kind} {commitment.PledgedAmount}");
        }
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostKemajuanAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var pledge = Row.Pledges.FirstOrDefault(p => p.CommitmentId == CommitmentId);
        if (pledge is null)
        {
            return NotFound();
        }
        if (!Stakeholders.TryGetValue(pledge.StakeholderId, out var stakeholder) || !User.MayActFor(stakeholder))
        {
            return Forbid();
        }
        var evidence = Bukti is null ? null : (await ComplaintForm.ReadAttachmentsAsync([Bukti], cancellationToken)).FirstOrDefault();
        var (_, problems) = await commitments.ProgressAsync(new Commitments.ProgressInput(CommitmentId, Status, Realized, Note, evidence, User.UserName()), cancellationToken);
        Problems = problems;
        if (problems.Count == 0)
        {
            Done = "Users.Saved";
            AuditDetail.Set(HttpContext, $"komitmen #{CommitmentId}: {pledge.Status} → {Status}");
        }
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>A step's evidence: a village need's to any signed-in user (it shows a delivery); a named family's only
    /// inside the reader's scope (<see cref="CollaborationAccess.SeesFamilyDetails"/>).</summary>
    public async Task<IActionResult> OnGetBuktiAsync(long id, [FromQuery] long langkah, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || !User.SeesFamilyDetails(Row.Need) || Events.FirstOrDefault(e => e.Id == langkah) is not { EvidenceStoredName: { } stored } step
            || Web.Attachments.AttachmentDownload.Prepare(Response, storage, stored, step.EvidenceName) is not { } file)
        {
            return NotFound();
        }
        return PhysicalFile(file.Path, file.ContentType, file.DownloadName);
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var need = await db.Needs.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (need is null)
        {
            return false;
        }
        Row = (await browse.RunAsync(new BrowseNeeds.Input(OpenOnly: false, NeedId: id), cancellationToken)).Single();
        var all = await db.Stakeholders.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        Stakeholders = all.ToDictionary(s => s.Id);
        MayPledgeFor = [.. all.Where(s => s.Active && User.MayActFor(s))];
        var ids = Row.Pledges.Select(p => p.CommitmentId).ToList();
        Events = await db.CommitmentEvents.AsNoTracking().Where(e => ids.Contains(e.CommitmentId)).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        Funded = await plans.FundedByAsync(ids, User.AccessScope(), cancellationToken);
        FamilyInScope = need.FamilyId is { } familyId && await User.AccessScope().Apply(db.Families).AnyAsync(f => f.Id == familyId, cancellationToken);
        return true;
    }
}

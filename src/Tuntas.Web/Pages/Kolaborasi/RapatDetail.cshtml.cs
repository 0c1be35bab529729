using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Tuntas.Collaboration;
using Tuntas.Data;
using Tuntas.Users;
using Tuntas.Web.Collaboration;
using Tuntas.Web.Security;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// One meeting (issue #6 §3): agenda, invitees with attendance, minutes, decisions, action items with owner and due
/// date. The organizer records; an action's owner (or the secretariat) closes it.
/// </summary>
public sealed class RapatDetailModel(TuntasDb db, Meetings meetings) : PageModel
{
    public Meeting Meeting { get; private set; } = null!;

    public IReadOnlyList<(MeetingInvitee Invitee, Stakeholder Stakeholder)> Invitees { get; private set; } = [];

    public IReadOnlyList<MeetingDecision> Decisions { get; private set; } = [];

    public IReadOnlyList<(ActionItem Action, Stakeholder Owner)> Actions { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public bool CanRecord { get; private set; }

    [BindProperty]
    public List<long> Hadir { get; set; } = [];

    [BindProperty]
    public string? Minutes { get; set; }

    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public string? ActionText { get; set; }

    [BindProperty]
    public long Owner { get; set; }

    [BindProperty]
    public DateOnly? DueOn { get; set; }

    [BindProperty]
    public long ActionId { get; set; }

    [BindProperty]
    public bool Done { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostHadirAsync(long id, CancellationToken cancellationToken) =>
        await RecordAsync(id, async () =>
        {
            await meetings.RecordAsync(id, Hadir, new Dictionary<long, string>(), Minutes, cancellationToken);
            AuditDetail.Set(HttpContext, $"rapat #{id}: kehadiran {Hadir.Count} dari {Invitees.Count}");
            return [];
        }, cancellationToken);

    public async Task<IActionResult> OnPostKeputusanAsync(long id, CancellationToken cancellationToken) =>
        await RecordAsync(id, async () => await meetings.DecideAsync(id, Decision, cancellationToken) is { } p ? [p] : [], cancellationToken);

    public async Task<IActionResult> OnPostTindakLanjutAsync(long id, CancellationToken cancellationToken) =>
        await RecordAsync(id, async () => (await meetings.AddActionAsync(id, ActionText, Owner, DueOn, cancellationToken)).Problems, cancellationToken);

    public async Task<IActionResult> OnPostTutupAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var action = Actions.FirstOrDefault(a => a.Action.Id == ActionId);
        if (action.Action is null)
        {
            return NotFound();
        }
        if (!User.MayActFor(action.Owner))
        {
            return Forbid();
        }
        Problems = await meetings.CloseActionAsync(ActionId, Done, null, cancellationToken) is { } problem ? [problem] : [];
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<IActionResult> RecordAsync(long id, Func<Task<IReadOnlyList<Problem>>> record, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!CanRecord)
        {
            return Forbid();
        }
        Problems = await record();
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken) is not { } meeting)
        {
            return false;
        }
        Meeting = meeting;
        CanRecord = User.MayRecord(meeting);
        Invitees = [.. (await db.MeetingInvitees.AsNoTracking().Where(i => i.MeetingId == id).Join(db.Stakeholders, i => i.StakeholderId, s => s.Id, (i, s) => new { i, s })
            .OrderBy(x => x.s.Name).ToListAsync(cancellationToken)).Select(x => (x.i, x.s))];
        Decisions = await db.MeetingDecisions.AsNoTracking().Where(d => d.MeetingId == id).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        Actions = [.. (await db.ActionItems.AsNoTracking().Where(a => a.MeetingId == id).Join(db.Stakeholders, a => a.OwnerStakeholderId, s => s.Id, (a, s) => new { a, s })
            .OrderBy(x => x.a.DueOn).ToListAsync(cancellationToken)).Select(x => (x.a, x.s))];
        return true;
    }
}

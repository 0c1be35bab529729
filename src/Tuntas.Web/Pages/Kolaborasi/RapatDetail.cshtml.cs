using Tuntas.Collaboration;
using Tuntas.Collaboration.Meetings;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// One meeting: agenda, invitees with attendance, minutes, decisions, action items with owner and due
/// date. The organizer records; an action's owner (or the secretariat) closes it.
/// </summary>
public sealed class RapatDetailModel(ReadMeeting read, RecordAttendance attendance, RecordDecision decide, AddAction addAction, CloseAction close) : PageModel
{
    public Meeting Meeting { get; private set; } = null!;

    public IReadOnlyList<ReadMeeting.InviteeLine> Invitees { get; private set; } = [];

    public IReadOnlyList<MeetingDecision> Decisions { get; private set; } = [];

    public IReadOnlyList<ReadMeeting.ActionLine> Actions { get; private set; } = [];

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

    [BindProperty]
    public string? CloseNote { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostHadirAsync(long id, CancellationToken cancellationToken) =>
        await RecordAsync(id, async () =>
        {
            await attendance.RunAsync(new(id, Hadir, new Dictionary<long, string>(), Minutes), cancellationToken);
            AuditDetail.Set(HttpContext, $"rapat #{id}: kehadiran {Hadir.Count} dari {Invitees.Count}");
            return [];
        }, cancellationToken);

    public async Task<IActionResult> OnPostKeputusanAsync(long id, CancellationToken cancellationToken) =>
        await RecordAsync(id, async () => await decide.RunAsync(new(id, Decision), cancellationToken) is { } p ? [p] : [], cancellationToken);

    public async Task<IActionResult> OnPostTindakLanjutAsync(long id, CancellationToken cancellationToken) =>
        await RecordAsync(id, async () => (await addAction.RunAsync(new(id, ActionText, Owner, DueOn), cancellationToken)).Problems, cancellationToken);

    public async Task<IActionResult> OnPostTutupAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (Actions.FirstOrDefault(a => a.Action.Id == ActionId) is not { } action)
        {
            return NotFound();
        }
        if (!User.MayActFor(action.Owner))
        {
            return Forbid();
        }
        Problems = await close.RunAsync(new(ActionId, Done, CloseNote), cancellationToken) is { } problem ? [problem] : [];
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
        if (await read.RunAsync(id, cancellationToken) is not { } detail)
        {
            return false;
        }
        (Meeting, Invitees, Decisions, Actions) = detail;
        CanRecord = User.MayRecord(Meeting);
        return true;
    }
}

using Tuntas.Collaboration;
using Tuntas.Collaboration.Meetings;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// Meetings: the schedule, attendance per stakeholder over time (who keeps missing the rapat koordinasi),
/// open follow-ups with the overdue ones first, and the form to schedule a meeting with its invitees.
/// </summary>
public sealed class RapatModel(TuntasDb db, ReadAttendance attendance, ListOpenActions openActions, ScheduleMeeting schedule, IConfiguration configuration) : PageModel
{
    public IReadOnlyList<Meeting> List { get; private set; } = [];

    public IReadOnlyList<ReadAttendance.Attendance> Attendance { get; private set; } = [];

    public IReadOnlyList<ListOpenActions.OpenAction> Actions { get; private set; } = [];

    public IReadOnlyList<Stakeholder> Stakeholders { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    [BindProperty]
    public MeetingForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        List = await db.Meetings.AsNoTracking().OrderByDescending(m => m.HeldAt).Take(100).ToListAsync(cancellationToken);
        Attendance = await attendance.RunAsync(cancellationToken);
        Actions = await openActions.RunAsync(null, cancellationToken);
        Stakeholders = await db.Stakeholders.AsNoTracking().Where(s => s.Active).OrderBy(s => s.Helix).ThenBy(s => s.Name).ToListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!User.MaySchedule(Form.Kind, Form.KodeDesa))
        {
            return Forbid();
        }
        var (meeting, problems) = await schedule.RunAsync(new ScheduleMeeting.Input(Form.Kind, Form.Title, Form.HeldAt is { } local ? configuration.ToUtc(local) : null, Form.KodeDesa, Form.Agenda, Form.Invitees,
            User.UserName()), cancellationToken);
        if (meeting is not null)
        {
            AuditDetail.Set(HttpContext, $"rapat #{meeting.Id} {meeting.Kind} dijadwalkan {meeting.HeldAt:yyyy-MM-dd HH:mm}, {Form.Invitees.Count} undangan");
            return RedirectToPage("/Kolaborasi/RapatDetail", new { id = meeting.Id });
        }
        Problems = problems;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}

public sealed class MeetingForm
{
    public string? Kind { get; set; } = "rakor-tkpkd";
    public string? Title { get; set; }
    public DateTime? HeldAt { get; set; }
    public string? KodeDesa { get; set; }
    public string? Agenda { get; set; }
    public List<long> Invitees { get; set; } = [];
}

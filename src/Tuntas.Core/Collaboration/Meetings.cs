using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Collaboration;

/// <summary>
/// Meetings and their follow-up: schedule with invitees, record attendance and minutes, add decisions
/// and action items (owner, due date), close actions. Each operation checks everything first and lists every problem.
/// </summary>
public sealed class Meetings(TuntasDb db, TimeProvider clock)
{
    public static readonly IReadOnlyList<CollaborationTerms.Term> Kinds =
    [
        new("rakor-tkpkd", "Rapat koordinasi TKPKD", "TKPKD coordination meeting"),
        new("musdes", "Musyawarah desa", "Village meeting"),
        new("forum-csr", "Forum CSR", "CSR forum"),
        new("lainnya", "Lainnya", "Other"),
    ];

    public const string ActionOpen = "terbuka";
    public const string ActionDone = "selesai";
    public const string ActionCancelled = "batal";

    public sealed record ScheduleInput(string? Kind, string? Title, DateTime? HeldAt, string? KodeDesa, string? Agenda, IReadOnlyList<long> Invitees, string Actor);

    public async Task<(Meeting? Meeting, IReadOnlyList<Problem> Problems)> ScheduleAsync(ScheduleInput input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (!CollaborationTerms.IsKnown(Kinds, input.Kind))
        {
            problems.Add(new("Kind", "KIND_UNKNOWN", "Pilih jenis rapat.", "Choose the kind of meeting."));
        }
        var title = (input.Title ?? "").Trim();
        if (title.Length is < 5 or > 200)
        {
            problems.Add(new("Title", "TITLE_LENGTH", "Judul rapat 5–200 karakter.", "The meeting's title is 5–200 characters."));
        }
        if (input.HeldAt is null)
        {
            problems.Add(new("HeldAt", "DATE_REQUIRED", "Tanggal dan jam rapat wajib diisi.", "The meeting's date and time are required."));
        }
        string? village = null;
        if (input.Kind == "musdes" || !string.IsNullOrWhiteSpace(input.KodeDesa))
        {
            village = RegionCode.ToDotted(input.KodeDesa ?? "");
            if (village is not { Length: 13 } || !await db.Regions.AnyAsync(r => r.Code == village && r.Level == Region.Village, cancellationToken))
            {
                problems.Add(new("KodeDesa", "VILLAGE_REQUIRED", "Musyawarah desa perlu desanya.", "A village meeting needs its village."));
            }
        }
        var invitees = input.Invitees.Distinct().ToList();
        var known = await db.Stakeholders.AsNoTracking().Where(s => invitees.Contains(s.Id) && s.Active).Select(s => s.Id).ToListAsync(cancellationToken);
        if (invitees.Count == 0 || known.Count != invitees.Count)
        {
            problems.Add(new("Invitees", "INVITEES", "Undang sedikitnya satu pemangku kepentingan aktif.", "Invite at least one active stakeholder."));
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var meeting = new Meeting
        {
            Kind = input.Kind!,
            Title = title,
            HeldAt = DateTime.SpecifyKind(input.HeldAt!.Value, DateTimeKind.Utc),
            KodeDesa = village,
            Agenda = string.IsNullOrWhiteSpace(input.Agenda) ? null : input.Agenda.Trim(),
            CreatedBy = input.Actor,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Meetings.Add(meeting);
        await db.SaveChangesAsync(cancellationToken);
        db.MeetingInvitees.AddRange(invitees.Select(id => new MeetingInvitee { MeetingId = meeting.Id, StakeholderId = id }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (meeting, []);
    }

    /// <summary>Records who came (stakeholder ids present; every other invitee absent) and the minutes.</summary>
    public async Task<bool> RecordAsync(long meetingId, IReadOnlyCollection<long> present, IReadOnlyDictionary<long, string> notes, string? minutes, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        if (meeting is null)
        {
            return false;
        }
        foreach (var invitee in await db.MeetingInvitees.Where(i => i.MeetingId == meetingId).ToListAsync(cancellationToken))
        {
            invitee.Attended = present.Contains(invitee.StakeholderId);
            invitee.Note = notes.GetValueOrDefault(invitee.StakeholderId) is { Length: > 0 } note ? note.Trim() : invitee.Note;
        }
        meeting.Minutes = string.IsNullOrWhiteSpace(minutes) ? meeting.Minutes : minutes.Trim();
        meeting.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<Problem?> DecideAsync(long meetingId, string? text, CancellationToken cancellationToken)
    {
        var decision = (text ?? "").Trim();
        if (decision.Length is < 5 or > 2000)
        {
            return new Problem("Decision", "DECISION_LENGTH", "Keputusan 5–2000 karakter.", "A decision is 5–2000 characters.");
        }
        db.MeetingDecisions.Add(new MeetingDecision { MeetingId = meetingId, Text = decision });
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<(ActionItem? Action, IReadOnlyList<Problem> Problems)> AddActionAsync(long meetingId, string? text, long ownerId, DateOnly? dueOn, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var what = (text ?? "").Trim();
        if (what.Length is < 5 or > 1000)
        {
            problems.Add(new("Text", "ACTION_LENGTH", "Tindak lanjut 5–1000 karakter.", "An action is 5–1000 characters."));
        }
        if (!await db.Stakeholders.AnyAsync(s => s.Id == ownerId && s.Active, cancellationToken))
        {
            problems.Add(new("Owner", "OWNER_REQUIRED", "Pilih penanggung jawab (pemangku kepentingan aktif).", "Choose the owner (an active stakeholder)."));
        }
        if (dueOn is null)
        {
            problems.Add(new("DueOn", "DUE_REQUIRED", "Tenggat wajib diisi.", "The due date is required."));
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var contact = await db.StakeholderContacts.Where(c => c.StakeholderId == ownerId && c.Until == null).Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken);
        var action = new ActionItem
        {
            MeetingId = meetingId,
            Text = what,
            OwnerStakeholderId = ownerId,
            OwnerContactId = contact,
            DueOn = dueOn!.Value,
            Status = ActionOpen,
            UpdatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ActionItems.Add(action);
        await db.SaveChangesAsync(cancellationToken);
        return (action, []);
    }

    public async Task<Problem?> CloseActionAsync(long actionId, bool done, string? note, CancellationToken cancellationToken)
    {
        var action = await db.ActionItems.SingleOrDefaultAsync(a => a.Id == actionId, cancellationToken);
        if (action is null || action.Status != ActionOpen)
        {
            return new Problem("Status", "ACTION_CLOSED", "Tindak lanjut ini tidak ada atau sudah ditutup.", "This action does not exist or is closed.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        action.Status = done ? ActionDone : ActionCancelled;
        action.DoneOn = DateOnly.FromDateTime(now);
        action.Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        action.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public sealed record InviteeLine(MeetingInvitee Invitee, Stakeholder Stakeholder);

    public sealed record ActionLine(ActionItem Action, Stakeholder Owner);

    public sealed record Detail(Meeting Meeting, IReadOnlyList<InviteeLine> Invitees, IReadOnlyList<MeetingDecision> Decisions, IReadOnlyList<ActionLine> Actions);

    /// <summary>One meeting with its invitees (and attendance), decisions and actions; null when there is none.</summary>
    public async Task<Detail?> DetailAsync(long id, CancellationToken cancellationToken)
    {
        if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken) is not { } meeting)
        {
            return null;
        }
        var invitees = await db.MeetingInvitees.AsNoTracking().Where(i => i.MeetingId == id).Join(db.Stakeholders, i => i.StakeholderId, s => s.Id, (i, s) => new { i, s })
            .OrderBy(x => x.s.Name).ToListAsync(cancellationToken);
        var decisions = await db.MeetingDecisions.AsNoTracking().Where(d => d.MeetingId == id).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        var actions = await db.ActionItems.AsNoTracking().Where(a => a.MeetingId == id).Join(db.Stakeholders, a => a.OwnerStakeholderId, s => s.Id, (a, s) => new { a, s })
            .OrderBy(x => x.a.DueOn).ToListAsync(cancellationToken);
        return new Detail(meeting, [.. invitees.Select(x => new InviteeLine(x.i, x.s))], decisions, [.. actions.Select(x => new ActionLine(x.a, x.s))]);
    }

    public sealed record Attendance(long StakeholderId, string Stakeholder, int Invited, int Attended, int Absent, double Rate);

    /// <summary>Attendance per stakeholder over the recorded meetings (absence over time), worst first.</summary>
    public async Task<IReadOnlyList<Attendance>> AttendanceAsync(CancellationToken cancellationToken)
    {
        var rows = await db.MeetingInvitees.AsNoTracking().Where(i => i.Attended != null)
            .Join(db.Stakeholders, i => i.StakeholderId, s => s.Id, (i, s) => new { s.Id, s.Name, Attended = i.Attended!.Value }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (r.Id, r.Name)).Select(g =>
            {
                var attended = g.Count(r => r.Attended);
                return new Attendance(g.Key.Id, g.Key.Name, g.Count(), attended, g.Count() - attended, (double)attended / g.Count());
            }).OrderBy(a => a.Rate).ThenByDescending(a => a.Absent).ThenBy(a => a.Stakeholder, StringComparer.Ordinal)];
    }

    public sealed record OpenAction(ActionItem Action, string Owner, string Meeting, bool Overdue);

    /// <summary>Open actions, overdue first, optionally only those of the given owners (a user's own organization).</summary>
    public async Task<IReadOnlyList<OpenAction>> OpenActionsAsync(IReadOnlyCollection<long>? owners, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var query = db.ActionItems.AsNoTracking().Where(a => a.Status == ActionOpen);
        if (owners is not null)
        {
            query = query.Where(a => owners.Contains(a.OwnerStakeholderId));
        }
        var rows = await query.Join(db.Stakeholders, a => a.OwnerStakeholderId, s => s.Id, (a, s) => new { a, s.Name })
            .Join(db.Meetings, x => x.a.MeetingId, m => m.Id, (x, m) => new { x.a, x.Name, m.Title })
            .OrderBy(x => x.a.DueOn).ToListAsync(cancellationToken);
        return [.. rows.Select(x => new OpenAction(x.a, x.Name, x.Title, x.a.DueOn < today))];
    }
}

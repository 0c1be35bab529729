using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Collaboration.Meetings;

/// <summary>
/// Schedules a meeting with its invitees: a rapat koordinasi TKPKD, a musyawarah desa (which needs its village), a Forum
/// CSR. Checks everything first and lists every problem; the meeting and its invitations are one transaction.
/// </summary>
public sealed class ScheduleMeeting(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string? Kind, string? Title, DateTime? HeldAt, string? KodeDesa, string? Agenda, IReadOnlyList<long> Invitees, string Actor);

    public sealed record Outcome(Meeting? Meeting, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (!CollaborationTerms.IsKnown(MeetingTerms.Kinds, input.Kind))
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
            return new(null, problems);
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
        return new(meeting, []);
    }
}

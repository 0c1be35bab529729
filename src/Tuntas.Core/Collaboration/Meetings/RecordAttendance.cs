namespace Tuntas.Collaboration.Meetings;

/// <summary>
/// Records who came to a meeting (the stakeholders present; every other invitee absent), their notes and the minutes
/// (notulen). Attendance over time is what shows an agency that keeps missing the rapat koordinasi (GERTAK's lesson).
/// </summary>
public sealed class RecordAttendance(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(long MeetingId, IReadOnlyCollection<long> Present, IReadOnlyDictionary<long, string> Notes, string? Minutes);

    /// <summary>False when there is no such meeting.</summary>
    public async Task<bool> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == input.MeetingId, cancellationToken);
        if (meeting is null)
        {
            return false;
        }
        foreach (var invitee in await db.MeetingInvitees.Where(i => i.MeetingId == input.MeetingId).ToListAsync(cancellationToken))
        {
            invitee.Attended = input.Present.Contains(invitee.StakeholderId);
            invitee.Note = input.Notes.GetValueOrDefault(invitee.StakeholderId) is { Length: > 0 } note ? note.Trim() : invitee.Note;
        }
        meeting.Minutes = string.IsNullOrWhiteSpace(input.Minutes) ? meeting.Minutes : input.Minutes.Trim();
        meeting.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}

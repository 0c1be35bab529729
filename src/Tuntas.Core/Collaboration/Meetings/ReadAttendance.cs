namespace Tuntas.Collaboration.Meetings;

/// <summary>
/// Attendance per stakeholder over the recorded meetings, worst first: the seeds' failure of key agencies missing the
/// coordination meetings, made visible.
/// </summary>
public sealed class ReadAttendance(TuntasDb db)
{
    public sealed record Attendance(long StakeholderId, string Stakeholder, int Invited, int Attended, int Absent, double Rate);

    public async Task<IReadOnlyList<Attendance>> RunAsync(CancellationToken cancellationToken)
    {
        var rows = await db.MeetingInvitees.AsNoTracking().Where(i => i.Attended != null)
            .Join(db.Stakeholders, i => i.StakeholderId, s => s.Id, (i, s) => new { s.Id, s.Name, Attended = i.Attended!.Value }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (r.Id, r.Name)).Select(g =>
            {
                var attended = g.Count(r => r.Attended);
                return new Attendance(g.Key.Id, g.Key.Name, g.Count(), attended, g.Count() - attended, (double)attended / g.Count());
            }).OrderBy(a => a.Rate).ThenByDescending(a => a.Absent).ThenBy(a => a.Stakeholder, StringComparer.Ordinal)];
    }
}

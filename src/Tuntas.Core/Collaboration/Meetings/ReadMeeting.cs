namespace Tuntas.Collaboration.Meetings;

/// <summary>One meeting with its invitees (and attendance), decisions and actions.</summary>
public sealed class ReadMeeting(TuntasDb db)
{
    public sealed record InviteeLine(MeetingInvitee Invitee, Stakeholder Stakeholder);

    public sealed record ActionLine(ActionItem Action, Stakeholder Owner);

    public sealed record Detail(Meeting Meeting, IReadOnlyList<InviteeLine> Invitees, IReadOnlyList<MeetingDecision> Decisions, IReadOnlyList<ActionLine> Actions);

    /// <summary>Null when there is no such meeting.</summary>
    public async Task<Detail?> RunAsync(long id, CancellationToken cancellationToken)
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
}

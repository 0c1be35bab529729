using Tuntas.Access;
using Tuntas.Users;

namespace Tuntas.Verivali;

/// <summary>The village operator (or the regency) assigns worklist lines to a facilitator or a relawan, who then sees
/// exactly those families (<see cref="Access.ResolveAccessScope"/>).</summary>
public sealed class AssignLines(TuntasDb db)
{
    public sealed record Input(IReadOnlyList<long> LineIds, string AssignTo, AccessScope Scope, string Role, string Actor);

    public async Task<(int Assigned, Problem? Problem)> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var assignee = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == input.AssignTo, cancellationToken);
        // A disabled account does no more field work: nothing is assigned to it.
        if (assignee is null || assignee.Disabled || assignee.Role is not (Roles.Facilitator or Roles.Relawan))
        {
            return (0, VerivaliProblems.Of("ASSIGNEE"));
        }
        var ids = input.LineIds.Distinct().ToList();
        var lines = await VerivaliLines.Visible(db, input.Scope, input.Role, input.Actor)
            .Where(l => ids.Contains(l.Id) && db.VerivaliPeriods.Any(p => p.Id == l.PeriodId && p.ClosedAt == null))
            .ToListAsync(cancellationToken);
        if (lines.Count != ids.Count)
        {
            return (0, VerivaliProblems.Of("LINE_NOT_FOUND"));
        }
        // The assignee's phone is sent the family, its members and the full NO_KK of every line assigned to them
        // (FieldMedia): a facilitator only in the villages they are assigned to, a relawan with a village only in it. A
        // relawan without a village is the assigner's own helper and sees exactly the lines assigned.
        var area = assignee.Role == Roles.Relawan
            ? assignee.RegionCode is { Length: > 0 } village ? AccessScope.Within(village) : AccessScope.Regency
            : await new ResolveAccessScope(db, TimeProvider.System).RunAsync(
                new ResolveAccessScope.Input(assignee.Id, assignee.Role, assignee.RegionCode, assignee.Organization), cancellationToken);
        if (lines.FirstOrDefault(l => !area.CoversVillage(l.KodeDesa)) is { } outside)
        {
            return (0, VerivaliProblems.Of("ASSIGNEE_AREA", outside.Id));
        }
        foreach (var line in lines)
        {
            line.AssignedTo = assignee.UserName;
        }
        await db.SaveChangesAsync(cancellationToken);
        return (lines.Count, null);
    }
}

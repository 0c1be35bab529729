namespace Tuntas.Verivali;

/// <summary>The worklist lines a user may see and act on: village roles by village, a relawan only the lines assigned to them.</summary>
public static class VerivaliLines
{
    public static IQueryable<VerivaliLine> Visible(TuntasDb db, AccessScope scope, string role, string userName) =>
        role == Users.Roles.Relawan
            ? db.VerivaliLines.Where(l => l.AssignedTo == userName)
            : db.VerivaliLines.Where(scope.VillageFilter<VerivaliLine>(l => l.KodeDesa));

    /// <summary>The village's musdes of the period is closed: its decisions are final, and a visit, review or proposal made
    /// after it would wait for a meeting that has been held (it went nowhere, the decision then refused).</summary>
    public static Task<bool> MusdesClosedAsync(TuntasDb db, long periodId, string kodeDesa, CancellationToken cancellationToken) =>
        db.VerivaliMusdes.AnyAsync(m => m.PeriodId == periodId && m.KodeDesa == kodeDesa && m.ClosedAt != null, cancellationToken);

    public static async Task<(VerivaliLine? Line, VerivaliPeriod? Period)> FindAsync(TuntasDb db, long lineId, AccessScope scope, string role, string userName, CancellationToken cancellationToken)
    {
        var line = await Visible(db, scope, role, userName).SingleOrDefaultAsync(l => l.Id == lineId, cancellationToken);
        var period = line is null ? null : await db.VerivaliPeriods.SingleAsync(p => p.Id == line.PeriodId, cancellationToken);
        return (line, period);
    }
}

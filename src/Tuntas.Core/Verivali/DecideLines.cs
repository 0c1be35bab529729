namespace Tuntas.Verivali;

/// <summary>
/// The musdes' decision per reviewed line — setuju, tolak or tunda — recorded by the village operator while the musdes of
/// the village is open. A line outside the caller's scope is "not found" (the API answers 403 for a line it knows is
/// elsewhere); nothing is recorded unless every line of the request is valid.
/// </summary>
public sealed class DecideLines(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(IReadOnlyDictionary<long, string> Decisions, AccessScope Scope, string Role, string Actor);

    public async Task<(int Decided, Problem? Problem)> RunAsync(Input input, CancellationToken cancellationToken)
    {
        if (input.Decisions.Values.Any(d => !VerivaliTerms.Decisions.Contains(d)))
        {
            return (0, VerivaliProblems.Of("DECISION"));
        }
        var ids = input.Decisions.Keys.ToList();
        var lines = await VerivaliLines.Visible(db, input.Scope, input.Role, input.Actor).Where(l => ids.Contains(l.Id)).ToListAsync(cancellationToken);
        if (lines.Count != ids.Count)
        {
            return (0, VerivaliProblems.Of("LINE_NOT_FOUND"));
        }
        var periods = lines.Select(l => l.PeriodId).Distinct().ToList();
        if (await db.VerivaliPeriods.AnyAsync(p => periods.Contains(p.Id) && p.ClosedAt != null, cancellationToken))
        {
            return (0, VerivaliProblems.Of("PERIOD_CLOSED"));
        }
        var villages = lines.Select(l => l.KodeDesa).Distinct().ToList();
        if (await db.VerivaliMusdes.AnyAsync(m => periods.Contains(m.PeriodId) && villages.Contains(m.KodeDesa) && m.ClosedAt != null, cancellationToken))
        {
            return (0, VerivaliProblems.Of("MUSDES_CLOSED"));
        }
        if (lines.FirstOrDefault(l => l.Status is not (VerivaliTerms.Reviewed or VerivaliTerms.Decided)) is { } early)
        {
            return (0, VerivaliProblems.Of("LINE_STATE", early.Status));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var line in lines)
        {
            line.Decision = input.Decisions[line.Id];
            line.DecidedBy = input.Actor;
            line.DecidedAt = now;
            line.Status = VerivaliTerms.Decided;
        }
        await db.SaveChangesAsync(cancellationToken);
        return (lines.Count, null);
    }
}

namespace Tuntas.Verivali;

/// <summary>The village operator reviews a visit: accepted for the musdes (ditinjau), or sent back for another visit (baru).</summary>
public sealed class ReviewVisit(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(long LineId, bool Accept, AccessScope Scope, string Role, string Actor);

    public async Task<(VerivaliLine? Line, Problem? Problem)> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var (line, period) = await VerivaliLines.FindAsync(db, input.LineId, input.Scope, input.Role, input.Actor, cancellationToken);
        if (line is null || period is null)
        {
            return (null, VerivaliProblems.Of("LINE_NOT_FOUND"));
        }
        if (!period.IsOpen)
        {
            return (line, VerivaliProblems.Of("PERIOD_CLOSED"));
        }
        if (await VerivaliLines.MusdesClosedAsync(db, period.Id, line.KodeDesa, cancellationToken))
        {
            return (line, VerivaliProblems.Of("MUSDES_DONE"));
        }
        if (line.Status is not (VerivaliTerms.Visited or VerivaliTerms.Reviewed))
        {
            return (line, VerivaliProblems.Of("LINE_STATE", line.Status));
        }
        line.Status = input.Accept ? VerivaliTerms.Reviewed : VerivaliTerms.Open;
        line.ReviewedBy = input.Actor;
        line.ReviewedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return (line, null);
    }
}

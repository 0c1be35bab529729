namespace Tuntas.Verivali;

/// <summary>The regency (Dinas Sosial) closes the period: no visit or decision after this; the proposal is exported
/// (<see cref="ExportProposal"/>) for the Bupati's approval and the upload to the ministry (DOMAIN §2.1).</summary>
public sealed class ClosePeriod(TuntasDb db, TimeProvider clock)
{
    public async Task<Problem?> RunAsync(long periodId, string actor, CancellationToken cancellationToken)
    {
        var period = await db.VerivaliPeriods.SingleOrDefaultAsync(p => p.Id == periodId, cancellationToken);
        if (period is null)
        {
            return VerivaliProblems.Of("LINE_NOT_FOUND");
        }
        if (!period.IsOpen)
        {
            return VerivaliProblems.Of("PERIOD_CLOSED");
        }
        period.ClosedAt = clock.GetUtcNow().UtcDateTime;
        period.ClosedBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}

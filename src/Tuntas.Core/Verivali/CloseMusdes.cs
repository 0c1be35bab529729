namespace Tuntas.Verivali;

/// <summary>
/// Closes a village's musdes of a period: only with every reviewed line decided (setuju/tolak/tunda) and the signed
/// berita acara scan stored as evidence (DOMAIN §2.1: signed berita acara, attendance and BNBA list are uploaded).
/// After closing, the decisions cannot change and may be applied (<see cref="ApplyDecisions"/>).
/// </summary>
/// <param name="regency">Its time zone says what "today" is for the musdes date: a musdes held this WIB morning is still
/// tomorrow in UTC.</param>
public sealed class CloseMusdes(TuntasDb db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Regions.RegencyOptions>? regency = null)
{
    public sealed record Input(long PeriodId, string KodeDesa, DateOnly HeldOn, string? ScanPath, AccessScope Scope, string Actor);

    public async Task<(VerivaliMusdes? Musdes, Problem? Problem)> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var period = await db.VerivaliPeriods.SingleOrDefaultAsync(p => p.Id == input.PeriodId, cancellationToken);
        if (period is null || !input.Scope.CoversVillage(input.KodeDesa))
        {
            return (null, VerivaliProblems.Of("LINE_NOT_FOUND"));
        }
        if (!period.IsOpen)
        {
            return (null, VerivaliProblems.Of("PERIOD_CLOSED"));
        }
        // The berita acara records a meeting that was held: a date still to come is a typo (2027 for 2026), and the
        // progress page counted "-87 days since the musdes".
        if (input.HeldOn > Regions.RegencyOptions.Of(regency).Today(clock))
        {
            return (null, VerivaliProblems.Of("MUSDES_DATE", input.HeldOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        var musdes = await db.VerivaliMusdes.SingleOrDefaultAsync(m => m.PeriodId == input.PeriodId && m.KodeDesa == input.KodeDesa, cancellationToken);
        if (musdes?.ClosedAt is not null)
        {
            return (musdes, VerivaliProblems.Of("MUSDES_CLOSED"));
        }
        var undecided = await db.VerivaliLines.CountAsync(l => l.PeriodId == input.PeriodId && l.KodeDesa == input.KodeDesa && l.Status == VerivaliTerms.Reviewed, cancellationToken);
        if (undecided > 0)
        {
            return (musdes, VerivaliProblems.Of("MUSDES_UNDECIDED", undecided));
        }
        var scan = input.ScanPath ?? musdes?.ScanPath;
        if (string.IsNullOrEmpty(scan))
        {
            return (musdes, VerivaliProblems.Of("MUSDES_SCAN"));
        }
        if (musdes is null)
        {
            musdes = new VerivaliMusdes { PeriodId = input.PeriodId, KodeDesa = input.KodeDesa };
            db.VerivaliMusdes.Add(musdes);
        }
        musdes.HeldOn = input.HeldOn;
        musdes.ScanPath = scan;
        musdes.ClosedBy = input.Actor;
        musdes.ClosedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return (musdes, null);
    }
}

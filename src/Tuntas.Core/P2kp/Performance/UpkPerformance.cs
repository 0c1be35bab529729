namespace Tuntas.P2kp.Performance;

/// <summary>
/// The performance of each UPK and of all of them as of a date D (LOAN-BOOK-FORMAT.md §4, §7): one pass over the
/// disbursed loans with the principal paid up to D summed in SQL, the schedule evaluated arithmetically per loan
/// (<see cref="Indicators.Evaluate"/>), operations and capital summed per UPK. UPKs outside the caller's aggregate
/// scope are not listed (a village operator sees their desa's UPK, a facilitator those of their villages).
/// </summary>
public sealed class UpkPerformance(TuntasDb db)
{
    public sealed record Input(DateOnly AsOf, string? UpkKode, AccessScope Scope);

    public sealed record Outcome(string Per, IReadOnlyList<UpkIndicators> Upk, UpkIndicators Total);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var asOf = input.AsOf;
        var upks = (await db.Upks.AsNoTracking().OrderBy(u => u.Kode).ToListAsync(cancellationToken))
            .Where(u => input.Scope.AggregatesCover(u.KodeDesa))
            .Where(u => input.UpkKode is null || string.Equals(u.Kode, input.UpkKode.Trim(), StringComparison.OrdinalIgnoreCase))
            .ToList();
        var ids = upks.Select(u => u.Id).ToList();
        var sums = upks.ToDictionary(u => u.Id, _ => new Indicators.Sums());

        // A loan closed by D leaves the portfolio (outstanding, PAR, LAR, kolektibilitas). A written-off loan stays in RR
        // with what fell due up to its write-off and what was repaid: writing off a loan that never paid had raised the UPK's RR (72.86 →
        // 83.56 %), rewarding the write-off. A restructured loan's unpaid principal lives on in its new loan, whose
        // instalments count.
        var loans = await db.UpkLoans.AsNoTracking()
            .Where(l => ids.Contains(l.UpkId) && l.DisbursedOn != null && l.DisbursedOn <= asOf
                && (l.ClosedOn == null || l.ClosedOn > asOf || l.Status == LoanStatus.WrittenOff))
            .Select(l => new { l.Id, l.UpkId, l.KsmId, l.Principal, l.TermMonths, l.FirstDueOn, l.ClosedOn, Closed = l.ClosedOn != null && l.ClosedOn <= asOf })
            .ToListAsync(cancellationToken);
        var paid = await db.UpkRepayments.AsNoTracking()
            .Where(r => r.PaidOn <= asOf && db.UpkLoans.Any(l => l.Id == r.LoanId && ids.Contains(l.UpkId)))
            .GroupBy(r => r.LoanId)
            .Select(g => new { LoanId = g.Key, Paid = g.Sum(r => r.Principal) })
            .ToDictionaryAsync(p => p.LoanId, p => p.Paid, cancellationToken);
        foreach (var loan in loans)
        {
            var facts = new Indicators.LoanFacts(loan.UpkId, loan.KsmId, loan.Principal, loan.TermMonths, loan.FirstDueOn ?? asOf.AddDays(1),
                paid.GetValueOrDefault(loan.Id));
            // A written-off loan's instalments stop falling due on its write-off date; repayments after it (a recovery)
            // still count.
            var state = Indicators.Evaluate(facts, loan.Closed ? loan.ClosedOn!.Value : asOf);
            sums[loan.UpkId].Add(loan.KsmId, loan.Closed ? state with { Outstanding = 0 } : state);
        }

        // CCR and ROI: OPERASIONAL rows from January of D's year to D's month; MODAL received up to D.
        var window = Enumerable.Range(1, asOf.Month).Select(m => string.Create(CultureInfo.InvariantCulture, $"{asOf.Year:D4}-{m:D2}")).ToList();
        var operations = await db.UpkOperations.AsNoTracking()
            .Where(o => ids.Contains(o.UpkId) && window.Contains(o.Month))
            .GroupBy(o => o.UpkId)
            .Select(g => new { UpkId = g.Key, Income = g.Sum(o => o.Income), Costs = g.Sum(o => o.Costs), Rows = g.Count() })
            .ToListAsync(cancellationToken);
        foreach (var o in operations)
        {
            sums[o.UpkId].Income = o.Income;
            sums[o.UpkId].Costs = o.Costs;
            sums[o.UpkId].OperationRows = o.Rows;
        }
        var capital = await db.UpkCapital.AsNoTracking()
            .Where(c => ids.Contains(c.UpkId) && c.ReceivedOn <= asOf)
            .GroupBy(c => c.UpkId)
            .Select(g => new { UpkId = g.Key, Amount = g.Sum(c => c.Amount) })
            .ToListAsync(cancellationToken);
        foreach (var c in capital)
        {
            sums[c.UpkId].Capital = c.Amount;
        }

        var total = new Indicators.Sums();
        var rows = new List<UpkIndicators>(upks.Count);
        foreach (var upk in upks)
        {
            rows.Add(Indicators.From(upk.Kode, sums[upk.Id], asOf.Month));
            total.Add(sums[upk.Id]);
        }
        return new Outcome(asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows, Indicators.From(null, total, asOf.Month));
    }

    /// <summary>The month-end indicators of the twelve months up to D (the trend on the performance page).</summary>
    public async Task<IReadOnlyList<(DateOnly MonthEnd, UpkIndicators Total)>> TrendAsync(Input input, int months, CancellationToken cancellationToken)
    {
        var trend = new List<(DateOnly, UpkIndicators)>();
        var first = new DateOnly(input.AsOf.Year, input.AsOf.Month, 1).AddMonths(-(months - 1));
        for (var i = 0; i < months; i++)
        {
            var monthEnd = first.AddMonths(i + 1).AddDays(-1);
            if (monthEnd > input.AsOf)
            {
                monthEnd = input.AsOf;
            }
            var outcome = await RunAsync(input with { AsOf = monthEnd }, cancellationToken);
            trend.Add((monthEnd, outcome.Total));
        }
        return trend;
    }
}

using Tuntas.P2kp.Performance;

namespace Tuntas.P2kp.Loans;

/// <summary>Each disbursed loan's state as of a date (due, paid, outstanding, arrears, kolektibilitas) by the rules of <see cref="Indicators.Evaluate"/>.</summary>
public static class LoanStates
{
    public static async Task<Dictionary<long, Indicators.LoanState>> ForAsync(TuntasDb db, IQueryable<UpkLoan> loans, DateOnly asOf, CancellationToken cancellationToken)
    {
        var rows = await loans.Where(l => l.DisbursedOn != null && l.DisbursedOn <= asOf && l.FirstDueOn != null)
            .Select(l => new
            {
                l.Id,
                l.UpkId,
                l.KsmId,
                l.Principal,
                l.TermMonths,
                l.FirstDueOn,
                l.ClosedOn,
                Paid = db.UpkRepayments.Where(r => r.LoanId == l.Id && r.PaidOn <= asOf).Sum(r => (long?)r.Principal) ?? 0,
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => r.ClosedOn is { } closed && closed <= asOf
            ? default
            : Indicators.Evaluate(new Indicators.LoanFacts(r.UpkId, r.KsmId, r.Principal, r.TermMonths, r.FirstDueOn!.Value, r.Paid), asOf));
    }
}

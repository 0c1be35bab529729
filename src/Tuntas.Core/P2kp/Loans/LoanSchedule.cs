namespace Tuntas.P2kp.Loans;

/// <summary>
/// A loan's instalment schedule, exactly as LOAN-BOOK-FORMAT.md §3 defines it: instalment k (1..n) due F + (k−1)
/// months on F's day clamped to the month's end; principal floor(P ÷ n), the last taking the remainder; service FLAT
/// round(P × r) or MENURUN round(R_k × r) on the remaining principal, rounded half away from zero in exact arithmetic
/// (the rate is held in hundredths of a percent, so P × rate ÷ 10 000 is exact in integers).
/// </summary>
public static class LoanSchedule
{
    public const string Flat = "FLAT";
    public const string Declining = "MENURUN";

    public readonly record struct Installment(int K, DateOnly DueOn, long Principal, long Service);

    public static IEnumerable<Installment> Build(long principal, int rateHundredths, string method, int termMonths, DateOnly firstDue)
    {
        var basePrincipal = principal / termMonths;
        var remaining = principal;
        for (var k = 1; k <= termMonths; k++)
        {
            var p = k < termMonths ? basePrincipal : principal - (termMonths - 1) * basePrincipal;
            var serviceBase = method == Declining ? remaining : principal;
            yield return new Installment(k, DueOn(firstDue, k), p, Service(serviceBase, rateHundredths));
            remaining -= p;
        }
    }

    /// <summary>F + (k − 1) months from F itself (not chained), so a 31st stays the 31st where the month has one.</summary>
    public static DateOnly DueOn(DateOnly firstDue, int k) => firstDue.AddMonths(k - 1);

    /// <summary>round(amount × rate%) to whole rupiah, half away from zero (amounts are never negative).</summary>
    public static long Service(long amount, int rateHundredths) => (amount * rateHundredths + 5_000) / 10_000;

    /// <summary>Principal of instalment k (1-based).</summary>
    public static long PrincipalOf(long principal, int termMonths, int k) =>
        k < termMonths ? principal / termMonths : principal - (termMonths - 1) * (principal / termMonths);

    /// <summary>How many instalments fall due on or before <paramref name="asOf"/> (0..n).</summary>
    public static int DueCount(DateOnly firstDue, int termMonths, DateOnly asOf)
    {
        if (asOf < firstDue)
        {
            return 0;
        }
        var months = (asOf.Year - firstDue.Year) * 12 + asOf.Month - firstDue.Month;
        var count = firstDue.AddMonths(months) <= asOf ? months + 1 : months;
        return Math.Min(count, termMonths);
    }
}

using System.Text.Json.Serialization;
using Tuntas.P2kp.Loans;

namespace Tuntas.P2kp.Performance;

/// <summary>
/// The UPK performance indicators of LOAN-BOOK-FORMAT.md §4 (thresholds: POB Pinjaman Bergulir PNPM Mandiri Perkotaan
/// 2013; definitions: CGAP), computed from plain facts so that the same code serves the use case, the tests and the
/// benchmark. Principal only; loans disbursed after D and payments after D do not count.
/// </summary>
public static class Indicators
{
    public const string Memuaskan = "memuaskan";
    public const string Cukup = "cukup";
    public const string Kurang = "kurang";

    /// <summary>One loan as of D: its principal, schedule parameters and the principal paid up to D.</summary>
    public readonly record struct LoanFacts(long UpkId, long KsmId, long Principal, int TermMonths, DateOnly FirstDue, long Paid);

    public readonly record struct LoanState(long Due, long Paid, long Outstanding, int Arrears, int Kolektibilitas)
    {
        public bool Active => Outstanding > 0;
        public bool AtRisk => Arrears >= 3;
    }

    public static LoanState Evaluate(LoanFacts loan, DateOnly asOf)
    {
        var dueCount = LoanSchedule.DueCount(loan.FirstDue, loan.TermMonths, asOf);
        long due = 0;
        var arrears = 0;
        for (var k = 1; k <= dueCount; k++)
        {
            due += LoanSchedule.PrincipalOf(loan.Principal, loan.TermMonths, k);
            // Paid principal covers instalments oldest first: instalment k is in arrears while paid < p_1 + … + p_k.
            if (loan.Paid < due)
            {
                arrears++;
            }
        }
        var outstanding = Math.Max(0, loan.Principal - loan.Paid);
        return new LoanState(due, loan.Paid, outstanding, arrears, Kolektibilitas(arrears));
    }

    /// <summary>1 LANCAR 0 · 2 DALAM PERHATIAN KHUSUS 1–2 · 3 KURANG LANCAR 3–5 · 4 DIRAGUKAN 6–8 · 5 MACET ≥ 9 instalments in arrears.</summary>
    public static int Kolektibilitas(int arrears) => arrears switch
    {
        0 => 1,
        <= 2 => 2,
        <= 5 => 3,
        <= 8 => 4,
        _ => 5,
    };

    /// <summary>100·N ÷ M rounded once to two decimals, half away from zero, in exact decimal arithmetic; null when M = 0.</summary>
    public static double? Percent(decimal numerator, decimal denominator) =>
        denominator == 0 ? null : (double)Math.Round(100m * numerator / denominator, 2, MidpointRounding.AwayFromZero);

    public static string? GradeAtLeast(double? value, double good, double fair) =>
        value is not { } v ? null : v >= good ? Memuaskan : v >= fair ? Cukup : Kurang;

    public static string? GradeAtMost(double? value, double good, double fair) =>
        value is not { } v ? null : v <= good ? Memuaskan : v <= fair ? Cukup : Kurang;

    /// <summary>The pooled sums behind the indicators of one UPK or of several (never an average of ratios).</summary>
    public sealed class Sums
    {
        public long Due { get; set; }
        public long PaidUpToDue { get; set; }
        public long Outstanding { get; set; }
        public long OutstandingAtRisk { get; set; }
        public int ActiveLoans { get; set; }
        public HashSet<long> ActiveKsm { get; } = [];
        public HashSet<long> KsmAtRisk { get; } = [];
        public int[] Kolektibilitas { get; } = new int[5];
        public long Income { get; set; }
        public long Costs { get; set; }
        public int OperationRows { get; set; }
        public long Capital { get; set; }

        public void Add(long ksmId, LoanState state)
        {
            if (state.Due > 0)
            {
                Due += state.Due;
                PaidUpToDue += Math.Min(state.Paid, state.Due);
            }
            if (!state.Active)
            {
                return;
            }
            Outstanding += state.Outstanding;
            ActiveLoans++;
            ActiveKsm.Add(ksmId);
            Kolektibilitas[state.Kolektibilitas - 1]++;
            if (state.AtRisk)
            {
                OutstandingAtRisk += state.Outstanding;
                KsmAtRisk.Add(ksmId);
            }
        }

        public void Add(Sums other)
        {
            Due += other.Due;
            PaidUpToDue += other.PaidUpToDue;
            Outstanding += other.Outstanding;
            OutstandingAtRisk += other.OutstandingAtRisk;
            ActiveLoans += other.ActiveLoans;
            ActiveKsm.UnionWith(other.ActiveKsm);
            KsmAtRisk.UnionWith(other.KsmAtRisk);
            for (var i = 0; i < 5; i++)
            {
                Kolektibilitas[i] += other.Kolektibilitas[i];
            }
            Income += other.Income;
            Costs += other.Costs;
            OperationRows += other.OperationRows;
            Capital += other.Capital;
        }
    }

    /// <summary>The indicators from pooled sums; <paramref name="month"/> is D's month number (m of the ROI).</summary>
    public static UpkIndicators From(string? kode, Sums sums, int month)
    {
        var rr = Percent(sums.PaidUpToDue, sums.Due);
        var par = Percent(sums.OutstandingAtRisk, sums.Outstanding);
        var lar = Percent(sums.KsmAtRisk.Count, sums.ActiveKsm.Count);
        double? ccr = null, roi = null;
        if (sums.OperationRows > 0)
        {
            ccr = Percent(sums.Income, sums.Costs);
            // ROI = ((ΣPENDAPATAN − ΣBIAYA) ÷ m × 12) ÷ ΣMODAL = 1200·(I − C) ÷ (m·ΣMODAL) %.
            roi = sums.Capital == 0 ? null
                : (double)Math.Round(1200m * (sums.Income - sums.Costs) / (month * (decimal)sums.Capital), 2, MidpointRounding.AwayFromZero);
        }
        var kol = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            kol[(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)] = sums.Kolektibilitas[i];
        }
        return new UpkIndicators(kode, rr, par, lar, ccr, roi, sums.Outstanding, sums.ActiveLoans, sums.ActiveKsm.Count, kol,
            new Grades(GradeAtLeast(rr, 90, 80), GradeAtMost(par, 10, 20), GradeAtMost(lar, 10, 20), GradeAtLeast(ccr, 125, 100), GradeAtLeast(roi, 10, 0)))
        {
            Detail = sums,
        };
    }
}

/// <summary>One UPK's (or the total's, without <see cref="Kode"/>) indicators, in the JSON shape of LOAN-BOOK-FORMAT.md §7.</summary>
public sealed record UpkIndicators(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kode,
    double? Rr, double? Par, double? Lar, double? Ccr, double? Roi,
    long Outstanding, int PinjamanAktif, int KsmAktif,
    IReadOnlyDictionary<string, int> Kolektibilitas, Grades Nilai)
{
    /// <summary>The sums behind the ratios, for reports and checks; not part of the JSON.</summary>
    [JsonIgnore]
    public Indicators.Sums? Detail { get; init; }
}

public sealed record Grades(string? Rr, string? Par, string? Lar, string? Ccr, string? Roi);

using Tuntas.P2kp.Loans;
using Tuntas.P2kp.Performance;

namespace Tuntas.Core.Tests.P2kp;

/// <summary>LOAN-BOOK-FORMAT.md §3–§5, the schedule rules and the worked example, without a database.</summary>
public sealed class WorkedExampleTests
{
    private static readonly DateOnly _first = new(2026, 2, 15);

    [Fact]
    public void Flat_schedule_of_the_worked_example_has_equal_principal_and_service()
    {
        var schedule = LoanSchedule.Build(1_200_000, 150, LoanSchedule.Flat, 12, _first).ToList();
        Assert.Equal(12, schedule.Count);
        Assert.All(schedule, i => Assert.Equal(100_000, i.Principal));
        Assert.All(schedule, i => Assert.Equal(18_000, i.Service));
        Assert.Equal(new DateOnly(2027, 1, 15), schedule[^1].DueOn);
    }

    [Fact]
    public void Declining_service_falls_with_the_remaining_principal()
    {
        var service = LoanSchedule.Build(1_200_000, 150, LoanSchedule.Declining, 12, _first).Select(i => i.Service).ToList();
        Assert.Equal([18_000, 16_500, 15_000, 13_500, 12_000, 10_500, 9_000, 7_500, 6_000, 4_500, 3_000, 1_500], service);
    }

    [Fact]
    public void The_last_instalment_takes_the_remainder_and_due_dates_clamp_to_the_month_end()
    {
        var schedule = LoanSchedule.Build(1_000_000, 100, LoanSchedule.Flat, 3, new DateOnly(2026, 1, 31)).ToList();
        Assert.Equal([333_333, 333_333, 333_334], schedule.Select(i => i.Principal));
        Assert.Equal([new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 31)], schedule.Select(i => i.DueOn));
    }

    [Fact]
    public void Service_rounds_half_away_from_zero_in_exact_arithmetic()
    {
        // 1 234 567 × 1.5 % = 18 518.505 → 18 519.
        Assert.Equal(18_519, LoanSchedule.Service(1_234_567, 150));
    }

    [Theory]
    [InlineData("2026-07-31", 600_000, 750_000, 2, 2, 75.00, "kurang", 0.00)]
    [InlineData("2026-08-31", 700_000, 750_000, 3, 3, 64.29, "kurang", 100.00)]
    public void The_worked_example_gives_the_spec_values(string date, long due, long outstanding, int arrears, int kol, double rr, string grade, double par)
    {
        var asOf = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var state = Indicators.Evaluate(new Indicators.LoanFacts(1, 1, 1_200_000, 12, _first, 450_000), asOf);
        Assert.Equal(due, state.Due);
        Assert.Equal(outstanding, state.Outstanding);
        Assert.Equal(arrears, state.Arrears);
        Assert.Equal(kol, state.Kolektibilitas);

        var sums = new Indicators.Sums { Income = 7 * 3_000_000, Costs = 7 * 2_400_000, OperationRows = 7, Capital = 150_000_000 };
        sums.Add(1, state);
        var indicators = Indicators.From("UPK-3314-01", sums, asOf.Month);
        Assert.Equal(rr, indicators.Rr);
        Assert.Equal(grade, indicators.Nilai.Rr);
        Assert.Equal(par, indicators.Par);
        Assert.Equal(par, indicators.Lar);
        Assert.Equal(125.00, indicators.Ccr);
        Assert.Equal("memuaskan", indicators.Nilai.Ccr);
        Assert.Equal(asOf.Month == 7 ? 4.80 : 4.20, indicators.Roi);
        Assert.Equal("cukup", indicators.Nilai.Roi);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(5, 3)]
    [InlineData(6, 4)]
    [InlineData(8, 4)]
    [InlineData(9, 5)]
    public void Kolektibilitas_follows_the_arrears_bands(int arrears, int kol) => Assert.Equal(kol, Indicators.Kolektibilitas(arrears));

    [Fact]
    public void Ratios_without_a_denominator_are_null_with_no_grade()
    {
        var indicators = Indicators.From(null, new Indicators.Sums(), 7);
        Assert.Null(indicators.Rr);
        Assert.Null(indicators.Nilai.Rr);
        Assert.Null(indicators.Ccr);
        Assert.Null(indicators.Roi);
    }
}

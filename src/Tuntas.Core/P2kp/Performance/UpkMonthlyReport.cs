using Tuntas.P2kp.Loans;

namespace Tuntas.P2kp.Performance;

/// <summary>
/// A UPK's monthly report (the report a UPK sends its BKM and the regency each month): loan performance at the month's
/// end (the indicators of LOAN-BOOK-FORMAT.md §4), the month's disbursements and repayments, income and costs of the
/// month and of the year so far, capital by source, and every running loan with its arrears and kolektibilitas.
/// As a printable page and as XLSX (<see cref="WriteXlsx"/>).
/// </summary>
public sealed class UpkMonthlyReport(TuntasDb db)
{
    public sealed record LoanLine(string Nomor, string Ksm, long Principal, DateOnly? DisbursedOn, long Due, long Paid, long Outstanding, int Arrears, int Kolektibilitas);

    public sealed record Outcome(Upk Upk, string Month, DateOnly MonthEnd, UpkIndicators Indicators, int DisbursedCount, long DisbursedAmount,
        long RepaidPrincipal, long RepaidService, long Income, long Costs, long IncomeYear, long CostsYear,
        IReadOnlyList<(string Source, long Amount)> Capital, IReadOnlyList<LoanLine> Loans);

    /// <summary>Null when the UPK does not exist or lies outside the caller's aggregate scope.</summary>
    public async Task<Outcome?> RunAsync(string kode, int year, int month, AccessScope scope, CancellationToken cancellationToken)
    {
        var upk = await db.Upks.AsNoTracking().FirstOrDefaultAsync(u => u.Kode == kode, cancellationToken);
        if (upk is null || !scope.AggregatesCover(upk.KodeDesa) || month is < 1 or > 12)
        {
            return null;
        }
        var first = new DateOnly(year, month, 1);
        var end = first.AddMonths(1).AddDays(-1);
        var monthText = first.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var indicators = (await new UpkPerformance(db).RunAsync(new UpkPerformance.Input(end, upk.Kode, scope), cancellationToken)).Upk.Single();
        var loans = db.UpkLoans.AsNoTracking().Where(l => l.UpkId == upk.Id);
        var disbursed = await loans.Where(l => l.DisbursedOn >= first && l.DisbursedOn <= end).Select(l => l.Principal).ToListAsync(cancellationToken);
        var repaid = await db.UpkRepayments.AsNoTracking().Where(r => r.PaidOn >= first && r.PaidOn <= end && loans.Any(l => l.Id == r.LoanId))
            .GroupBy(r => 1).Select(g => new { Principal = g.Sum(r => r.Principal), Service = g.Sum(r => r.Service) }).FirstOrDefaultAsync(cancellationToken);
        var operations = await db.UpkOperations.AsNoTracking().Where(o => o.UpkId == upk.Id && o.Month.StartsWith(first.Year.ToString(CultureInfo.InvariantCulture) + "-"))
            .ToListAsync(cancellationToken);
        var year1 = operations.Where(o => string.CompareOrdinal(o.Month, monthText) <= 0).ToList();
        var capital = (await db.UpkCapital.AsNoTracking().Where(c => c.UpkId == upk.Id && c.ReceivedOn <= end).ToListAsync(cancellationToken))
            .GroupBy(c => c.Source).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(c => c.Amount))).ToList();
        var states = await LoanStates.ForAsync(db, loans.Where(l => l.Status == LoanStatus.Disbursed || l.ClosedOn > end), end, cancellationToken);
        var ids = states.Where(s => s.Value.Active).Select(s => s.Key).ToList();
        var lines = await loans.Where(l => ids.Contains(l.Id))
            .Join(db.Ksms, l => l.KsmId, k => k.Id, (l, k) => new { l.Id, l.Nomor, Ksm = k.Name, l.Principal, l.DisbursedOn })
            .ToListAsync(cancellationToken);
        return new Outcome(upk, monthText, end, indicators, disbursed.Count, disbursed.Sum(), repaid?.Principal ?? 0, repaid?.Service ?? 0,
            year1.Where(o => o.Month == monthText).Sum(o => o.Income), year1.Where(o => o.Month == monthText).Sum(o => o.Costs),
            year1.Sum(o => o.Income), year1.Sum(o => o.Costs), capital,
            [.. lines.Select(l => (l, s: states[l.Id]))
                .OrderByDescending(x => x.s.Arrears).ThenBy(x => x.l.Nomor, StringComparer.Ordinal)
                .Select(x => new LoanLine(x.l.Nomor, x.l.Ksm, x.l.Principal, x.l.DisbursedOn, x.s.Due, x.s.Paid, x.s.Outstanding, x.s.Arrears, x.s.Kolektibilitas))]);
    }

    /// <summary>The report as one XLSX sheet: the summary rows, then the loan list.</summary>
    public static void WriteXlsx(Outcome report, Stream output)
    {
        using var xlsx = new XlsxWriter(output, "Laporan UPK");
        var i = report.Indicators;
        xlsx.WriteRow(["Laporan bulanan UPK", report.Upk.Kode, report.Upk.Name, report.Month]);
        xlsx.WriteRow([]);
        xlsx.WriteRow(["Indikator", "Nilai (%)", "Penilaian"]);
        foreach (var (name, value, grade) in new[] { ("RR", i.Rr, i.Nilai.Rr), ("PAR", i.Par, i.Nilai.Par), ("LAR", i.Lar, i.Nilai.Lar), ("CCR", i.Ccr, i.Nilai.Ccr), ("ROI", i.Roi, i.Nilai.Roi) })
        {
            xlsx.WriteRow([name, value, grade]);
        }
        xlsx.WriteRow(["Outstanding", i.Outstanding]);
        xlsx.WriteRow(["Pinjaman aktif", i.PinjamanAktif]);
        xlsx.WriteRow(["KSM aktif", i.KsmAktif]);
        foreach (var (kol, count) in i.Kolektibilitas)
        {
            xlsx.WriteRow(["Kolektibilitas " + kol, count]);
        }
        xlsx.WriteRow([]);
        xlsx.WriteRow(["Pencairan bulan ini", report.DisbursedCount, report.DisbursedAmount]);
        xlsx.WriteRow(["Angsuran pokok bulan ini", report.RepaidPrincipal]);
        xlsx.WriteRow(["Jasa bulan ini", report.RepaidService]);
        xlsx.WriteRow(["Pendapatan bulan ini / sejak Januari", report.Income, report.IncomeYear]);
        xlsx.WriteRow(["Biaya bulan ini / sejak Januari", report.Costs, report.CostsYear]);
        foreach (var (source, amount) in report.Capital)
        {
            xlsx.WriteRow(["Modal " + source, amount]);
        }
        xlsx.WriteRow([]);
        xlsx.WriteRow(["NO_PINJAMAN", "KSM", "POKOK", "TANGGAL_CAIR", "JATUH_TEMPO", "DIBAYAR", "SISA", "TUNGGAKAN", "KOL"]);
        foreach (var l in report.Loans)
        {
            xlsx.WriteRow([l.Nomor, l.Ksm, l.Principal, l.DisbursedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), l.Due, l.Paid, l.Outstanding, l.Arrears, l.Kolektibilitas]);
        }
    }
}

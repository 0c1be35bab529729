namespace Tuntas.Programs;

/// <summary>
/// Budget against realization for a year: per program its budget (program_budgets), what was disbursed in
/// the year's periods, the recipients paid, and per funding source the same totals — the table a Dinas Sosial officer
/// brings to the TKPKD meeting.
/// </summary>
public sealed class BudgetRealization(TuntasDb db)
{
    public sealed record Line(string Program, string Name, string FundingSource, long? Budget, long Disbursed, int RecipientsPaid, int OpenEnrollments)
    {
        public double? Rate => Budget is > 0 ? (double)Disbursed / Budget.Value : null;
    }

    public sealed record Outcome(int Year, IReadOnlyList<Line> Programs, IReadOnlyList<Line> BySource);

    public async Task<Outcome> RunAsync(int year, CancellationToken cancellationToken)
    {
        var prefix = year.ToString("0000", System.Globalization.CultureInfo.InvariantCulture) + "-";
        var programs = await db.Programs.AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken);
        var budgets = await db.ProgramBudgets.AsNoTracking().Where(b => b.Year == year).ToDictionaryAsync(b => b.ProgramId, b => b.Amount, cancellationToken);
        var paid = await db.Disbursements.AsNoTracking().Where(d => d.Period.StartsWith(prefix))
            .Join(db.Enrollments, d => d.EnrollmentId, e => e.Id, (d, e) => new { e.ProgramId, d.EnrollmentId, d.Amount })
            .GroupBy(x => x.ProgramId).Select(g => new { ProgramId = g.Key, Total = g.Sum(x => x.Amount), Recipients = g.Select(x => x.EnrollmentId).Distinct().Count() })
            .ToDictionaryAsync(x => x.ProgramId, cancellationToken);
        var open = await db.Enrollments.AsNoTracking().Where(e => e.Status != ProgramTerms.Exited).GroupBy(e => e.ProgramId)
            .Select(g => new { ProgramId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.ProgramId, x => x.Count, cancellationToken);
        var lines = programs.Select(p => new Line(p.Code, p.Name, p.FundingSource, budgets.TryGetValue(p.Id, out var b) ? b : null,
            paid.TryGetValue(p.Id, out var d) ? d.Total : 0, paid.TryGetValue(p.Id, out var r) ? r.Recipients : 0, open.GetValueOrDefault(p.Id))).ToList();
        var bySource = lines.GroupBy(l => l.FundingSource).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Line(g.Key, g.Key, g.Key, g.Any(l => l.Budget is not null) ? g.Sum(l => l.Budget ?? 0) : null,
                g.Sum(l => l.Disbursed), g.Sum(l => l.RecipientsPaid), g.Sum(l => l.OpenEnrollments))).ToList();
        return new Outcome(year, lines, bySource);
    }
}

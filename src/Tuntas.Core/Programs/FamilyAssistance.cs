namespace Tuntas.Programs;

/// <summary>
/// Everything one family receives (OpenSID #5842: one view to catch double receipt): every enrollment of the
/// family or its members, open or ended, with its history, what was paid in the year (and in which phases), the card
/// and DTKS ids the recipient lists gave (masked), and the yearly value at the
/// program's amount; totals for the year. A family program listed twice is flagged.
/// </summary>
public sealed class FamilyAssistance(TuntasDb db)
{
    public sealed record Line(long EnrollmentId, string Program, string ProgramName, string TargetUnit, string? PersonName, string Status,
        DateOnly StartedOn, DateOnly? EndedOn, string? ExitReason, long PaidInYear, long? YearlyValue, bool DoubleReceipt,
        IReadOnlyList<EnrollmentEvent> History, string? NomorKartu = null, string? IdArtBdt = null, string? IdSemesta = null, IReadOnlyList<int>? TahapPaid = null);

    public sealed record Outcome(int Year, IReadOnlyList<Line> Lines, long PaidInYear, long YearlyValue);

    public async Task<Outcome> RunAsync(long familyId, int year, CancellationToken cancellationToken)
    {
        var enrollments = await db.Enrollments.AsNoTracking().Where(e => e.FamilyId == familyId)
            .Join(db.Programs, e => e.ProgramId, p => p.Id, (e, p) => new { e, p })
            .OrderBy(x => x.p.Code).ThenBy(x => x.e.StartedOn).ToListAsync(cancellationToken);
        var ids = enrollments.Select(x => x.e.Id).ToList();
        var personIds = enrollments.Where(x => x.e.PersonId != null).Select(x => x.e.PersonId!.Value).ToList();
        var names = await db.Persons.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Nama, cancellationToken);
        var prefix = year.ToString("0000", System.Globalization.CultureInfo.InvariantCulture) + "-";
        var payments = await db.Disbursements.AsNoTracking().Where(d => ids.Contains(d.EnrollmentId) && d.Period.StartsWith(prefix))
            .Select(d => new { d.EnrollmentId, d.Amount, d.Tahap }).ToListAsync(cancellationToken);
        var paid = payments.GroupBy(d => d.EnrollmentId).ToDictionary(g => g.Key, g => g.Sum(d => d.Amount));
        // The phases paid in the year (PKH's tahap 1–4), where the lists gave them.
        var phases = payments.Where(d => d.Tahap is not null).GroupBy(d => d.EnrollmentId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<int>)[.. g.Select(d => d.Tahap!.Value).Distinct().Order()]);
        var history = (await db.EnrollmentEvents.AsNoTracking().Where(ev => ids.Contains(ev.EnrollmentId)).OrderBy(ev => ev.RecordedAt).ThenBy(ev => ev.Id)
            .ToListAsync(cancellationToken)).GroupBy(ev => ev.EnrollmentId).ToDictionary(g => g.Key, g => (IReadOnlyList<EnrollmentEvent>)g.ToList());
        var openFamilyPrograms = enrollments.Where(x => x.e.Status != ProgramTerms.Exited && x.p.TargetUnit == ProgramTerms.Family)
            .GroupBy(x => x.p.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var lines = enrollments.Select(x =>
        {
            long? yearly = x.p.Amount is { } amount && x.e.Status != ProgramTerms.Exited
                ? x.p.Period == "sekali" ? (x.e.StartedOn.Year == year ? amount : 0) : amount * ProgramTerms.PerYear(x.p.Period)
                : null;
            return new Line(x.e.Id, x.p.Code, x.p.Name, x.p.TargetUnit, x.e.PersonId is { } pid ? names.GetValueOrDefault(pid) : null,
                x.e.Status, x.e.StartedOn, x.e.EndedOn, x.e.ExitReason, paid.GetValueOrDefault(x.e.Id), yearly,
                openFamilyPrograms.Contains(x.p.Code) && x.e.Status != ProgramTerms.Exited, history.GetValueOrDefault(x.e.Id) ?? [],
                RecipientListFields.Mask(x.e.NomorKartu), RecipientListFields.Mask(x.e.IdArtBdt), RecipientListFields.Mask(x.e.IdSemesta), phases.GetValueOrDefault(x.e.Id) ?? []);
        }).ToList();
        return new Outcome(year, lines, lines.Sum(l => l.PaidInYear), lines.Sum(l => l.YearlyValue ?? 0));
    }
}

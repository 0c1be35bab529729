namespace Tuntas.Programs;

/// <summary>
/// The catalogue as the pages and the API show it: every funder's programs with their count of open enrollments
/// (an exited enrollment no longer counts against the quota). Read by the program list, the program page, the error
/// worklist's program filter and <c>GET /api/programs</c> alike.
/// </summary>
public static class ProgramCatalogue
{
    public sealed record ProgramView(long Id, string Code, string Name, string OwnerKind, string OwnerName, string FundingSource, string TargetUnit,
        string BenefitKind, long? Amount, string Period, bool AmountVerified, int? Quota, string? SourceNote, bool Active, int OpenEnrollments);

    public static async Task<IReadOnlyList<ProgramView>> ListAsync(TuntasDb db, CancellationToken cancellationToken)
    {
        var open = await db.Enrollments.AsNoTracking().Where(e => e.Status != ProgramTerms.Exited).GroupBy(e => e.ProgramId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var programs = await db.Programs.AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken);
        return [.. programs.Select(p => ToView(p, open.GetValueOrDefault(p.Id)))];
    }

    /// <summary>One program by its code, written in any case and with spaces around it; null when there is none.</summary>
    public static async Task<ProgramView?> FindAsync(TuntasDb db, string code, CancellationToken cancellationToken)
    {
        var normalized = code.Trim().ToUpperInvariant();
        var program = await db.Programs.AsNoTracking().SingleOrDefaultAsync(p => p.Code == normalized, cancellationToken);
        if (program is null)
        {
            return null;
        }
        var open = await db.Enrollments.CountAsync(e => e.ProgramId == program.Id && e.Status != ProgramTerms.Exited, cancellationToken);
        return ToView(program, open);
    }

    private static ProgramView ToView(AssistanceProgram p, int open) =>
        new(p.Id, p.Code, p.Name, p.OwnerKind, p.OwnerName, p.FundingSource, p.TargetUnit, p.BenefitKind, p.Amount, p.Period, p.AmountVerified,
            p.Quota, p.SourceNote, p.Active, open);
}

namespace Tuntas.Programs;

/// <summary>Sets a program's budget for a year (amounts written as on a DPA: 1.500.000.000 or Rp 1,5 M).</summary>
public sealed class SetBudget(TuntasDb db)
{
    public async Task<(ProgramBudget? Budget, string? Problem, string? ProblemEn)> RunAsync(string programCode, int year, string amount, CancellationToken cancellationToken)
    {
        var code = Targeting.Rules.ProgramCodes.Normalize(programCode);
        var program = await db.Programs.SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (program is null) return (null, "Program tidak ada.", "No such program.");
        if (year is < 2000 or > 2100) return (null, "Tahun harus 2000–2100.", "The year must be 2000–2100.");
        var (value, problem, problemEn) = Rupiah.Parse(amount);
        if (problem is not null || value is null) return (null, problem ?? "Anggaran wajib diisi.", problemEn ?? "A budget is required.");
        var budget = await db.ProgramBudgets.SingleOrDefaultAsync(b => b.ProgramId == program.Id && b.Year == year, cancellationToken);
        if (budget is null)
        {
            budget = new ProgramBudget { ProgramId = program.Id, Year = year };
            db.ProgramBudgets.Add(budget);
        }
        budget.Amount = value.Value;
        await db.SaveChangesAsync(cancellationToken);
        return (budget, null, null);
    }
}

using Tuntas.Targeting.Rules;

namespace Tuntas.Programs;

/// <summary>Adds or updates a program in the catalogue, with every problem listed (Indonesian, English) before saving.</summary>
public sealed class SaveProgram(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string Code, string Name, string OwnerKind, string OwnerName, string FundingSource, string TargetUnit,
        string BenefitKind, string? Amount, string Period, int? Quota, bool AmountVerified, string? SourceNote, bool Active = true);

    public sealed record Outcome(AssistanceProgram? Saved, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var code = ProgramCodes.Normalize(input.Code);
        if (!ProgramCodes.IsValid(code)) problems.Add(new("Code", "CODE_FORMAT", "Kode 2–20 huruf besar, angka, '-' atau '_'.", "Code: 2–20 capitals, digits, '-' or '_'."));
        if (string.IsNullOrWhiteSpace(input.Name)) problems.Add(new("Name", "REQUIRED", "Nama program wajib diisi.", "The program name is required."));
        if (string.IsNullOrWhiteSpace(input.OwnerName)) problems.Add(new("OwnerName", "REQUIRED", "Pemilik program wajib diisi.", "The owner is required."));
        Check(ProgramTerms.OwnerKinds, input.OwnerKind, "OwnerKind", problems);
        Check(ProgramTerms.FundingSources, input.FundingSource, "FundingSource", problems);
        Check(ProgramTerms.TargetUnits, input.TargetUnit, "TargetUnit", problems);
        Check(ProgramTerms.BenefitKinds, input.BenefitKind, "BenefitKind", problems);
        Check([.. ProgramTerms.Periods.Select(p => p.Term)], input.Period, "Period", problems);
        var (amount, amountProblem, amountProblemEn) = Rupiah.Parse(input.Amount);
        if (amountProblem is not null) problems.Add(new("Amount", "AMOUNT", amountProblem, amountProblemEn!));
        if (input.Quota is < 0) problems.Add(new("Quota", "QUOTA_NEGATIVE", "Kuota tidak boleh negatif.", "The quota cannot be negative."));
        if (problems.Count > 0)
        {
            return new Outcome(null, problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var program = await db.Programs.SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (program is null)
        {
            program = new AssistanceProgram
            {
                Code = code,
                Name = "",
                OwnerKind = "",
                OwnerName = "",
                FundingSource = "",
                TargetUnit = "",
                BenefitKind = "",
                Period = "",
                CreatedAt = now,
            };
            db.Programs.Add(program);
        }
        else if (program.TargetUnit != input.TargetUnit && await db.Enrollments.AnyAsync(e => e.ProgramId == program.Id, cancellationToken))
        {
            return new Outcome(null, [new("TargetUnit", "TARGET_UNIT_FIXED", "Sasaran tidak bisa diubah setelah ada penerima.", "The target unit cannot change once there are recipients.")]);
        }
        program.Name = input.Name.Trim();
        program.OwnerKind = input.OwnerKind;
        program.OwnerName = input.OwnerName.Trim();
        program.FundingSource = input.FundingSource;
        program.TargetUnit = input.TargetUnit;
        program.BenefitKind = input.BenefitKind;
        program.Amount = amount;
        program.Period = input.Period;
        program.Quota = input.Quota;
        program.AmountVerified = input.AmountVerified;
        program.SourceNote = string.IsNullOrWhiteSpace(input.SourceNote) ? null : input.SourceNote.Trim();
        program.Active = input.Active;
        program.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(program, []);
    }

    private static void Check(IReadOnlyList<Term> terms, string value, string field, List<Problem> problems)
    {
        if (!ProgramTerms.Is(terms, value))
        {
            var choices = string.Join(", ", terms.Select(t => t.Code));
            problems.Add(new(field, "CHOICE", string.Create(CultureInfo.InvariantCulture, $"Pilih salah satu: {choices}."), $"Choose one of: {choices}."));
        }
    }
}

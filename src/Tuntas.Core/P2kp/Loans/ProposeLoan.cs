using Tuntas.Users;

namespace Tuntas.P2kp.Loans;

/// <summary>
/// A KSM proposes a loan to its UPK with each member's share (the members' own plans; joint liability covers the
/// whole): principal ≥ 1, monthly service rate 0–10 % with at most two decimals, FLAT or MENURUN, 1–36 instalments
/// (the same bounds as LOAN-BOOK-FORMAT.md §2), shares of the KSM's current members summing to the principal.
/// </summary>
public sealed class ProposeLoan(TuntasDb db)
{
    public sealed record Input(long KsmId, long Principal, decimal RatePercent, string Method, int TermMonths, DateOnly ProposedOn,
        IReadOnlyDictionary<long, long> Shares, string Role, AccessScope Scope);

    public sealed record Outcome(UpkLoan? Loan, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var ksm = await db.Ksms.AsNoTracking().FirstOrDefaultAsync(k => k.Id == input.KsmId, cancellationToken);
        if (P2kpAccess.Refuses(ksm, r => r.KodeDesa, input.Role, input.Scope, out var refused))
        {
            return new(null, [refused]);
        }
        var problems = new List<Problem>();
        if (ksm.DissolvedOn is not null)
        {
            problems.Add(new("KsmId", "KSM_DISSOLVED", "KSM sudah dibubarkan.", "The KSM has been dissolved."));
        }
        if (input.Principal < 1)
        {
            problems.Add(new("Principal", "OUT_OF_RANGE", "Pokok pinjaman minimal Rp1.", "The principal must be at least Rp1."));
        }
        if (input.RatePercent is < 0 or > 10 || input.RatePercent * 100 != Math.Floor(input.RatePercent * 100))
        {
            problems.Add(new("RatePercent", "OUT_OF_RANGE", "Jasa per bulan 0–10 % dengan paling banyak dua desimal.", "Monthly service 0–10 % with at most two decimals."));
        }
        if (input.Method is not (LoanSchedule.Flat or LoanSchedule.Declining))
        {
            problems.Add(new("Method", "INVALID_CODE", "Metode FLAT atau MENURUN.", "Method FLAT or MENURUN."));
        }
        if (input.TermMonths is < 1 or > 36)
        {
            problems.Add(new("TermMonths", "OUT_OF_RANGE", "Jangka 1–36 bulan.", "Term 1–36 months."));
        }
        var members = await db.KsmMembers.AsNoTracking().Where(m => m.KsmId == ksm.Id && m.LeftOn == null).Select(m => m.Id).ToListAsync(cancellationToken);
        var shares = input.Shares.Where(s => s.Value != 0).ToDictionary();
        if (shares.Keys.Any(id => !members.Contains(id)) || shares.Values.Any(v => v < 0))
        {
            problems.Add(new("Shares", "SHARE_MEMBER", "Bagian hanya untuk anggota KSM ini, tidak negatif.", "Shares only for this KSM's members, never negative."));
        }
        else if (shares.Values.Sum() != input.Principal)
        {
            problems.Add(new("Shares", "SHARE_SUM", string.Create(CultureInfo.InvariantCulture, $"Jumlah bagian anggota ({shares.Values.Sum():N0}) harus sama dengan pokok."),
                string.Create(CultureInfo.InvariantCulture, $"The members' shares ({shares.Values.Sum():N0}) must add up to the principal.")));
        }
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        var upk = await db.Upks.AsNoTracking().FirstAsync(u => u.Id == ksm.UpkId, cancellationToken);
        var count = await db.UpkLoans.CountAsync(l => l.UpkId == upk.Id, cancellationToken);
        string nomor;
        do
        {
            nomor = string.Create(CultureInfo.InvariantCulture, $"{upk.Kode}-{input.ProposedOn.Year}-{++count:D4}");
        }
        while (await db.UpkLoans.AnyAsync(l => l.UpkId == upk.Id && l.Nomor == nomor, cancellationToken));
        var loan = new UpkLoan
        {
            UpkId = upk.Id,
            KsmId = ksm.Id,
            Nomor = nomor,
            Status = LoanStatus.Proposed,
            Principal = input.Principal,
            RateHundredths = (int)(input.RatePercent * 100),
            Method = input.Method,
            TermMonths = input.TermMonths,
            ProposedOn = input.ProposedOn,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.UpkLoans.Add(loan);
        await db.SaveChangesAsync(cancellationToken);
        db.UpkLoanShares.AddRange(shares.Select(s => new UpkLoanShare { LoanId = loan.Id, MemberId = s.Key, Amount = s.Value }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(loan, []);
    }
}

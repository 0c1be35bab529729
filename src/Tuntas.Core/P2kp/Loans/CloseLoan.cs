using Tuntas.Users;

namespace Tuntas.P2kp.Loans;

/// <summary>
/// The end of a disbursed loan other than full repayment — a disbursed loan is never deleted: written off with a reason
/// (macet, the group dissolved), or restructured (rescheduled: the loan is closed and its outstanding principal moves
/// into a new loan to the same KSM with a new term and first due date, linked to the old one). A loan not yet disbursed
/// may be withdrawn (deleted).
/// </summary>
public sealed class CloseLoan(TuntasDb db)
{
    public sealed record WriteOff(long LoanId, DateOnly On, string? Reason, string Role, AccessScope Scope);

    public sealed record Restructure(long LoanId, DateOnly On, string? Reason, int TermMonths, DateOnly FirstDueOn, string Role, AccessScope Scope);

    public async Task<Problem?> WriteOffAsync(WriteOff input, CancellationToken cancellationToken)
    {
        var (loan, problem) = await LoanAccess.FindAsync(db, input.LoanId, input.Role, input.Scope, cancellationToken);
        if (loan is null)
        {
            return problem;
        }
        if (await CheckClosableAsync(loan, input.On, input.Reason, cancellationToken) is { } refused)
        {
            return refused.Problem;
        }
        loan.Status = LoanStatus.WrittenOff;
        loan.ClosedOn = input.On;
        loan.ClosingReason = input.Reason!.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<(UpkLoan? Loan, Problem? Problem)> RestructureAsync(Restructure input, CancellationToken cancellationToken)
    {
        var (loan, problem) = await LoanAccess.FindAsync(db, input.LoanId, input.Role, input.Scope, cancellationToken);
        if (loan is null)
        {
            return (null, problem);
        }
        if (await CheckClosableAsync(loan, input.On, input.Reason, cancellationToken) is { } refused)
        {
            return (null, refused.Problem);
        }
        if (input.TermMonths is < 1 or > 36 || input.FirstDueOn <= input.On)
        {
            return (null, new("TermMonths", "OUT_OF_RANGE", "Jangka baru 1–36 bulan, angsuran pertama sesudah tanggal restrukturisasi.",
                "New term 1–36 months, first instalment after the restructuring date."));
        }
        var outstanding = loan.Principal - await db.UpkRepayments.Where(r => r.LoanId == loan.Id).SumAsync(r => r.Principal, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        loan.Status = LoanStatus.Restructured;
        loan.ClosedOn = input.On;
        loan.ClosingReason = input.Reason!.Trim();
        var next = new UpkLoan
        {
            UpkId = loan.UpkId,
            KsmId = loan.KsmId,
            Nomor = loan.Nomor + "-R",
            Status = LoanStatus.Disbursed,
            Principal = outstanding,
            RateHundredths = loan.RateHundredths,
            Method = loan.Method,
            TermMonths = input.TermMonths,
            FirstDueOn = input.FirstDueOn,
            ProposedOn = input.On,
            ApprovedOn = input.On,
            DisbursedOn = input.On,
            RestructuredFromId = loan.Id,
        };
        db.UpkLoans.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        db.UpkInstallments.AddRange(LoanSchedule.Build(next.Principal, next.RateHundredths, next.Method, next.TermMonths, next.FirstDueOn.Value)
            .Select(i => new UpkInstallment { LoanId = next.Id, K = i.K, DueOn = i.DueOn, Principal = i.Principal, Service = i.Service }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (next, null);
    }

    /// <summary>Deletes a loan that was never disbursed; a disbursed loan is refused (write it off instead).</summary>
    public async Task<Problem?> WithdrawAsync(long loanId, string role, AccessScope scope, CancellationToken cancellationToken)
    {
        var (loan, problem) = await LoanAccess.FindAsync(db, loanId, role, scope, cancellationToken);
        if (loan is null)
        {
            return problem;
        }
        if (loan.DisbursedOn is not null)
        {
            return new("", "LOAN_DISBURSED", "Pinjaman yang sudah cair tidak pernah dihapus; hapus buku bila perlu.",
                "A disbursed loan is never deleted; write it off if needed.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.UpkLoanShares.Where(s => s.LoanId == loan.Id).ExecuteDeleteAsync(cancellationToken);
        db.UpkLoans.Remove(loan);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    private async Task<(Problem Problem, bool)?> CheckClosableAsync(UpkLoan loan, DateOnly on, string? reason, CancellationToken cancellationToken)
    {
        if (loan.Status != LoanStatus.Disbursed)
        {
            return (LoanAccess.WrongStatus(loan.Status), false);
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return (new("Reason", "REASON_REQUIRED", "Sebutkan alasannya.", "Give the reason."), false);
        }
        if (on < loan.DisbursedOn)
        {
            return (new("On", "DATE_ORDER", "Tanggal sebelum pencairan.", "Date before the disbursement."), false);
        }
        var paid = await db.UpkRepayments.Where(r => r.LoanId == loan.Id).SumAsync(r => r.Principal, cancellationToken);
        return paid >= loan.Principal ? (new("", "LOAN_REPAID", "Pinjaman sudah lunas.", "The loan is fully repaid."), false) : null;
    }
}

using Tuntas.Users;

namespace Tuntas.P2kp.Loans;

/// <summary>Disburses an approved loan and stores its schedule (LOAN-BOOK-FORMAT.md §3); the first instalment falls due after the disbursement.</summary>
public sealed class DisburseLoan(TuntasDb db)
{
    public sealed record Input(long LoanId, DateOnly DisbursedOn, DateOnly FirstDueOn, string Role, AccessScope Scope);

    public async Task<Problem?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var (loan, problem) = await LoanAccess.FindAsync(db, input.LoanId, input.Role, input.Scope, cancellationToken, LoanStatus.Approved);
        if (loan is null)
        {
            return problem;
        }
        if (input.FirstDueOn <= input.DisbursedOn)
        {
            return new("FirstDueOn", "DATE_ORDER", "Angsuran pertama harus sesudah tanggal cair.", "The first instalment must fall after the disbursement.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        loan.Status = LoanStatus.Disbursed;
        loan.DisbursedOn = input.DisbursedOn;
        loan.FirstDueOn = input.FirstDueOn;
        db.UpkInstallments.AddRange(LoanSchedule.Build(loan.Principal, loan.RateHundredths, loan.Method, loan.TermMonths, input.FirstDueOn)
            .Select(i => new UpkInstallment { LoanId = loan.Id, K = i.K, DueOn = i.DueOn, Principal = i.Principal, Service = i.Service }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}

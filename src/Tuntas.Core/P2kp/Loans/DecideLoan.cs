using Tuntas.Users;

namespace Tuntas.P2kp.Loans;

/// <summary>The UPK's appraisal of a proposal: approved (it may then be disbursed) or rejected with a reason.</summary>
public sealed class DecideLoan(TuntasDb db)
{
    public sealed record Input(long LoanId, bool Approve, DateOnly On, string? Reason, string Role, AccessScope Scope);

    public async Task<Problem?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var (loan, problem) = await LoanAccess.FindAsync(db, input.LoanId, input.Role, input.Scope, cancellationToken, LoanStatus.Proposed);
        if (loan is null)
        {
            return problem;
        }
        if (!input.Approve && string.IsNullOrWhiteSpace(input.Reason))
        {
            return new("Reason", "REASON_REQUIRED", "Sebutkan alasan penolakan.", "Give the reason for the rejection.");
        }
        loan.Status = input.Approve ? LoanStatus.Approved : LoanStatus.Rejected;
        loan.ApprovedOn = input.Approve ? input.On : null;
        loan.ClosedOn = input.Approve ? null : input.On;
        loan.ClosingReason = input.Approve ? null : input.Reason!.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}

using Tuntas.Users;

namespace Tuntas.P2kp.Loans;

/// <summary>Finds a loan for a change and checks that the caller may act for its KSM's desa (<see cref="P2kpAccess.MayManage"/>).</summary>
internal static class LoanAccess
{
    /// <summary>The loan, or why not: not found, not the caller's desa, or (with <paramref name="status"/>) in another
    /// status than the step needs.</summary>
    public static async Task<(UpkLoan? Loan, Problem? Problem)> FindAsync(TuntasDb db, long loanId, string role, AccessScope scope, CancellationToken cancellationToken,
        string? status = null)
    {
        var loan = await db.UpkLoans.FirstOrDefaultAsync(l => l.Id == loanId, cancellationToken);
        if (loan is null)
        {
            return (null, P2kpAccess.NotFound());
        }
        var desa = await db.Ksms.Where(k => k.Id == loan.KsmId).Select(k => k.KodeDesa).FirstAsync(cancellationToken);
        if (!P2kpAccess.MayManage(role, scope, desa))
        {
            return (null, P2kpAccess.Forbidden());
        }
        return status is null || loan.Status == status ? (loan, null) : (null, WrongStatus(loan.Status));
    }

    public static Problem WrongStatus(string status) =>
        new("", "LOAN_STATUS", $"Tidak dapat dilakukan pada pinjaman berstatus {status}.", $"Not possible for a loan with status {status}.");
}

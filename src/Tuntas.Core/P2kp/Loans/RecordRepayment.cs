using Tuntas.Users;

namespace Tuntas.P2kp.Loans;

/// <summary>
/// A KSM's repayment of a disbursed loan, by the UPK's receipt (kuitansi): the same receipt recorded twice is refused as a
/// duplicate (a double-clicked form, a receipt typed again); never before the disbursement, never more principal than
/// is outstanding (LOAN-BOOK-FORMAT.md §6: PAYMENT_BEFORE_DISBURSEMENT, OVERPAID). The split to members follows their
/// shares (<see cref="MemberSplit"/>).
/// </summary>
public sealed class RecordRepayment(TuntasDb db)
{
    public sealed record Input(long LoanId, DateOnly PaidOn, long Principal, long Service, string? Receipt, string Actor, string Role, AccessScope Scope);

    public sealed record Outcome(UpkRepayment? Repayment, Problem? Problem);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var (loan, problem) = await LoanAccess.FindAsync(db, input.LoanId, input.Role, input.Scope, cancellationToken, LoanStatus.Disbursed);
        if (loan is null)
        {
            return new(null, problem);
        }
        var receipt = input.Receipt?.Trim() ?? "";
        if (receipt.Length is 0 or > 40)
        {
            return new(null, new("Receipt", "RECEIPT_REQUIRED", "Isi nomor kuitansi (maks. 40 karakter).", "Enter the receipt number (at most 40 characters)."));
        }
        if (input.Principal < 0 || input.Service < 0 || input.Principal + input.Service == 0)
        {
            return new(null, new("Principal", "OUT_OF_RANGE", "Pokok dan jasa tidak negatif, tidak keduanya nol.", "Principal and service not negative, not both zero."));
        }
        if (input.PaidOn < loan.DisbursedOn)
        {
            return new(null, new("PaidOn", "PAYMENT_BEFORE_DISBURSEMENT", "Pembayaran sebelum pinjaman dicairkan.", "Payment before the loan was disbursed."));
        }
        if (await db.UpkRepayments.AnyAsync(r => r.LoanId == loan.Id && r.Receipt == receipt, cancellationToken))
        {
            return new(null, new("Receipt", "DUPLICATE", $"Kuitansi {receipt} sudah dicatat untuk pinjaman ini.", $"Receipt {receipt} is already recorded for this loan."));
        }
        var paid = await db.UpkRepayments.Where(r => r.LoanId == loan.Id).SumAsync(r => r.Principal, cancellationToken);
        if (paid + input.Principal > loan.Principal)
        {
            return new(null, new("Principal", "OVERPAID", string.Create(CultureInfo.InvariantCulture, $"Sisa pokok hanya {loan.Principal - paid:N0}."),
                string.Create(CultureInfo.InvariantCulture, $"Only {loan.Principal - paid:N0} principal is outstanding.")));
        }
        var repayment = new UpkRepayment
        {
            LoanId = loan.Id,
            PaidOn = input.PaidOn,
            Principal = input.Principal,
            Service = input.Service,
            Receipt = receipt,
            RecordedBy = input.Actor,
        };
        db.UpkRepayments.Add(repayment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two requests with one receipt at the same moment: the unique index (loan, receipt) lets only the first in.
            return new(null, new("Receipt", "DUPLICATE", $"Kuitansi {receipt} sudah dicatat untuk pinjaman ini.", $"Receipt {receipt} is already recorded for this loan."));
        }
        return new(repayment, null);
    }
}

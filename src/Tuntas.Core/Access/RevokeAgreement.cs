using Tuntas.Users;

namespace Tuntas.Access;

/// <summary>Ends a data-sharing agreement before its end date, with the reason: kept, never deleted, so the record of
/// what was shared with whom stays for the auditor.</summary>
public sealed class RevokeAgreement(TuntasDb db, TimeProvider clock)
{
    public sealed record Outcome(bool Found, Problem? Problem);

    public async Task<Outcome> RunAsync(long agreementId, string reason, string revokedBy, CancellationToken cancellationToken)
    {
        var agreement = await db.DataSharingAgreements.SingleOrDefaultAsync(a => a.Id == agreementId, cancellationToken);
        if (agreement is null)
        {
            return new Outcome(false, null);
        }
        if (agreement.RevokedAt is not null)
        {
            return new Outcome(true, new Problem("Reason", "AGREEMENT_REVOKED", "Perjanjian ini sudah dicabut.", "This agreement is already revoked."));
        }
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 500)
        {
            return new Outcome(true, new Problem("Reason", "REVOKE_REASON", "Sebutkan alasan pencabutan (paling panjang 500 karakter).",
                "Give the reason for revoking (at most 500 characters)."));
        }
        agreement.RevokedAt = clock.GetUtcNow().UtcDateTime;
        agreement.RevokedBy = revokedBy;
        agreement.RevokeReason = reason.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(true, null);
    }
}

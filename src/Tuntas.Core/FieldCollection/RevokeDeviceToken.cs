using Tuntas.Users;

namespace Tuntas.FieldCollection;

/// <summary>Revokes a device token at once (a lost phone, a volunteer who left): its next request is refused.
/// A user revokes their own tokens; a user manager any token.</summary>
public sealed class RevokeDeviceToken(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(long TokenId, string Actor, bool ActorManagesUsers);

    public async Task<Problem?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var token = await db.DeviceTokens.SingleOrDefaultAsync(t => t.Id == input.TokenId, cancellationToken);
        var owner = token is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == token.UserId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken);
        if (token is null || (!input.ActorManagesUsers && owner != input.Actor))
        {
            return FieldTerms.Problem("TOKEN_NOT_FOUND");
        }
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow().UtcDateTime;
            token.RevokedBy = input.Actor;
            await db.SaveChangesAsync(cancellationToken);
        }
        return null;
    }
}

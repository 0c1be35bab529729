using Tuntas.Users;

namespace Tuntas.FieldCollection;

/// <summary>
/// Who a device token speaks for, read on every OpenRosa request (a revoked token or a disabled account is refused at
/// once): the user and the <see cref="AccessScope"/> resolved by <see cref="ResolveAccessScope"/>, the one place roles
/// become rows, exactly as for a signed-in user.
/// <para>The offline form in the browser (/Lapangan/Formulir) has no token: its signed-in user is the device, with the
/// scope the request already resolved (<see cref="SignedInAsync"/>).</para>
/// </summary>
public sealed class AuthenticateDevice(TuntasDb db, TimeProvider clock, ResolveAccessScope resolve)
{
    /// <param name="Token">The phone's token; null for the browser form, which works under the user's sign-in.</param>
    public sealed record Device(DeviceToken? Token, User User, AccessScope Scope);

    /// <summary>The signed-in user as the sender of a browser form's submission: an account that may collect, still enabled.</summary>
    public async Task<(Device? Device, Problem? Problem)> SignedInAsync(string userName, AccessScope scope, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        return user is null || user.Disabled || !FieldPermissions.Collect.Allows(user.Role)
            ? (null, FieldTerms.Problem("USER_DISABLED"))
            : (new Device(null, user, scope), null);
    }

    public async Task<(Device? Device, Problem? Problem)> RunAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(secret) || !secret.StartsWith(CreateDeviceToken.Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return (null, FieldTerms.Problem("TOKEN_UNKNOWN"));
        }
        var hash = ApiKeys.Hash(secret);
        var token = await db.DeviceTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null)
        {
            return (null, FieldTerms.Problem("TOKEN_UNKNOWN"));
        }
        if (token.RevokedAt is not null)
        {
            return (null, FieldTerms.Problem("TOKEN_REVOKED"));
        }
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == token.UserId, cancellationToken);
        if (user.Disabled || !FieldPermissions.Collect.Allows(user.Role))
        {
            return (null, FieldTerms.Problem("USER_DISABLED"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            // Last use, for the back office's device list; at most one write per device every few minutes.
            await db.DeviceTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }
        var scope = await resolve.RunAsync(new ResolveAccessScope.Input(user.Id, user.Role, user.RegionCode, user.Organization), cancellationToken);
        return (new Device(token, user, scope), null);
    }
}

using System.Security.Cryptography;
using Tuntas.Users;

namespace Tuntas.FieldCollection;

/// <summary>
/// Creates a device token for a user who visits families (ODK Collect / KoboCollect on their phone). The token
/// (<c>tnd_</c> + 48 hex digits, 192 random bits) is returned once; only its SHA-256 is stored, as for API keys. A user
/// creates tokens for their own account; a user manager (administrator) for anyone with a visiting role.
/// </summary>
public sealed class CreateDeviceToken(TuntasDb db, TimeProvider clock)
{
    public const string Prefix = "tnd_";

    public sealed record Input(string UserName, string DeviceName, string Actor, bool ActorManagesUsers);

    public sealed record Outcome(DeviceToken? Token, string? Secret, Problem? Problem);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var name = (input.DeviceName ?? "").Trim();
        if (name.Length is 0 or > 80 || name.Any(char.IsControl))
        {
            return new Outcome(null, null, FieldTerms.Problem("DEVICE_NAME", "DeviceName"));
        }
        var userName = (input.UserName ?? "").Trim().ToLowerInvariant();
        if (!input.ActorManagesUsers && userName != input.Actor)
        {
            return new Outcome(null, null, FieldTerms.Problem("DEVICE_NOT_ALLOWED", "UserName"));
        }
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null || user.Disabled || !FieldPermissions.Collect.Allows(user.Role))
        {
            return new Outcome(null, null, FieldTerms.Problem("DEVICE_USER", "UserName"));
        }
        var secret = Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var token = new DeviceToken
        {
            UserId = user.Id,
            Name = name,
            TokenHash = ApiKeys.Hash(secret),
            CreatedBy = input.Actor,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.DeviceTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(token, secret, null);
    }
}

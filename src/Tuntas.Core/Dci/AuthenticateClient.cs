using System.Security.Cryptography;
using Tuntas.Users;

namespace Tuntas.Dci;

/// <summary>
/// The OAuth 2.0 client-credentials grant of the DCI authorization API (<c>authz_core_api_v1.0.0.yaml</c>,
/// <c>POST /oauth2/client/token</c>; RFC 6749 §4.4): <c>client_id</c> is an existing API client's number and
/// <c>client_secret</c> its API key (<see cref="AddApiClient"/>), so a DCI client is an ordinary API client — same role,
/// region and organization, same <c>AccessScope</c>, disabled the same way. The key is compared by its SHA-256 in
/// constant time; which of id or secret was wrong is never said.
/// </summary>
public sealed class AuthenticateClient(TuntasDb db)
{
    public sealed record Input(string? GrantType, string? ClientId, string? ClientSecret);

    /// <param name="Error">The RFC 6749 §5.2 error: <c>invalid_client</c> or <c>unsupported_grant_type</c>.</param>
    public sealed record Outcome(ApiClient? Client, string? Error);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        // RFC 6749 §5.2: a request without client authentication is invalid_client (401), like a wrong one.
        if (string.IsNullOrWhiteSpace(input.ClientId) || string.IsNullOrWhiteSpace(input.ClientSecret) || input.ClientSecret.Length > 200)
        {
            return new Outcome(null, "invalid_client");
        }
        if (input.GrantType != "client_credentials")
        {
            return new Outcome(null, "unsupported_grant_type");
        }
        if (!long.TryParse(input.ClientId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return new Outcome(null, "invalid_client");
        }
        var client = await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        var presented = Encoding.ASCII.GetBytes(ApiKeys.Hash(input.ClientSecret.Trim()));
        var stored = Encoding.ASCII.GetBytes(client?.KeyHash ?? new string('0', 64));
        if (client is null || client.Disabled || !CryptographicOperations.FixedTimeEquals(presented, stored))
        {
            return new Outcome(null, "invalid_client");
        }
        return new Outcome(client, null);
    }
}

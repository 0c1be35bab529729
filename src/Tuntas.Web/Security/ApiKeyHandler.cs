using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tuntas.Users;

namespace Tuntas.Web.Security;

/// <summary>
/// Authenticates API clients (e.g. a village information system) by the key in <c>X-Api-Key</c>. Only the SHA-256 of a
/// key is stored (<c>api_clients.key_hash</c>, lower-case hex), so a database leak does not leak usable keys; keys are
/// long random strings, so a fast hash is enough (no password stretching needed). The client's region and organization
/// become claims exactly as a user's do, so <see cref="AccessScopeMiddleware"/> resolves its scope the same way: a
/// village system's key sees and writes its village only.
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TuntasDb db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>The prefix of an API client's name identifier: "api:" + its id, never a number a user id could be.</summary>
    public const string ClientPrefix = "api:";

    public static string Hash(string key) => ApiKeys.Hash(key);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.ToString() is not { Length: > 0 } key)
        {
            return AuthenticateResult.NoResult();
        }
        var hash = Hash(key.Trim());
        var client = await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.KeyHash == hash, Context.RequestAborted);
        if (client is null || client.Disabled)
        {
            Logger.LogWarning("API key refused");
            return AuthenticateResult.Fail("Invalid API key");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(PrincipalFor(client, Scheme.Name), Scheme.Name));
    }

    /// <summary>An API client's principal, from its row: the key handler and the DCI bearer token build it the same way.</summary>
    public static ClaimsPrincipal PrincipalFor(ApiClient client, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, ClientPrefix + client.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, client.Actor()),
            new Claim(TuntasClaims.DisplayName, client.Name),
            new Claim(ClaimTypes.Role, client.Role),
            .. client.RegionCode is null ? Array.Empty<Claim>() : [new Claim(TuntasClaims.Region, client.RegionCode)],
            .. client.Organization is null ? Array.Empty<Claim>() : [new Claim(TuntasClaims.Organization, client.Organization)],
        ], scheme, ClaimTypes.Name, ClaimTypes.Role));
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tuntas.Data;

namespace Tuntas.Web.Security;

/// <summary>
/// Authenticates API clients (e.g. a village information system) by the key in <c>X-Api-Key</c>. Only the SHA-256 of a
/// key is stored (<c>api_clients.key_hash</c>, lower-case hex), so a database leak does not leak usable keys; keys are
/// long random strings, so a fast hash is enough (no password stretching needed).
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TuntasDb db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string HeaderName = "X-Api-Key";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

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
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "api:" + client.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, "api:" + client.Name),
            new Claim(TuntasClaims.DisplayName, client.Name),
            new Claim(ClaimTypes.Role, client.Role),
        ], Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tuntas.Audit;
using Tuntas.Dci;
using Tuntas.Users;

namespace Tuntas.Web.Dci;

/// <summary>
/// Bearer tokens for API clients, as the DCI standard asks (<c>authz_core_api_v1.0.0.yaml</c>: OAuth 2.0 client
/// credentials giving a JWT; RFC 7519, RFC 6750). The token names the client only (<c>sub</c> = <c>api:</c> + its id):
/// on every request the client's row is read again and its principal built exactly as for an <c>X-Api-Key</c>
/// (<see cref="ApiKeyHandler.PrincipalFor"/>), so a disabled client or a changed region takes effect at once, and
/// <see cref="AccessScopeMiddleware"/> resolves its scope like any API client's. Tokens are HMAC-SHA-256 signed with a key
/// derived from the installation's secret (<see cref="AuditKey.DeriveKey"/>): nothing new to keep, and a restart keeps them valid.
/// </summary>
public sealed class DciTokens(AuditKey secret, DciOptions options, TimeProvider clock)
{
    public const string Scheme = "dci-bearer";
    public const string Issuer = "tuntas";
    public const string Audience = "tuntas-dci";

    private readonly SymmetricSecurityKey _key = new(secret.DeriveKey("tuntas dci access token")) { KeyId = "dci-1" };

    public SymmetricSecurityKey Key => _key;

    public (string Token, int ExpiresIn) Issue(ApiClient client)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.TokenLifetime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = ApiKeyHandler.ClientPrefix + client.Id.ToString(CultureInfo.InvariantCulture),
                ["scope"] = "registry.search",
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return (token, (int)options.TokenLifetime.TotalSeconds);
    }
}

public static class DciAuthentication
{
    /// <summary>The DCI endpoints speak bearer tokens only; elsewhere in /api a bearer token works beside the cookie and the key.</summary>
    public static bool UsesBearer(HttpRequest request) =>
        DciApi.IsDci(request) || (ApiPaths.IsApi(request) && request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase));

    public static IServiceCollection AddDci(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(DciOptions.FromConfiguration(configuration, configuration.Regency()));
        services.AddSingleton<DciTokens>();
        services.AddScoped<AuthenticateClient>();
        services.AddScoped<ReadBearerClient>();
        services.AddScoped<SyncSearch>();
        services.AddSingleton<RegionNames>();
        // Asynchronous search and transaction status: queued, answered by the worker, delivered to the client's callback.
        services.AddSingleton(Tuntas.Dci.Async.CallbackAllowList.FromConfiguration(configuration));
        services.AddSingleton<Tuntas.Dci.Async.DciQueueSignal>();
        services.AddSingleton(_ => Tuntas.Dci.Async.DciCallbackHttp.Create());
        services.AddScoped<Tuntas.Dci.Async.AcceptDciMessage>();
        services.AddScoped<Tuntas.Dci.Async.TransactionStatus>();
        services.AddScoped<Tuntas.Dci.Async.ProcessDciTransactions>();
        // Subscriptions and notify (registry core API), message signatures (docs/dci.md).
        services.AddScoped<Tuntas.Dci.Subscriptions.Subscribe>();
        services.AddScoped<Tuntas.Dci.Subscriptions.Unsubscribe>();
        services.AddScoped<Tuntas.Dci.Subscriptions.QueueNotifications>();
        services.AddScoped<Tuntas.Dci.Subscriptions.DeliverNotifications>();
        services.AddScoped<Tuntas.Dci.Subscriptions.ListSubscriptions>();
        services.AddScoped<Tuntas.Dci.Signatures.CheckSignature>();
        services.AddScoped<Tuntas.Dci.Signatures.RegisterClientKey>();
        services.AddSingleton(provider => Tuntas.Dci.Signatures.DciSigner.FromConfiguration(configuration, provider.GetRequiredService<DciOptions>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<DciWorker>();
        services.AddOptions<JwtBearerOptions>(DciTokens.Scheme).Configure<DciTokens>((options, tokens) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = DciTokens.Issuer,
                ValidAudience = DciTokens.Audience,
                IssuerSigningKey = tokens.Key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = ReadClientAsync,
                OnChallenge = ChallengeAsync,
            };
        });
        return services;
    }

    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddDciBearer(this Microsoft.AspNetCore.Authentication.AuthenticationBuilder builder) =>
        builder.AddJwtBearer(DciTokens.Scheme, _ => { });

    private static async Task ReadClientAsync(TokenValidatedContext context)
    {
        var subject = context.Principal?.FindFirstValue("sub") ?? "";
        var read = subject.StartsWith(ApiKeyHandler.ClientPrefix, StringComparison.Ordinal)
            && long.TryParse(subject.AsSpan(ApiKeyHandler.ClientPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? await context.HttpContext.RequestServices.GetRequiredService<ReadBearerClient>().RunAsync(id, context.HttpContext.RequestAborted)
                : null;
        if (read is not { Client.Disabled: false })
        {
            context.Fail("client unknown or disabled");
            return;
        }
        context.HttpContext.Items[_bearerClientItem] = read;
        context.Principal = ApiKeyHandler.PrincipalFor(read.Client, DciTokens.Scheme);
    }

    /// <summary>
    /// Where the request keeps the client row and signing key the bearer handler read, so the signature check does not read the key again.
    /// </summary>
    private static readonly object _bearerClientItem = new();

    /// <summary>The client's row and signing key as the bearer handler read them in this request; null when it did not.</summary>
    public static ReadBearerClient.Outcome? BearerClient(HttpContext context) =>
        context.Items.TryGetValue(_bearerClientItem, out var read) ? read as ReadBearerClient.Outcome : null;

    /// <summary>
    /// A DCI request without a valid token: 401 with the standard's error body (<c>err.request.unauthorized</c>), the
    /// RFC 6750 <c>WWW-Authenticate</c> header, and an audit entry (the refusal names the route, never the token).
    /// </summary>
    private static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        if (!DciApi.IsDci(context.Request))
        {
            return;
        }
        context.HandleResponse();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        var writer = context.HttpContext.RequestServices.GetRequiredService<AuditWriter>();
        await writer.AppendAsync(new AppendAudit.Input("anonim", AuditActions.AccessDenied, "rute", context.Request.Path,
            $"{context.Request.Method} {context.Request.Path} — DCI: {(context.AuthenticateFailure is null ? "tanpa token" : "token tidak sah")}",
            null, context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "tidak-diketahui"));
        await response.WriteAsJsonAsync(DciErrorResponse.Of(DciCodes.Unauthorized,
            "A bearer token from POST /api/dci/oauth2/client/token is required (missing, expired or invalid)."), DciJson.Json);
    }
}

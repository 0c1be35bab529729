using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tuntas.Dci;
using Tuntas.Registry;

namespace Tuntas.Web.Dci;

/// <summary>
/// The DCI Social Registry API v1.0.0 (spdci/standards; docs/dci.md) under <c>/api/dci</c>, the base URL a DCI client is
/// given: <c>POST /oauth2/client/token</c> (client credentials → JWT) and <c>POST /registry/sync/search</c>. A thin
/// adapter: Core's <see cref="SyncSearch"/> answers, with the request's <c>AccessScope</c>; every search is audited as a
/// personal-data read with what was searched (query types, counts — never the NIK or NO_KK asked for).
/// </summary>
public static class DciApi
{
    public const string Prefix = "/api/dci";

    /// <summary>A DCI message is small; one megabyte is room for the largest batch (<see cref="DciOptions.MaxSearchRequests"/>).</summary>
    private const long MaxBody = 1_000_000;

    public static bool IsDci(HttpRequest request) => request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    public static RouteGroupBuilder MapDciApi(this IEndpointRouteBuilder app)
    {
        var dci = app.MapGroup(Prefix).WithTags("DCI Social Registry");
        dci.MapPost("/oauth2/client/token", TokenAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("DciClientToken")
            .WithSummary("OAuth 2.0 client credentials → access token (DCI authz)")
            .WithDescription("application/x-www-form-urlencoded: grant_type=client_credentials, client_id (the API client's number), client_secret (its API key); or the id and key in HTTP Basic. Returns {access_token, token_type, expires_in}.");
        dci.MapPost("/registry/sync/search", SearchAsync)
            .RequireAuthorization()
            .ReadsPersonalData("keluarga", null, readsOnPost: true)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .AddEndpointFilter<DciSignatureFilter>()
            .WithName("DciSyncSearch")
            .WithSummary("DCI synchronous registry search")
            .WithDescription("A DCI message {signature, header, message: SearchRequest}; answers {header: MsgCallbackHeader, message: SearchResponse} with group or member records. Bearer token required.");
        dci.MapDciAsync();
        app.MapDciSubscriptionsApi();
        return dci;
    }

    public sealed record TokenResponse(string AccessToken, string TokenType, string ExpiresIn);

    public sealed record TokenError(string Error);

    private static async Task<IResult> TokenAsync(HttpContext context, AuthenticateClient authenticate, DciTokens tokens, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var form = request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : null;
        string? clientId = form?["client_id"], secret = form?["client_secret"];
        // RFC 6749 §2.3.1: the client may authenticate with HTTP Basic instead of form fields.
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var basic) && basic.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            && basic.Parameter is { } encoded)
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Split(':', 2);
                (clientId, secret) = (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
            }
            catch (FormatException)
            {
                clientId = secret = null;
            }
        }
        var outcome = await authenticate.RunAsync(new AuthenticateClient.Input(form?["grant_type"], clientId, secret), cancellationToken);
        var who = outcome.Client is { } c ? c.Actor() : "api:" + (clientId ?? "?");
        SignInAttempt.Set(context, new SignInAttempt(who, outcome.Client is not null, outcome.Client?.Role, "DCI client_credentials"));
        context.Response.Headers.CacheControl = "no-store";
        if (outcome.Client is null)
        {
            // RFC 6749 §5.2: 401 for a client that failed to authenticate, 400 otherwise.
            return Results.Json(new TokenError(outcome.Error!), DciJson.Json,
                statusCode: outcome.Error == "invalid_client" ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest);
        }
        var (token, expiresIn) = tokens.Issue(outcome.Client);
        return Results.Json(new TokenResponse(token, "bearer", expiresIn.ToString(CultureInfo.InvariantCulture)), DciJson.Json);
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ClaimsPrincipal user, SyncSearch search, Tuntas.Dci.Signatures.DciSigner signer,
        CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken);
        }
        catch (JsonException)
        {
            return Results.Json(DciErrorResponse.Of(DciCodes.RequestBad, "The body is not JSON."), DciJson.Json, statusCode: StatusCodes.Status400BadRequest);
        }
        using (document)
        {
            var outcome = await search.RunAsync(new SyncSearch.Input(document.RootElement, user.AccessScope(),
                new DciDisclosure(user.Has(RegistryPermissions.SeeFullIdentifiers), user.Has(RegistryPermissions.SeeSensitive))), cancellationToken);
            AuditDetail.Set(context, "DCI " + outcome.Summary);
            if (outcome.Error is { } error)
            {
                return Results.Json(error, DciJson.Json, statusCode: StatusCodes.Status400BadRequest);
            }
            // With Dci:SigningKeyFile set the answer carries the standard's signature over its header and message as
            // sent, like every message Tuntas posts (docs/dci.md, Message signatures); the bytes signed are the bytes sent.
            return signer.Signs
                ? Results.Text(signer.Sign(JsonSerializer.Serialize(outcome.Response, DciJson.Json)), "application/json", Encoding.UTF8)
                : Results.Json(outcome.Response, DciJson.Json);
        }
    }
}

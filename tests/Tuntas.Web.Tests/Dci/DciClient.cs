using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Tuntas.Dci.Signatures;
using Tuntas.Users;

namespace Tuntas.Web.Tests.Dci;

/// <summary>A DCI client as an integrator writes one: an API client's id and key, a token, then signed-off messages.</summary>
public static class DciClient
{
    public const string Token = "/api/dci/oauth2/client/token";
    public const string SyncSearch = "/api/dci/registry/sync/search";

    public static async Task<(long Id, string Key)> AddClientAsync(TuntasWebFactory app, string role, string? region = null, string? organization = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<AddApiClient>().RunAsync(
            new AddApiClient.Input("dci-" + role, role, region, organization), CancellationToken.None);
        return (outcome.Client?.Id ?? throw new InvalidOperationException(string.Join("; ", outcome.Problems.Select(p => p.MessageEn))), outcome.Key!);
    }

    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string clientId, string secret) =>
        http.PostAsync(Token, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));

    /// <summary>An HTTP client holding a bearer token of a new API client with this role (and region).</summary>
    public static async Task<HttpClient> ConnectAsync(TuntasWebFactory app, string role, string? region = null)
    {
        var (id, key) = await AddClientAsync(app, role, region);
        var http = app.CreateClient();
        var response = await RequestTokenAsync(http, id.ToString(CultureInfo.InvariantCulture), key);
        response.EnsureSuccessStatusCode();
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        DciSchemas.AssertValid(DciSchemas.Authz, DciSchemas.TokenResponse, body);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        return http;
    }

    public static JsonObject ById(string type, string value, string entity = "Group") => new()
    {
        ["version"] = "1.0.0",
        ["reg_event_type"] = "REGISTER",
        ["query_type"] = "idtype-value",
        ["response_entity"] = entity,
        ["query"] = new JsonObject { ["type"] = type, ["value"] = value },
    };

    /// <summary>The standard's NoSql expression form: <c>{"$and": [{attribute: {"$op": value}}, …]}</c>.</summary>
    public static JsonObject Expression(JsonArray and, JsonArray? sort = null, int pageSize = 10, int pageNumber = 1) => new()
    {
        ["version"] = "1.0.0",
        ["reg_event_type"] = "REGISTER",
        ["query_type"] = "expression",
        ["response_entity"] = "Group",
        ["query"] = new JsonObject
        {
            ["type"] = "ns:org:QueryType:NoSql",
            ["value"] = new JsonObject { ["expression"] = new JsonObject { ["collection"] = "Group", ["query"] = new JsonObject { ["$and"] = and } } },
        },
        ["sort"] = sort ?? [],
        ["pagination"] = new JsonObject { ["page_size"] = pageSize, ["page_number"] = pageNumber },
    };

    public static JsonObject Condition(string attribute, string op, JsonNode value) =>
        new() { [attribute] = new JsonObject { [op] = value } };

    public static JsonObject Message(params JsonObject[] criteria)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["version"] = "1.0.0",
                ["message_id"] = Guid.NewGuid().ToString(),
                ["message_ts"] = now,
                ["action"] = "search",
                ["sender_id"] = "openspp-uji",
                ["receiver_id"] = "tuntas-33.14",
                ["total_count"] = criteria.Length,
                ["is_msg_encrypted"] = false,
            },
            ["message"] = new JsonObject
            {
                ["transaction_id"] = "trx-" + Guid.NewGuid().ToString("N")[..12],
                ["search_request"] = new JsonArray([.. criteria.Select((c, i) => (JsonNode)new JsonObject
                {
                    ["reference_id"] = "ref-" + (i + 1).ToString(CultureInfo.InvariantCulture),
                    ["timestamp"] = now,
                    ["search_criteria"] = c,
                })]),
            },
        };
    }

    /// <summary>Posts the message after checking it against the standard, and checks the answer against it too.</summary>
    public static async Task<JsonElement> SearchAsync(HttpClient http, JsonObject message)
    {
        var request = JsonSerializer.SerializeToElement(message);
        DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.SyncSearchRequest, request);
        var response = await http.PostAsJsonAsync(SyncSearch, message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.SyncSearchResponse, body);
        return body;
    }

    public static JsonElement Result(JsonElement body, int index = 0) => body.GetProperty("message").GetProperty("search_response")[index];

    public static JsonElement Records(JsonElement body, int index = 0) => Result(body, index).GetProperty("data").GetProperty("reg_records");

    /// <summary>A new regency signing key and the PKCS#8 PEM file <c>Dci:SigningKeyFile</c> names.</summary>
    public static async Task<(Ed25519PrivateKeyParameters Key, string File)> RegencyKeyAsync()
    {
        var key = new Ed25519PrivateKeyParameters(new SecureRandom());
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetEncoded())
            + "\n-----END PRIVATE KEY-----\n");
        return (key, file);
    }

    /// <summary>
    /// The message as received (its raw text) carries the standard's <c>signature</c> with this <c>kidId</c>, and it
    /// verifies with the public key over the header and message exactly as sent — what a receiver checks.
    /// </summary>
    public static void AssertSignedBy(Ed25519PrivateKeyParameters key, string raw, string kidId)
    {
        using var sent = JsonDocument.Parse(raw);
        var root = sent.RootElement;
        var parts = MessageSignature.Parse(root.GetProperty("signature").GetString());
        Assert.NotNull(parts);
        Assert.Equal(kidId, $"{parts.Sender}|{parts.KeyId}|{parts.Algorithm}");
        Assert.True(MessageSignature.Verify(key.GeneratePublicKey().GetEncoded(), parts,
            System.Text.Encoding.UTF8.GetBytes(root.GetProperty("header").GetRawText()), System.Text.Encoding.UTF8.GetBytes(root.GetProperty("message").GetRawText())));
    }
}

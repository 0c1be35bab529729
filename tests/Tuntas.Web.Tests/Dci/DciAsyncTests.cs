using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Dci.Async;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.Dci.DciClient;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests.Dci;

/// <summary>
/// The asynchronous DCI search (docs/dci.md): acknowledged at once, answered by the worker to the client's on-search
/// endpoint — here a real HTTP listener in the test — and followed with txn/status. Every message is checked against
/// the standard's published schemas.
/// </summary>
public sealed class DciAsyncTests
{
    private const string Search = "/api/dci/registry/search";
    private const string SyncStatus = "/api/dci/registry/sync/txn/status";
    private const string AckSchema = "#/components/responses/Response/content/application~1json/schema";
    private const string OnSearchSchema = "#/paths/~1registry~1on-search/post/requestBody/content/application~1json/schema";
    private const string TxnStatusRequestSchema = "#/paths/~1registry~1sync~1txn~1status/post/requestBody/content/application~1json/schema";
    private const string TxnStatusResponseSchema = "#/paths/~1registry~1sync~1txn~1status/post/responses/default/content/application~1json/schema";

    private static JsonObject Async(JsonObject message, string callback)
    {
        message["header"]!["sender_uri"] = callback;
        return message;
    }

    private static JsonObject StatusRequest(string transactionId, string action = "txn-status") => new()
    {
        ["header"] = new JsonObject
        {
            ["version"] = "1.0.0",
            ["message_id"] = Guid.NewGuid().ToString(),
            ["message_ts"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture),
            ["action"] = action,
            ["sender_id"] = "openspp-uji",
            ["total_count"] = 1,
        },
        ["message"] = new JsonObject
        {
            ["transaction_id"] = "status-" + Guid.NewGuid().ToString("N")[..8],
            ["txnstatus_request"] = new JsonObject
            {
                ["reference_id"] = "status-ref-1",
                ["txn_type"] = "search",
                ["attribute_type"] = "transaction_id",
                ["attribute_value"] = transactionId,
            },
        },
    };

    private static async Task<JsonElement> SyncStatusAsync(HttpClient http, string transactionId)
    {
        var request = StatusRequest(transactionId);
        // The published attribute_value is a oneOf of transaction_id (a string), a list, and correlation_id (a string):
        // a string is both first and third, so no single id can pass it as written. The id is checked against its own
        // schema, and the rest of the message with a list in its place (the one alternative that is unambiguous).
        DciSchemas.AssertValid(DciSchemas.Social, "#/components/schemas/SearchRequest/properties/transaction_id", JsonSerializer.SerializeToElement(transactionId));
        var asList = JsonNode.Parse(request.ToJsonString())!;
        asList["message"]!["txnstatus_request"]!["attribute_value"] = new JsonArray(transactionId);
        DciSchemas.AssertValid(DciSchemas.Social, TxnStatusRequestSchema, JsonSerializer.SerializeToElement(asList));
        var response = await http.PostAsJsonAsync(SyncStatus, request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var body = JsonDocument.Parse(text).RootElement;
        DciSchemas.AssertValid(DciSchemas.Social, TxnStatusResponseSchema, body);
        return body;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_async_search_is_acknowledged_then_answered_on_the_callback_again_after_a_failure_and_its_status_is_told(string provider)
    {
        await using var subscriber = new DciListener(failFirst: 1);
        await using var app = await CreateAsync(provider, new Dictionary<string, string> { ["Dci:Callbacks:dci-" + Roles.Administrator] = subscriber.Url });
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Kepala Keden", 1, new DateOnly(1980, 1, 2), 1));
        var http = await ConnectAsync(app, Roles.Administrator);
        var message = Async(Message(ById("NIK", family.Persons[0].Nik)), subscriber.Url + "on-search");
        DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.SyncSearchRequest, JsonSerializer.SerializeToElement(message));
        var transactionId = message["message"]!["transaction_id"]!.GetValue<string>();

        var response = await http.PostAsJsonAsync(Search, message);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        DciSchemas.AssertValid(DciSchemas.Social, AckSchema, ack);
        Assert.Equal("ACK", ack.GetProperty("message").GetProperty("ack_status").GetString());
        var correlation = ack.GetProperty("message").GetProperty("correlation_id").GetString();

        // The first post is refused by the client (503): the worker tries again after its back-off and the answer arrives.
        var callback = await subscriber.NextAsync();
        DciSchemas.AssertValid(DciSchemas.Social, OnSearchSchema, callback);
        Assert.Equal(2, subscriber.Posts);
        Assert.Equal("on-search", callback.GetProperty("header").GetProperty("action").GetString());
        Assert.Equal(correlation, callback.GetProperty("message").GetProperty("correlation_id").GetString());
        Assert.Equal(transactionId, callback.GetProperty("message").GetProperty("transaction_id").GetString());
        Assert.Equal(family.NoKk, Records(callback).EnumerateArray().Single().GetProperty("group_identifier")[0].GetProperty("identifier_value").GetString());

        // Delivered: the request and the answer are no longer kept, the disclosure is in the audit trail (without the NIK).
        await using var db = app.Database.CreateDb();
        DciTransaction row;
        do
        {
            row = await db.Set<DciTransaction>().AsNoTracking().SingleAsync();
        }
        while (row.State != DciTransactionStates.Delivered && await Task.Delay(100).ContinueWith(_ => true));
        Assert.Null(row.RequestJson);
        Assert.Null(row.ResponseJson);
        Assert.Equal(2, row.Attempts);
        var read = Assert.Single(await db.AuditLog.AsNoTracking().Where(e => e.Action == AuditActions.ViewPersonalData && e.Detail!.Contains(correlation!)).ToListAsync());
        Assert.StartsWith("api:dci-" + Roles.Administrator + "#", read.Actor, StringComparison.Ordinal);
        Assert.DoesNotContain(family.Persons[0].Nik, read.Detail, StringComparison.Ordinal);

        var status = await SyncStatusAsync(http, transactionId);
        Assert.Equal("succ", status.GetProperty("header").GetProperty("status").GetString());
        var txn = status.GetProperty("message").GetProperty("txnstatus_response").GetProperty("txn_status");
        Assert.Equal(correlation, txn.GetProperty("correlation_id").GetString());
        var item = Assert.Single(txn.GetProperty("search_response").EnumerateArray());
        Assert.Equal("succ", item.GetProperty("status").GetString());
        Assert.False(item.TryGetProperty("data", out _));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_callback_outside_the_clients_list_is_refused_and_audited_and_another_clients_transaction_is_not_found(string provider)
    {
        await using var app = await CreateAsync(provider, new Dictionary<string, string> { ["Dci:Callbacks:dci-" + Roles.Administrator] = "https://openspp.example/dci" });
        var http = await ConnectAsync(app, Roles.Administrator);
        foreach (var url in new[] { "https://evil.example/dci/on-search", "https://openspp.example/dci-x/on-search", "http://openspp.example/dci/on-search",
                     "https://user@openspp.example/dci/on-search", "not a url" })
        {
            var response = await http.PostAsJsonAsync(Search, Async(Message(ById("NIK", "3314014101800001")), url));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.HttpError, body);
            Assert.Equal("err.sender_uri.invalid", body.GetProperty("errors")[0].GetProperty("code").GetString());
        }
        var accepted = Async(Message(ById("NIK", "3314014101800001")), "https://openspp.example/dci/on-search");
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync(Search, accepted)).StatusCode);

        // Another client asking about that transaction is told it does not exist.
        var other = await ConnectAsync(app, Roles.TkpkdCoordinator);
        var notFound = await other.PostAsJsonAsync(SyncStatus, StatusRequest(accepted["message"]!["transaction_id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("err.request.not_found", JsonDocument.Parse(await notFound.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetProperty("code").GetString());

        await using var db = app.Database.CreateDb();
        Assert.Equal(5, await db.AuditLog.AsNoTracking().CountAsync(e => e.Action == AuditActions.AccessDenied && e.SubjectId == Search));
        Assert.Equal(1, await db.Set<DciTransaction>().CountAsync());
    }
}

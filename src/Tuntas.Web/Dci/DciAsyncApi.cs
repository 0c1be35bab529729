using System.Text.Json;
using Tuntas.Dci;
using Tuntas.Dci.Async;
using Tuntas.Dci.Subscriptions;

namespace Tuntas.Web.Dci;

/// <summary>
/// The asynchronous half of the DCI Social Registry API (docs/dci.md): <c>POST /registry/search</c> and
/// <c>POST /registry/txn/status</c> acknowledge at once and answer on the client's callback (<see cref="DciWorker"/>);
/// <c>POST /registry/sync/txn/status</c> answers in the response. Same bearer token, same scope as the sync search.
/// </summary>
public static class DciAsyncApi
{
    private const long MaxBody = 1_000_000;

    public static RouteGroupBuilder MapDciAsync(this RouteGroupBuilder dci)
    {
        MapAccepted(dci, "/registry/search", DciTransactionKinds.Search, "DciSearch", "DCI asynchronous registry search",
            "A DCI search message whose header.sender_uri is a callback URL registered for this client (Dci:Callbacks). Answers the standard's acknowledgement {message: {ack_status: ACK, timestamp, correlation_id}}; the SearchResponse is then posted to sender_uri (action on-search), retried until it is accepted. 403 err.sender_uri.invalid for a callback outside the client's list.");
        MapAccepted(dci, "/registry/txn/status", DciTransactionKinds.TxnStatus, "DciTxnStatus", "DCI asynchronous transaction status",
            "A TxnStatusRequest (txn_type search, attribute_type transaction_id or correlation_id); acknowledged, then the TxnStatusResponse is posted to sender_uri (action txn-on-status). Statuses per reference only, never records.");
        MapAccepted(dci, "/registry/subscribe", DciTransactionKinds.Subscribe, "DciSubscribe", "DCI subscribe to family changes",
            "A SubscribeRequest (registry core API): reg_event_type REGISTER or UPDATE, notify_record_type Group, filter_type and filter in the search's criteria language, within the client's scope. Acknowledged; the SubscribeResponse with each subscription's code is posted to sender_uri (action on-subscribe), and from then on each matching family change is posted as a NotifyEventRequest (action notify) to sender_uri with its last segment on-subscribe replaced by notify. Both must be under the client's registered callbacks (403 err.sender_uri.invalid).");
        MapAccepted(dci, "/registry/unsubscribe", DciTransactionKinds.Unsubscribe, "DciUnsubscribe", "DCI unsubscribe",
            "An UnSubscribeRequest with subscription_codes of this client; acknowledged, then the UnSubscribeResponse is posted to sender_uri (action on-unsubscribe): rjct.subscription_code.invalid for a code this client does not have, rjct.event.already_unsubscribed for one already ended (then none is ended).");
        dci.MapPost("/registry/sync/txn/status", SyncStatusAsync)
            .RequireAuthorization()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .AddEndpointFilter<DciSignatureFilter>()
            .WithName("DciSyncTxnStatus")
            .WithSummary("DCI transaction status, answered at once")
            .WithDescription("A TxnStatusRequest; answers {header: MsgCallbackHeader (txn-on-status; status pdng while queued, succ once answered), message: TxnStatusResponse}. 404 err.request.not_found when this client has no such transaction.");
        return dci;
    }

    /// <summary>A message acknowledged at once and answered on the client's callback (<see cref="AcceptDciMessage"/>).</summary>
    private static void MapAccepted(RouteGroupBuilder dci, string path, string kind, string name, string summary, string description) =>
        dci.MapPost(path, (HttpContext context, ClaimsPrincipal user, AcceptDciMessage accept, CancellationToken cancellationToken) =>
                AcceptAsync(context, user, accept, kind, cancellationToken))
            .RequireAuthorization()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBody))
            .AddEndpointFilter<DciSignatureFilter>()
            .WithName(name)
            .WithSummary(summary)
            .WithDescription(description);

    internal static long ClientId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && id.StartsWith(ApiKeyHandler.ClientPrefix, StringComparison.Ordinal)
        && long.TryParse(id.AsSpan(ApiKeyHandler.ClientPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;

    /// <summary>The client's name as registered (its display name; the name claim is its <see cref="Users.ApiClient.Actor"/>).</summary>
    private static string ClientName(ClaimsPrincipal user) =>
        ClientId(user) >= 0 ? user.FindFirstValue(TuntasClaims.DisplayName) ?? "" : "";

    private static async Task<JsonDocument?> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult NotJson() =>
        Results.Json(DciErrorResponse.Of(DciCodes.RequestBad, "The body is not JSON."), DciJson.Json, statusCode: StatusCodes.Status400BadRequest);

    private static async Task<IResult> AcceptAsync(HttpContext context, ClaimsPrincipal user, AcceptDciMessage accept, string kind, CancellationToken cancellationToken)
    {
        using var document = await ReadAsync(context, cancellationToken);
        if (document is null)
        {
            return NotJson();
        }
        var outcome = await accept.RunAsync(new AcceptDciMessage.Input(document.RootElement, ClientId(user), ClientName(user), kind), cancellationToken);
        AuditDetail.Set(context, "DCI " + outcome.Summary);
        if (outcome.Ack is { } ack)
        {
            return Results.Json(ack, DciJson.Json, statusCode: StatusCodes.Status202Accepted);
        }
        // A callback outside the allowed list is a refusal (403, recorded in the audit trail as one).
        return Results.Json(outcome.Error, DciJson.Json,
            statusCode: outcome.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> SyncStatusAsync(HttpContext context, ClaimsPrincipal user, TransactionStatus status, CancellationToken cancellationToken)
    {
        using var document = await ReadAsync(context, cancellationToken);
        if (document is null)
        {
            return NotJson();
        }
        var outcome = await status.RunAsync(new TransactionStatus.Input(document.RootElement, ClientId(user)), cancellationToken);
        return outcome.Response is { } response
            ? Results.Json(response, DciJson.Json)
            : Results.Json(outcome.Error, DciJson.Json, statusCode: outcome.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
    }
}

/// <summary>
/// Runs <see cref="ProcessDciTransactions"/> whenever a message is queued and every few seconds (retries come due), then
/// the subscriptions' notify passes (<see cref="QueueNotifications"/>, <see cref="DeliverNotifications"/>) until nothing is
/// left to queue or send; one pass at a time, each in its own scope.
/// </summary>
public sealed class DciWorker(IServiceScopeFactory scopes, DciQueueSignal signal, ILogger<DciWorker> logger) : BackgroundService
{
    private async Task NotifyAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await using var scope = scopes.CreateAsyncScope();
            var queued = await scope.ServiceProvider.GetRequiredService<QueueNotifications>().RunAsync(stoppingToken);
            var sent = await scope.ServiceProvider.GetRequiredService<DeliverNotifications>().RunAsync(stoppingToken);
            if (queued.Subscriptions == 0 && sent.Delivered + sent.Retried + sent.Failed == 0)
            {
                return;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                ProcessDciTransactions.Outcome outcome;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    outcome = await scope.ServiceProvider.GetRequiredService<ProcessDciTransactions>().RunAsync(stoppingToken);
                }
                while (outcome.Answered + outcome.Delivered > 0 && !stoppingToken.IsCancellationRequested);
                await NotifyAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "DCI worker pass failed; trying again shortly");
            }
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

namespace Tuntas.Dci.Async;

/// <summary>
/// DCI <c>txn/status</c> (DCI Social Registry API v1.0.0, <c>TxnStatusRequest</c> → <c>TxnStatusResponse</c>): where is my
/// asynchronous search? Found by its <c>transaction_id</c> or <c>correlation_id</c>, only among the asking client's own
/// transactions. The answer gives statuses per reference (<c>pdng</c> while queued, then <c>succ</c>/<c>rjct</c> with the
/// reason code) and never records: the records went to the client's callback once, and are not kept.
/// </summary>
public sealed class TransactionStatus(TuntasDb db, TimeProvider clock, DciOptions options)
{
    public const string Action = "txn-status";
    public const string CallbackAction = "txn-on-status";

    public sealed record Input(JsonElement Request, long ClientId);

    /// <param name="NotFound">No such transaction of this client: 404 with <see cref="DciCodes.RequestNotFound"/>.</param>
    public sealed record Outcome(DciResponse<DciTxnStatusResponse>? Response, DciErrorResponse? Error, bool NotFound = false);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var root = input.Request;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("header", out var header) || header.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("txnstatus_request", out var request) || request.ValueKind != JsonValueKind.Object)
        {
            return Bad("The body must be a DCI message whose message is a TxnStatusRequest.");
        }
        var senderId = SearchCriteria.Text(header, "sender_id");
        var transactionId = SearchCriteria.Text(message, "transaction_id");
        var attribute = SearchCriteria.Text(request, "attribute_type");
        var value = SearchCriteria.Text(request, "attribute_value");
        if (string.IsNullOrWhiteSpace(senderId) || string.IsNullOrWhiteSpace(transactionId) || transactionId.Length > 99)
        {
            return Bad("header.sender_id and message.transaction_id are required.");
        }
        if (SearchCriteria.Text(header, "action") != Action)
        {
            return Bad("header.action must be \"txn-status\".");
        }
        if (SearchCriteria.Text(request, "txn_type") != DciTransactionKinds.Search || attribute is not ("transaction_id" or "correlation_id")
            || string.IsNullOrWhiteSpace(value) || value.Length > 99)
        {
            // reference_id_list would need the references kept per client beyond the transaction: not offered.
            return Bad("txnstatus_request: txn_type \"search\", attribute_type \"transaction_id\" or \"correlation_id\" and its attribute_value are required.");
        }
        var rows = db.Set<DciTransaction>().AsNoTracking().Where(t => t.ApiClientId == input.ClientId && t.Kind == DciTransactionKinds.Search);
        rows = attribute == "transaction_id" ? rows.Where(t => t.TransactionId == value) : rows.Where(t => t.CorrelationId == value);
        var found = await rows.OrderByDescending(t => t.Id)
            .Select(t => new { t.TransactionId, t.CorrelationId, t.State, t.StatusJson, t.AnsweredAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new Outcome(null, DciErrorResponse.Of(DciCodes.RequestNotFound, "No search of this client has that " + attribute + "."), true);
        }
        var now = clock.GetUtcNow();
        var statuses = found.StatusJson is null ? [] : JsonSerializer.Deserialize<List<DciSearchResult>>(found.StatusJson, DciJson.Json) ?? [];
        var answered = found.State != DciTransactionStates.Received;
        var response = new DciTxnStatusResponse(transactionId, found.CorrelationId,
            new DciTxnStatus(DciTransactionKinds.Search, new DciTxnSearchStatus(found.TransactionId, found.CorrelationId, statuses)));
        var header2 = new DciCallbackHeader(DciOptions.Version, Guid.NewGuid().ToString("N"), SyncSearch.Stamp(now), CallbackAction,
            answered ? DciStatus.Succeeded : DciStatus.Pending, null, answered ? null : "The search is queued and not answered yet.",
            1, answered ? 1 : 0, options.SenderId, senderId);
        return new Outcome(new DciResponse<DciTxnStatusResponse>(header2, response), null);
    }

    private static Outcome Bad(string message) => new(null, DciErrorResponse.Of(DciCodes.RequestBad, message));
}

/// <summary><c>TxnStatusResponse</c>.</summary>
public sealed record DciTxnStatusResponse(string TransactionId, string CorrelationId, DciTxnStatus TxnstatusResponse);

public sealed record DciTxnStatus(string TxnType, DciTxnSearchStatus TxnStatus);

/// <summary>The standard's search-status form of <c>txn_status</c>: each reference with its status, no <c>data</c>.</summary>
public sealed record DciTxnSearchStatus(string TransactionId, string CorrelationId, IReadOnlyList<DciSearchResult> SearchResponse);

namespace Tuntas.Dci.Async;

/// <summary>
/// Receives an asynchronous DCI message (<c>POST /registry/search</c>, <c>POST /registry/txn/status</c>; DCI Social Registry
/// API v1.0.0): checks what must be known before anything is queued — an envelope, <c>message_id</c>, <c>sender_id</c>,
/// <c>transaction_id</c>, and a <c>sender_uri</c> on the client's allowed list (<see cref="CallbackAllowList"/>) — stores
/// the message for the worker and answers the standard's acknowledgement (<c>ack_status: ACK</c> with a
/// <c>correlation_id</c>). Everything else (version, action, message time, criteria, scope) is judged by the same
/// <see cref="SyncSearch"/> as a synchronous search and told to the callback, as the standard asks.
/// A <c>txn/status</c> is answered here at once (statuses only, no records) and only its delivery is left to the worker.
/// </summary>
public sealed class AcceptDciMessage(TuntasDb db, TimeProvider clock, CallbackAllowList callbacks, TransactionStatus status, DciQueueSignal signal,
    Subscriptions.Subscribe subscribe, Subscriptions.Unsubscribe unsubscribe)
{
    /// <param name="Kind">What the route receives (<see cref="DciTransactionKinds"/>).</param>
    /// <param name="ClientName">The API client's name (its allowed callbacks may be listed under it).</param>
    public sealed record Input(JsonElement Request, long ClientId, string ClientName, string Kind);

    /// <param name="Ack">The <c>Response</c> acknowledgement when queued.</param>
    /// <param name="Error">Not queued: the standard's error, and whether it is a refusal (403) or a bad message (400).</param>
    public sealed record Outcome(DciAck? Ack, DciErrorResponse? Error, bool Forbidden, string Summary);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var root = input.Request;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("header", out var header) || header.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return Bad(DciCodes.RequestBad, "The body must be a DCI message: {\"signature\", \"header\", \"message\"}.");
        }
        if (header.TryGetProperty("is_msg_encrypted", out var encrypted) && encrypted.ValueKind == JsonValueKind.True)
        {
            return Bad(DciCodes.EncryptionInvalid, "Encrypted messages are not accepted; the transport is TLS.");
        }
        var messageId = SearchCriteria.Text(header, "message_id");
        var senderId = SearchCriteria.Text(header, "sender_id");
        var transactionId = SearchCriteria.Text(message, "transaction_id");
        if (string.IsNullOrWhiteSpace(messageId) || messageId.Length > 99 || string.IsNullOrWhiteSpace(senderId) || senderId.Length > 99
            || string.IsNullOrWhiteSpace(transactionId) || transactionId.Length > 99)
        {
            return Bad(DciCodes.RequestBad, "header.message_id, header.sender_id and message.transaction_id are required (at most 99 characters).");
        }
        var callback = SearchCriteria.Text(header, "sender_uri");
        // A subscription's notify endpoint lies beside its on-subscribe callback, and must be allowed as well.
        if (!callbacks.Allows(input.ClientId, input.ClientName, callback)
            || (input.Kind == DciTransactionKinds.Subscribe && !callbacks.Allows(input.ClientId, input.ClientName, Subscriptions.Subscribe.NotifyUrl(callback!))))
        {
            // Which part was wrong is not said: the list is the administrator's, not the client's to probe.
            return new Outcome(null, DciErrorResponse.Of(DciCodes.SenderUriInvalid,
                "header.sender_uri must be a callback URL registered for this client."), true, "ditolak " + DciCodes.SenderUriInvalid);
        }
        var now = clock.GetUtcNow();
        var row = new DciTransaction
        {
            ApiClientId = input.ClientId,
            Kind = input.Kind,
            TransactionId = transactionId,
            CorrelationId = Guid.NewGuid().ToString("N"),
            MessageId = messageId,
            CallbackUrl = callback!,
            State = DciTransactionStates.Received,
            NextAttemptAt = now.UtcDateTime,
            CreatedAt = now.UtcDateTime,
        };
        if (input.Kind == DciTransactionKinds.TxnStatus)
        {
            var answer = await status.RunAsync(new TransactionStatus.Input(root, input.ClientId), cancellationToken);
            if (answer.Error is { } error)
            {
                return new Outcome(null, error, false, "permintaan-buruk");
            }
            row.ResponseJson = JsonSerializer.Serialize(answer.Response, DciJson.Json);
            row.Status = answer.Response!.Header.Status;
            row.State = DciTransactionStates.Answered;
            row.AnsweredAt = now.UtcDateTime;
        }
        else if (input.Kind is DciTransactionKinds.Subscribe or DciTransactionKinds.Unsubscribe)
        {
            // Subscriptions are made (or ended) now, with the message; only the answer's delivery is left to the worker.
            var (response, summary) = input.Kind == DciTransactionKinds.Subscribe
                ? await SubscribeAsync(root, input.ClientId, callback!, row.CorrelationId, cancellationToken)
                : await UnsubscribeAsync(root, input.ClientId, row.CorrelationId, cancellationToken);
            row.ResponseJson = response.Json;
            row.Status = response.Status;
            row.Summary = summary;
            row.State = DciTransactionStates.Answered;
            row.AnsweredAt = now.UtcDateTime;
        }
        else
        {
            row.RequestJson = root.GetRawText();
        }
        db.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        signal.Poke();
        return new Outcome(new DciAck(new DciAckMessage("ACK", SyncSearch.Stamp(now), null, row.CorrelationId)), null, false,
            $"{input.Kind} diterima, korelasi {row.CorrelationId}" + (row.Summary is { } said ? ": " + said : ""));
    }

    private async Task<((string Json, string Status), string)> SubscribeAsync(JsonElement root, long clientId, string callback, string correlationId, CancellationToken cancellationToken)
    {
        var outcome = await subscribe.RunAsync(new Subscriptions.Subscribe.Input(root, clientId, callback, correlationId), cancellationToken);
        return ((JsonSerializer.Serialize(outcome.Response, DciJson.Json), outcome.Response.Header.Status), outcome.Summary);
    }

    private async Task<((string Json, string Status), string)> UnsubscribeAsync(JsonElement root, long clientId, string correlationId, CancellationToken cancellationToken)
    {
        var outcome = await unsubscribe.RunAsync(new Subscriptions.Unsubscribe.Input(root, clientId, correlationId), cancellationToken);
        return ((JsonSerializer.Serialize(outcome.Response, DciJson.Json), outcome.Response.Header.Status), outcome.Summary);
    }

    private static Outcome Bad(string code, string message) => new(null, DciErrorResponse.Of(code, message), false, "permintaan-buruk");
}

/// <summary>The standard's <c>Response</c>: <c>{"message": {"ack_status", "timestamp", "error", "correlation_id"}}</c>.</summary>
public sealed record DciAck(DciAckMessage Message);

public sealed record DciAckMessage(string AckStatus, string Timestamp, DciError? Error, string CorrelationId);

/// <summary>Wakes the worker when a message was queued (it also looks on its own every few seconds).</summary>
public sealed class DciQueueSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Poke()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already poked by someone else: one wake-up is enough.
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

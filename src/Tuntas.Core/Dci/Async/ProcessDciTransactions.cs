using System.Net.Http.Headers;
using Tuntas.Audit;

namespace Tuntas.Dci.Async;

/// <summary>
/// One pass of the DCI worker over the queued asynchronous messages (<see cref="DciTransaction"/>), oldest first:
/// <list type="number">
/// <item>a received search is answered by <see cref="SyncSearch"/> inside the client's scope as resolved now (a client
/// disabled since is refused), judged as of its arrival; the answer is stored and the request cleared;</item>
/// <item>an answer is posted to the client's callback (<c>on-search</c>, <c>txn-on-status</c>). A 2xx ends it (delivered,
/// the answer cleared, the disclosure audited once as a personal-data read of the client); anything else is tried again
/// after 5 s, 10 s, 20 s … up to an hour between tries, and given up after <see cref="MaxAttempts"/> (about a day).</item>
/// </list>
/// At least once: a callback that accepted but whose 2xx was lost gets the same message again (same <c>message_id</c>,
/// same <c>correlation_id</c>), which the standard lets the receiver recognise.
/// </summary>
public sealed class ProcessDciTransactions(TuntasDb db, TimeProvider clock, SyncSearch search, ResolveAccessScope resolve, AuditWriter audit, DciCallbackHttp callbacks, Signatures.DciSigner signer)
{
    public const int MaxAttempts = 30;
    private const int Batch = 20;

    public sealed record Outcome(int Answered, int Delivered, int Retried, int Failed);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Set<DciTransaction>()
            .Where(t => (t.State == DciTransactionStates.Received || t.State == DciTransactionStates.Answered) && t.NextAttemptAt <= now)
            .OrderBy(t => t.Id).Take(Batch).ToListAsync(cancellationToken);
        int answered = 0, delivered = 0, retried = 0, failed = 0;
        foreach (var row in due)
        {
            var client = await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == row.ApiClientId, cancellationToken);
            if (client is null || client.Disabled)
            {
                Fail(row, "klien API nonaktif / API client disabled");
                failed++;
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }
            if (row.State == DciTransactionStates.Received)
            {
                await AnswerAsync(row, client, cancellationToken);
                answered++;
                await db.SaveChangesAsync(cancellationToken);
            }
            if (await DeliverAsync(row, cancellationToken))
            {
                delivered++;
                if (row.Kind == DciTransactionKinds.Search)
                {
                    await audit.AppendAsync(new AppendAudit.Input(client.Actor(), AuditActions.ViewPersonalData, "keluarga", null,
                        $"DCI {row.Summary} — dikirim ke / sent to {new Uri(row.CallbackUrl).GetLeftPart(UriPartial.Authority)} (korelasi {row.CorrelationId})",
                        client.Role, "dci-worker"));
                }
            }
            else if (row.State == DciTransactionStates.Failed)
            {
                failed++;
            }
            else
            {
                retried++;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return new Outcome(answered, delivered, retried, failed);
    }

    private async Task AnswerAsync(DciTransaction row, Users.ApiClient client, CancellationToken cancellationToken)
    {
        var scope = await resolve.RunAsync(new ResolveAccessScope.Input(null, client.Role, client.RegionCode, client.Organization), cancellationToken);
        using var request = JsonDocument.Parse(row.RequestJson ?? "{}");
        var outcome = await search.RunAsync(new SyncSearch.Input(request.RootElement, scope, DciDisclosure.ForRole(client.Role),
            new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)), row.CorrelationId), cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        row.RequestJson = null;
        row.AnsweredAt = now;
        row.State = DciTransactionStates.Answered;
        row.Summary = outcome.Summary.Length > 900 ? outcome.Summary[..900] : outcome.Summary;
        if (outcome.Response is { } response)
        {
            row.ResponseJson = JsonSerializer.Serialize(response, DciJson.Json);
            row.Status = response.Header.Status;
            row.StatusJson = JsonSerializer.Serialize(
                response.Message?.SearchResponse.Select(r => r with { Data = null, Pagination = null }).ToList() ?? [], DciJson.Json);
        }
        else
        {
            // Not a search message at all (caught only now for a message stored as received): the callback is told so.
            row.ResponseJson = JsonSerializer.Serialize(outcome.Error, DciJson.Json);
            row.Status = DciStatus.Rejected;
            row.StatusJson = "[]";
        }
    }

    private async Task<bool> DeliverAsync(DciTransaction row, CancellationToken cancellationToken)
    {
        row.Attempts++;
        var error = await callbacks.PostAsync(row.CallbackUrl, signer.Sign(row.ResponseJson ?? "{}"), cancellationToken);
        if (error is null)
        {
            row.State = DciTransactionStates.Delivered;
            row.DeliveredAt = clock.GetUtcNow().UtcDateTime;
            row.ResponseJson = null;
            row.LastError = null;
            return true;
        }
        if (row.Attempts >= MaxAttempts)
        {
            Fail(row, error);
        }
        else
        {
            row.LastError = error;
            row.NextAttemptAt = clock.GetUtcNow().UtcDateTime + Backoff(row.Attempts);
        }
        return false;
    }

    /// <summary>5 s doubled per failed try, at most an hour apart.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, Math.Min(attempts - 1, 20))));

    private static void Fail(DciTransaction row, string? error)
    {
        row.State = DciTransactionStates.Failed;
        row.LastError = error;
        row.RequestJson = null;
        row.ResponseJson = null;
    }
}

/// <summary>
/// The HTTP client that calls DCI clients back: no redirects followed (a callback on the allowed list cannot send the
/// records elsewhere), no cookies, a short connect timeout.
/// </summary>
public sealed class DciCallbackHttp(HttpClient client)
{
    public HttpClient Client { get; } = client;

    /// <summary>Posts a JSON message; null when the receiver answered 2xx, otherwise what went wrong (HTTP status, network error, timeout after 30 s).</summary>
    public async Task<string?> PostAsync(string url, string json, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(json, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var response = await Client.PostAsync(url, content, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException exception)
        {
            return exception.HttpRequestError.ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }
    }

    public static DciCallbackHttp Create() => new(new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    { Timeout = Timeout.InfiniteTimeSpan });
}

using System.Threading.Channels;

namespace Tuntas.Audit;

/// <summary>
/// Group commit for the audit trail of a busy web app. Every request that must be audited awaits its entry here; one
/// loop takes whatever is waiting (up to <see cref="MaxBatch"/>), appends it with <see cref="AppendAudit.RunBatchAsync"/>
/// in one transaction, then releases the waiting requests. The chain and its serialization are unchanged, and a request
/// still answers only after its entry is committed (an acknowledged view is a recorded view), but a hundred simultaneous
/// views cost one lock and one commit instead of a hundred in a row: the serialized append had capped family-page
/// views on PostgreSQL at about 175 per second (docs/benchmarks.md, "Audit append").
/// </summary>
public sealed class AuditWriter : IAsyncDisposable
{
    public const int MaxBatch = 500;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly AppendAudit _append;
    private readonly Task _loop;

    public AuditWriter(TuntasDatabase database, TimeProvider clock, AuditKey key)
    {
        _append = new AppendAudit(database, clock, key);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes when the entry is committed; fails (and the request with it) when it could not be.</summary>
    public Task<AuditEntry> AppendAsync(AppendAudit.Input input)
    {
        var pending = new Pending(input, new TaskCompletionSource<AuditEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Done.SetException(new InvalidOperationException("Jejak audit sudah ditutup / the audit writer has stopped."));
        }
        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                var entries = await _append.RunBatchAsync([.. batch.Select(p => p.Input)], CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(entries[i]);
                }
            }
            catch (Exception exception)
            {
                // Nothing of the batch was committed (one transaction): every waiting request fails, none is acknowledged.
                foreach (var pending in batch)
                {
                    pending.Done.SetException(exception);
                }
            }
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private sealed record Pending(AppendAudit.Input Input, TaskCompletionSource<AuditEntry> Done);
}

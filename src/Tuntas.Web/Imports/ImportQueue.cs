using System.Threading.Channels;

namespace Tuntas.Web.Imports;

/// <summary>Import job ids waiting for the worker; the rows themselves live in <c>import_jobs</c>.</summary>
public sealed class ImportQueue
{
    private readonly Channel<long> _jobs = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(long jobId)
    {
        if (!_jobs.Writer.TryWrite(jobId))
        {
            throw new InvalidOperationException("import queue closed");
        }
    }

    public IAsyncEnumerable<long> ReadAllAsync(CancellationToken cancellationToken) => _jobs.Reader.ReadAllAsync(cancellationToken);
}

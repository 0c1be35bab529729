using System.Collections.Concurrent;
using System.Threading.Channels;
using Tuntas.Imports;

namespace Tuntas.Web.Imports;

/// <summary>Import job ids waiting for the worker; the rows themselves live in <c>import_jobs</c>. Also the progress of
/// the job the worker is running, in memory: on SQLite the import's write transaction holds the database's one write
/// lock from its first row, so the job row cannot be updated until it ends (the page would sit at "0 / ?").</summary>
public sealed class ImportQueue
{
    private readonly ConcurrentDictionary<long, ImportProgress> _running = new();

    /// <summary>The latest progress of a job this process is running, or null.</summary>
    public ImportProgress? ProgressOf(long jobId) => _running.TryGetValue(jobId, out var progress) ? progress : null;

    public void Report(long jobId, ImportProgress progress) => _running[jobId] = progress;

    public void Finished(long jobId) => _running.TryRemove(jobId, out _);

    /// <summary>The job as the pages and the API show it: its row, with this process's in-memory progress while it runs.</summary>
    public ImportJob WithProgress(ImportJob job)
    {
        if (!job.IsFinished && ProgressOf(job.Id) is { } progress)
        {
            (job.Phase, job.RowsDone, job.RowsTotal) = (progress.Phase, progress.RowsDone, progress.RowsTotal);
        }
        return job;
    }

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

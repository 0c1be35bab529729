using System.Globalization;
using Tuntas.Audit;
using Tuntas.Imports;

namespace Tuntas.Web.Imports;

/// <summary>
/// Runs queued import jobs one at a time (an import is one big transaction; two at once would only wait on each other),
/// each in its own DI scope through <see cref="ImportFamilies"/>. Progress callbacks land in memory and are written to
/// the job row at most twice a second, so the job page's progress bar moves without slowing the import. At start-up,
/// jobs left queued or running by a stopped process are marked failed: the import is one transaction, so nothing was written.
/// </summary>
public sealed class ImportWorker(IServiceScopeFactory scopes, ImportQueue queue, TuntasDatabase database, TimeProvider clock, ILogger<ImportWorker> logger,
    UploadOptions uploads)
    : BackgroundService
{
    /// <summary>How often previews and kept dry-run files past <see cref="ImportUploads.PreviewLifetime"/> are looked for
    /// while no job runs.</summary>
    private static readonly TimeSpan _sweepInterval = TimeSpan.FromMinutes(10);

    public const string InterruptedMessage = ImportJobs.AbandonedMessage;
    public const string NoScopeMessage = "impor tanpa cakupan wilayah tidak dijalankan; unggah ulang / an import without a recorded scope is not run; upload it again";
    private static readonly TimeSpan _flushInterval = TimeSpan.FromMilliseconds(500);
    private readonly DateTime _startedAt = clock.GetUtcNow().UtcDateTime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await FailInterruptedJobsAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Could not mark interrupted import jobs");
        }
        var sweeping = SweepPreviewsAsync(stoppingToken);
        try
        {
            await foreach (var jobId in queue.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await RunJobAsync(jobId, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    logger.LogError(exception, "Import job {JobId} could not be finished", jobId);
                }
            }
        }
        finally
        {
            await sweeping;
        }
    }

    /// <summary>
    /// A preview's file and a passed dry run's (<see cref="ImportUploads.KeepValidated"/>) hold residents' data: they go
    /// when their time is up even if nobody uploads again (UU PDP 27/2022: kept no longer than the purpose needs), at
    /// start, after every job and every <see cref="_sweepInterval"/>.
    /// </summary>
    private async Task SweepPreviewsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_sweepInterval, clock);
        try
        {
            do
            {
                SweepPreviews();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The host stops.
        }
    }

    private void SweepPreviews()
    {
        try
        {
            if (Directory.Exists(uploads.Folder))
            {
                ImportUploads.DeleteOldPreviews(uploads.Folder, clock.GetUtcNow().UtcDateTime, logger);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(exception, "Old import previews could not be swept");
        }
    }

    /// <summary>Only web uploads (they have a stored file) created before this process started: the CLI tracks its own.</summary>
    private async Task FailInterruptedJobsAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        var stale = await db.ImportJobs
            .Where(j => (j.Status == ImportJob.Queued || j.Status == ImportJob.Running) && j.StoredPath != null && j.CreatedAt < _startedAt)
            .ToListAsync(cancellationToken);
        foreach (var job in stale)
        {
            job.StoredPath = DeleteUpload(job.StoredPath);
            ImportJobs.Fail(job, InterruptedMessage, clock);
            logger.LogWarning("Import job {JobId} was interrupted by a restart; marked failed", job.Id);
        }
        await db.SaveChangesAsync(cancellationToken);
        // And the CLI runs on this machine whose process is gone (killed; its transaction rolled back).
        if (await ImportJobs.FailAbandonedAsync(database, clock, cancellationToken) is > 0 and var abandoned)
        {
            logger.LogWarning("{Count} CLI import job(s) whose process had stopped marked failed", abandoned);
        }
    }

    private async Task RunJobAsync(long jobId, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TuntasDb>();
        var job = await db.ImportJobs.SingleOrDefaultAsync(j => j.Id == jobId, stoppingToken);
        if (job is null || job.Status != ImportJob.Queued || job.StoredPath is null)
        {
            return;
        }
        job.Status = ImportJob.Running;
        job.Phase = "membaca";
        await db.SaveChangesAsync(stoppingToken);
        logger.LogInformation("Import job {JobId} started (dry run: {DryRun})", job.Id, job.DryRun);

        var progress = new LatestProgress(p => queue.Report(job.Id, p));
        using var flushing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var flusher = FlushProgressAsync(job.Id, progress, flushing.Token);
        ImportReport report;
        try
        {
            var importer = scope.ServiceProvider.GetRequiredService<ImportFamilies>();
            // The scope of the request that queued the job bounds the rows it may write (a village operator or a
            // village's API key: its village only). A job without one (queued before scopes were kept) writes nothing.
            report = !job.ScopeRegency && job.ScopeRegion is null
                ? new ImportReport { File = job.FileName, DryRun = job.DryRun, Failure = NoScopeMessage }
                : await importer.RunAsync(new ImportFamilies.Input(job.StoredPath, job.FileName, job.DryRun, job.CreatedBy, job.Id,
                    AllowMoves: job.AllowMoves,
                    RegionScope: job.ScopeRegency ? null : job.ScopeRegion, Profile: job.Profile, Village: job.Village), progress, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            report = new ImportReport { File = job.FileName, DryRun = job.DryRun, Failure = InterruptedMessage };
        }
        catch (Exception exception)
        {
            // The exception is logged for the operator; the report only says that it failed (no file content in it).
            logger.LogError(exception, "Import job {JobId} failed", job.Id);
            report = new ImportReport { File = job.FileName, DryRun = job.DryRun, Failure = "impor gagal karena kesalahan sistem; lihat log server / import failed with a system error; see the server log" };
        }
        finally
        {
            await flushing.CancelAsync();
            await flusher;
        }

        report.JobId = job.Id;
        if (!job.DryRun)
        {
            // What the job wrote, in the audit trail under the user who queued it, as the CLI records its imports (the
            // request that queued it only says a file was sent). Before the job reads as finished, so that whoever sees
            // it finished finds its entry; a writer already stopped (the host shutting down) must not lose the outcome.
            try
            {
                await scope.ServiceProvider.GetRequiredService<AuditWriter>().AppendAsync(new AppendAudit.Input(job.CreatedBy, AuditActions.Import, "impor",
                    job.Id.ToString(CultureInfo.InvariantCulture),
                    string.Create(CultureInfo.InvariantCulture,
                        $"keluarga {job.FileName}: {(report.Committed ? "disimpan" : "tidak disimpan")}; keluarga +{report.Families.Added} ~{report.Families.Updated}, orang +{report.Persons.Added} ~{report.Persons.Updated}"),
                    Origin: "server"));
            }
            catch (InvalidOperationException e)
            {
                logger.LogError(e, "Import job {JobId}: its audit entry could not be written", job.Id);
            }
        }
        queue.Finished(job.Id);
        var latest = progress.Latest;
        job.Status = ImportJob.StatusAfter(report);
        job.Phase = null;
        job.Sha256 = report.Sha256 ?? job.Sha256;
        job.RowsDone = latest?.RowsDone ?? job.RowsDone;
        job.RowsTotal = latest?.RowsTotal ?? latest?.RowsDone ?? job.RowsTotal;
        job.ErrorCount = Math.Max(report.ErrorCount, report.Errors.Count);
        job.WarningCount = Math.Max(report.WarningCount, report.Warnings.Count);
        job.ReportJson = report.ToJson();
        // Where an OpenSID or DTKS file went (typed, its name's, the operator's own), dotted, for the jobs' table and for
        // who may see the job (ImportDownloads.VisibleTo); none for a file of the import format, whose rows name their
        // villages: a village typed with a regency's file would have shown the whole regency's report to that
        // kecamatan's coordinator.
        job.Village = report.Village;
        job.FinishedAt = clock.GetUtcNow().UtcDateTime;
        job.StoredPath = job.Status == ImportJob.Validated ? KeepValidated(job.StoredPath, job.CreatedBy, job.FinishedAt.Value) : DeleteUpload(job.StoredPath);
        // Before the job reads as finished, so that whoever sees it finished finds the old previews gone.
        SweepPreviews();
        // Not the stopping token: the outcome must be recorded even while the host shuts down.
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Import job {JobId} finished: {Status}, {Errors} errors, {Warnings} warnings", job.Id, job.Status, job.ErrorCount, job.WarningCount);
    }

    private async Task FlushProgressAsync(long jobId, LatestProgress progress, CancellationToken cancellationToken)
    {
        var written = 0L;
        try
        {
            // SQLite: the import's transaction holds the one write lock from its first row, so the row cannot be
            // updated while it runs; the pages read the in-memory progress (ImportQueue) instead.
            if (database.IsSqlite)
            {
                return;
            }
            using var timer = new PeriodicTimer(_flushInterval, clock);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (progress.Version == written || progress.Latest is not { } current)
                {
                    continue;
                }
                written = progress.Version;
                try
                {
                    await using var db = database.CreateDb();
                    await db.ImportJobs
                        .Where(j => j.Id == jobId && j.Status == ImportJob.Running)
                        .ExecuteUpdateAsync(s => s
                            .SetProperty(j => j.Phase, current.Phase)
                            .SetProperty(j => j.RowsDone, current.RowsDone)
                            .SetProperty(j => j.RowsTotal, current.RowsTotal), cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A progress write that fails must not fail the import, nor stop the next ones.
                    logger.LogWarning(exception, "Progress of import job {JobId} not written", jobId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended; the final write follows.
        }
    }

    /// <summary>A dry run that passed keeps its file for the uploader's "import this file" (<see cref="ImportUploads.KeepValidated"/>).</summary>
    private string? KeepValidated(string path, string uploader, DateTime utcNow)
    {
        try
        {
            return ImportUploads.KeepValidated(path, uploader, utcNow);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(exception, "The file of a dry run could not be kept");
            return DeleteUpload(path);
        }
    }

    /// <summary>Deletes a job's stored file; returns null, the job's stored path from then on.</summary>
    private string? DeleteUpload(string? path)
    {
        if (path is null)
        {
            return null;
        }
        try
        {
            File.Delete(path);
        }
        catch (IOException exception)
        {
            logger.LogWarning(exception, "Upload of an import job could not be deleted");
        }
        catch (UnauthorizedAccessException exception)
        {
            logger.LogWarning(exception, "Upload of an import job could not be deleted");
        }
        return null;
    }

    /// <summary>Keeps only the newest report; <see cref="Progress{T}"/> would post callbacks to the thread pool out of order.</summary>
    private sealed class LatestProgress(Action<ImportProgress> published) : IProgress<ImportProgress>
    {
        private readonly Lock _lock = new();
        private ImportProgress? _latest;
        private long _version;

        public ImportProgress? Latest
        {
            get
            {
                lock (_lock)
                {
                    return _latest;
                }
            }
        }

        public long Version
        {
            get
            {
                lock (_lock)
                {
                    return _version;
                }
            }
        }

        public void Report(ImportProgress value)
        {
            lock (_lock)
            {
                _latest = value;
                _version++;
            }
            published(value);
        }
    }
}

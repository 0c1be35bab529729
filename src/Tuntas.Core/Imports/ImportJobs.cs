using System.Data.Common;
using System.Diagnostics;

namespace Tuntas.Imports;

/// <summary>
/// Records an import run (CLI or back office) so every import is listed with its report in the back office. A CLI run
/// records its process (<see cref="ThisProcess"/>); when that process dies — killed, power cut — its transaction rolls
/// back and <see cref="FailAbandonedAsync"/> later marks the job failed, so no job says "berjalan" forever.
/// </summary>
public static class ImportJobs
{
    public const string AbandonedMessage = "proses terhenti; tidak ada data yang ditulis";
    public const string AbandonedMessageEn = "process stopped; no data was written";
    public const string CancelledMessage = "dibatalkan; tidak ada data yang ditulis";
    public const string CancelledMessageEn = "cancelled; no data was written";

    /// <summary>This process as a job runner: machine, process id and the process's start time (a reused pid is another process).</summary>
    public static string ThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return Runner(Environment.MachineName, process.Id, process.StartTime.ToUniversalTime());
    }

    public static string Runner(string machine, int processId, DateTime startedUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"cli:{machine}:{processId}:{startedUtc.Ticks}");

    /// <summary>Whether a runner of this machine is still the same live process; runners of other machines are not judged.</summary>
    public static bool IsGone(string runner)
    {
        var parts = runner.Split(':');
        if (parts.Length != 4 || parts[0] != "cli" || parts[1] != Environment.MachineName
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || Math.Abs(process.StartTime.ToUniversalTime().Ticks - ticks) > TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return true; // no process with that id
        }
        catch (InvalidOperationException)
        {
            return true; // it exited while we looked
        }
    }

    /// <summary>Marks failed every running CLI job of this machine whose process is gone; returns how many.</summary>
    /// <remarks>
    /// These four steps are plain statements, not EF: they run on every CLI import, and building EF's model of the whole
    /// schema costs a cold process about a second (docs/cli-startup.md).
    /// </remarks>
    public static async Task<int> FailAbandonedAsync(TuntasDatabase database, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var running = new List<(long Id, string Runner, string FileName, bool DryRun)>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id, runner, file_name, dry_run FROM import_jobs WHERE status IN (@running, @queued) AND runner IS NOT NULL";
            select.AddParameter("@running", ImportJob.Running);
            select.AddParameter("@queued", ImportJob.Queued);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                running.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
            }
        }
        var gone = 0;
        foreach (var job in running.Where(j => IsGone(j.Runner)))
        {
            gone += await MarkFailedAsync(connection, job.Id, job.FileName, job.DryRun, AbandonedMessage, clock, cancellationToken);
        }
        return gone;
    }

    /// <summary>Marks one job failed with a message (a cancelled CLI run; a web upload interrupted by a restart).</summary>
    public static void Fail(ImportJob job, string message, TimeProvider clock)
    {
        job.Status = ImportJob.Failed;
        job.FinishedAt = clock.GetUtcNow().UtcDateTime;
        job.ReportJson = new ImportReport { File = job.FileName, DryRun = job.DryRun, JobId = job.Id, Failure = message }.ToJson();
    }

    public static async Task FailAsync(TuntasDatabase database, long jobId, string message, TimeProvider clock)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        string fileName;
        bool dryRun;
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT file_name, dry_run FROM import_jobs WHERE id = @id";
            select.AddParameter("@id", jobId);
            await using var reader = await select.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"import job {jobId} not found"));
            }
            fileName = reader.GetString(0);
            dryRun = reader.GetBoolean(1);
        }
        await MarkFailedAsync(connection, jobId, fileName, dryRun, message, clock, CancellationToken.None);
    }

    /// <summary>The same change as <see cref="Fail"/>, as one statement; only a job still running or queued is changed.</summary>
    private static async Task<int> MarkFailedAsync(DbConnection connection, long jobId, string fileName, bool dryRun, string message, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE import_jobs SET status = @failed, finished_at = @at, report_json = @report WHERE id = @id AND status IN (@running, @queued)";
        update.AddParameter("@failed", ImportJob.Failed);
        update.AddParameter("@at", clock.GetUtcNow().UtcDateTime);
        update.AddParameter("@report", new ImportReport { File = fileName, DryRun = dryRun, JobId = jobId, Failure = message }.ToJson());
        update.AddParameter("@id", jobId);
        update.AddParameter("@running", ImportJob.Running);
        update.AddParameter("@queued", ImportJob.Queued);
        return await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<long> StartAsync(TuntasDatabase database, ImportFamilies.Input input, TimeProvider clock, CancellationToken cancellationToken,
        string? runner = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO import_jobs (file_name, dry_run, allow_moves, status, rows_done, error_count, warning_count, runner, created_by, scope_regency, created_at)
            VALUES (@file, @dry, @moves, @status, 0, 0, 0, @runner, @by, @regency, @at) RETURNING id
            """;
        insert.AddParameter("@file", input.SourceName);
        insert.AddParameter("@dry", input.DryRun);
        insert.AddParameter("@moves", input.AllowMoves);
        insert.AddParameter("@status", ImportJob.Running);
        insert.AddParameter("@runner", runner);
        insert.AddParameter("@by", input.ChangedBy);
        insert.AddParameter("@regency", false);
        insert.AddParameter("@at", clock.GetUtcNow().UtcDateTime);
        return Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public static async Task FinishAsync(TuntasDatabase database, long jobId, ImportReport report, TimeProvider clock, CancellationToken cancellationToken)
    {
        var rows = report.Persons.Rows;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE import_jobs SET status = @status, sha_256 = @sha, error_count = @errors, warning_count = @warnings, rows_done = @rows,
                rows_total = @rows, report_json = @report, finished_at = @at, village = COALESCE(village, @village)
            WHERE id = @id
            """;
        // The village an OpenSID or DTKS file went to when none was typed (its name's, the operator's own): the jobs'
        // table shows it, so that a folder of villages' files is checked at a glance, not job by job.
        update.AddParameter("@village", report.Village);
        update.AddParameter("@status", ImportJob.StatusAfter(report));
        update.AddParameter("@sha", report.Sha256);
        update.AddParameter("@errors", report.ErrorCount);
        update.AddParameter("@warnings", report.WarningCount);
        update.AddParameter("@rows", (long)rows);
        update.AddParameter("@report", report.ToJson());
        update.AddParameter("@at", clock.GetUtcNow().UtcDateTime);
        update.AddParameter("@id", jobId);
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"import job {jobId} not found"));
        }
    }
}

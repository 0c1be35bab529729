using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Data;

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
    public static async Task<int> FailAbandonedAsync(TuntasDatabase database, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        var running = await db.ImportJobs.Where(j => (j.Status == ImportJob.Running || j.Status == ImportJob.Queued) && j.Runner != null)
            .ToListAsync(cancellationToken);
        var gone = running.Where(j => IsGone(j.Runner!)).ToList();
        foreach (var job in gone)
        {
            Fail(job, AbandonedMessage, clock);
        }
        await db.SaveChangesAsync(cancellationToken);
        return gone.Count;
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
        await using var db = database.CreateDb();
        var job = await db.ImportJobs.SingleAsync(j => j.Id == jobId);
        Fail(job, message, clock);
        await db.SaveChangesAsync();
    }

    public static async Task<long> StartAsync(TuntasDatabase database, ImportFamilies.Input input, TimeProvider clock, CancellationToken cancellationToken,
        string? runner = null)
    {
        await using var db = database.CreateDb();
        var job = new ImportJob
        {
            FileName = input.SourceName,
            DryRun = input.DryRun,
            Status = ImportJob.Running,
            Runner = runner,
            CreatedBy = input.ChangedBy,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        return job.Id;
    }

    public static async Task FinishAsync(TuntasDatabase database, long jobId, ImportReport report, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        var job = await db.ImportJobs.SingleAsync(j => j.Id == jobId, cancellationToken);
        job.Status = ImportJob.StatusAfter(report);
        job.Sha256 = report.Sha256;
        job.ErrorCount = report.ErrorCount;
        job.WarningCount = report.WarningCount;
        job.RowsDone = report.Persons.Added + report.Persons.Updated + report.Persons.Unchanged;
        job.RowsTotal = job.RowsDone;
        job.ReportJson = report.ToJson();
        job.FinishedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Data;

namespace Tuntas.Imports;

/// <summary>Records an import run (CLI or back office) so every import is listed with its report in the back office.</summary>
public static class ImportJobs
{
    public static async Task<long> StartAsync(TuntasDatabase database, ImportFamilies.Input input, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        var job = new ImportJob
        {
            Kind = "families",
            FileName = input.SourceName,
            DryRun = input.DryRun,
            Status = ImportJob.Running,
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
        job.Status = report.Failure is not null ? ImportJob.Failed
            : report.ErrorCount > 0 ? ImportJob.Rejected
            : report.Committed ? ImportJob.Committed
            : ImportJob.Validated;
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

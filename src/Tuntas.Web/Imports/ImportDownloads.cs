using System.Text;
using Tuntas.Imports;
using Tuntas.Registry;

namespace Tuntas.Web.Imports;

/// <summary>
/// The report downloads of a job page: <c>/Impor/{id}/laporan.json</c> (the machine-readable report of the import
/// format spec) and <c>/Impor/{id}/galat.csv</c> (errors then warnings: row,column,value,code,message,message_en).
/// </summary>
public static class ImportDownloads
{
    public static void MapImportDownloads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/Impor/{id:long}").RequireAuthorization(RegistryPermissions.Write.Name).ExcludeFromDescription();
        group.MapGet("/laporan.json", ReportJsonAsync);
        group.MapGet("/galat.csv", ErrorsCsvAsync);
        group.MapGet("/status", StatusAsync);
    }

    /// <summary>What the job page polls while the job runs: status, phase and row counts only (no personal data).</summary>
    public sealed record JobStatus(string Status, string? Phase, long RowsDone, long? RowsTotal, int Percent, bool Finished);

    public static JobStatus StatusOf(ImportJob job) =>
        new(job.Status, job.Phase, job.RowsDone, job.RowsTotal, job.RowsTotal is > 0 ? (int)Math.Clamp(job.RowsDone * 100 / job.RowsTotal.Value, 0, 100) : 0,
            job.IsFinished);

    private static async Task<IResult> StatusAsync(long id, TuntasDb db, ImportQueue queue, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var job = await FindVisibleJobAsync(db, id, user, cancellationToken);
        return job is null ? Results.NotFound() : Results.Json(StatusOf(queue.WithProgress(job)));
    }

    /// <summary>A job visible to this user (<see cref="VisibleTo"/>); null otherwise.</summary>
    public static Task<ImportJob?> FindVisibleJobAsync(TuntasDb db, long id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        VisibleTo(db.ImportJobs.AsNoTracking(), user).SingleOrDefaultAsync(j => j.Id == id, cancellationToken);

    /// <summary>
    /// The jobs this user may see: their own; every job for an administrator or coordinator of the regency; for one
    /// limited to a region (a kecamatan's coordinator), the jobs queued within that region or of a village in it. A job's
    /// report carries residents' names, birth dates and masked NIKs: before, a kecamatan's coordinator read every
    /// village's reports of the regency.
    /// </summary>
    public static IQueryable<ImportJob> VisibleTo(IQueryable<ImportJob> jobs, ClaimsPrincipal user)
    {
        var name = user.UserName();
        if (!user.Has(RegistryPermissions.SeeAllImports))
        {
            return jobs.Where(j => j.CreatedBy == name);
        }
        var scope = user.AccessScope();
        if (scope.IsRegencyWide)
        {
            return jobs;
        }
        if (scope.Regions is not [var region] || scope.Families.Count > 0)
        {
            return jobs.Where(j => j.CreatedBy == name);
        }
        var within = region + ".";
        return jobs.Where(j => j.CreatedBy == name || (!j.ScopeRegency && j.ScopeRegion != null && (j.ScopeRegion == region || j.ScopeRegion.StartsWith(within)))
            || (j.Village != null && (j.Village == region || j.Village.StartsWith(within))));
    }

    private static async Task<IResult> ReportJsonAsync(long id, TuntasDb db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var job = await FindVisibleJobAsync(db, id, user, cancellationToken);
        if (job?.ReportJson is null)
        {
            return Results.NotFound();
        }
        return Results.File(Encoding.UTF8.GetBytes(job.ReportJson), "application/json",
            string.Create(CultureInfo.InvariantCulture, $"laporan-impor-{job.Id}.json"));
    }

    private static async Task<IResult> ErrorsCsvAsync(long id, TuntasDb db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var job = await FindVisibleJobAsync(db, id, user, cancellationToken);
        if (job?.ReportJson is null || ImportReport.FromJson(job.ReportJson) is not { } report)
        {
            return Results.NotFound();
        }
        return Results.File(ErrorsCsv(report), "text/csv; charset=utf-8",
            string.Create(CultureInfo.InvariantCulture, $"galat-impor-{job.Id}.csv"));
    }

    /// <summary>UTF-8 with BOM so that Excel opens the Indonesian messages correctly.</summary>
    public static byte[] ErrorsCsv(ImportReport report)
    {
        var csv = new StringBuilder();
        csv.Append("row,column,value,code,message,message_en\r\n");
        foreach (var issue in report.Errors.Concat(report.Warnings))
        {
            csv.Append(issue.Row.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Csv.Quote(ExcelSafe(issue.Column))).Append(',')
                .Append(Csv.Quote(ExcelSafe(issue.Value))).Append(',')
                .Append(Csv.Quote(ExcelSafe(issue.Code))).Append(',')
                .Append(Csv.Quote(ExcelSafe(issue.Message))).Append(',')
                .Append(Csv.Quote(ExcelSafe(issue.MessageEn))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <summary>Cells from an uploaded file are echoed back, its header cells (a column's name) as much as its values:
    /// neutralise formulas in every field (OWASP CSV injection).</summary>
    private static string? ExcelSafe(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}

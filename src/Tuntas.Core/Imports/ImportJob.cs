using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Imports;

/// <summary>
/// An import run (from the back office, the API or the CLI): its file, state, progress and final report. The back
/// office polls it for the progress bar; the report JSON is what <c>tuntas import families --json</c> prints.
/// </summary>
public sealed class ImportJob
{
    public long Id { get; set; }
    public required string FileName { get; set; }
    public string? Sha256 { get; set; }
    public bool DryRun { get; set; }
    public required string Status { get; set; }
    /// <summary>Current phase for the progress bar: membaca (reading), validasi, menulis (writing).</summary>
    public string? Phase { get; set; }
    public long RowsDone { get; set; }
    public long? RowsTotal { get; set; }
    public int ErrorCount { get; set; }
    public int WarningCount { get; set; }
    public string? ReportJson { get; set; }
    /// <summary>Where the uploaded file waits for the background worker (deleted when the job ends).</summary>
    public string? StoredPath { get; set; }
    /// <summary>The CLI process running the job (<see cref="ImportJobs.ThisProcess"/>); null for web uploads, which the web worker tracks.</summary>
    public string? Runner { get; set; }
    /// <summary>The file's layout chosen on upload (docs/import-profiles.md); null = detected from the header.</summary>
    public string? Profile { get; set; }
    /// <summary>The village of an OpenSID file (which carries none), as given on upload.</summary>
    public string? Village { get; set; }
    /// <summary>Every NIK the file lists under another NO_KK is a move between families, as if <c>PINDAH = 1</c> were on
    /// each row (the upload's "pindah KK" choice, the CLI's <c>--allow-moves</c>): OpenSID's files carry no such column.</summary>
    public bool AllowMoves { get; set; }

    public required string CreatedBy { get; set; }
    /// <summary>The queuing request's scope covered the whole regency (from its <c>AccessScope</c>, never looked up again).</summary>
    public bool ScopeRegency { get; set; }
    /// <summary>Otherwise the one region it was limited to (a village operator's village); neither = nothing may be written.</summary>
    public string? ScopeRegion { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    public const string Queued = "antre";
    public const string Running = "berjalan";
    public const string Committed = "selesai";
    public const string Rejected = "ditolak";
    public const string Failed = "gagal";
    public const string Validated = "tervalidasi";

    /// <summary>
    /// How a finished run ends, decided here only (the web worker and the CLI both ask): a failure of the program, else
    /// rejected when any row was refused (nothing was written: validation is complete before writing), else committed
    /// when the registry changed, else validated (a dry run, or a run stopped before its commit).
    /// </summary>
    public static string StatusAfter(ImportReport report) =>
        report.Failure is not null ? Failed
        : report.ErrorCount > 0 || report.Errors.Count > 0 ? Rejected
        : report.Committed ? Committed
        : Validated;

    public bool IsFinished => Status is Committed or Rejected or Failed or Validated;
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> builder) => builder.ToTable("import_jobs");
}

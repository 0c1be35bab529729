using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tuntas.Imports;

/// <summary>
/// The machine-readable import report of the import format spec (docs/import-format.md): printed by
/// <c>tuntas import families --json</c>, returned by the API and offered for download in the back office.
/// </summary>
public sealed class ImportReport
{
    public required string File { get; init; }
    public string? Sha256 { get; set; }
    public bool DryRun { get; init; }
    public bool Committed { get; set; }
    public long? JobId { get; set; }
    public ImportCounts Families { get; init; } = new();
    public ImportCounts Persons { get; init; } = new();
    public List<ImportIssue> Errors { get; init; } = [];
    public List<ImportIssue> Warnings { get; init; } = [];
    /// <summary>Set when the file could not be processed at all (unreadable, database down): exit code 1.</summary>
    public string? Failure { get; set; }
    /// <summary>True when more errors existed than are listed (the list is capped, the count is not).</summary>
    public int ErrorCount { get; set; }
    public int WarningCount { get; set; }

    /// <summary>Exit code of the spec: 0 committed or clean dry run, 2 file has errors (nothing written), 1 anything else.</summary>
    [JsonIgnore]
    public int ExitCode => Failure is not null ? 1 : ErrorCount > 0 ? 2 : 0;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ImportReport? FromJson(string json) => JsonSerializer.Deserialize<ImportReport>(json, JsonOptions);
}

public sealed class ImportCounts
{
    public long Added { get; set; }
    public long Updated { get; set; }
    public long Unchanged { get; set; }
}

/// <summary>
/// One finding: the row as the user sees it in the file (header = row 1), the column, the offending value, a stable
/// code (e.g. <c>NIK_FORMAT</c>) and the message in Indonesian (<see cref="Message"/>) and English.
/// </summary>
public sealed record ImportIssue(long Row, string? Column, string? Value, string Code, string Message, string MessageEn);

/// <summary>Progress for the terminal bar and the back-office job page.</summary>
public readonly record struct ImportProgress(string Phase, long RowsDone, long? RowsTotal);

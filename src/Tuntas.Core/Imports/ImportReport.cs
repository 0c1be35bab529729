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
    /// <summary>The file's layout as read (docs/import-profiles.md): <c>tuntas</c>, <c>opensid-penduduk</c>.</summary>
    public string? Profile { get; set; }
    /// <summary>The workbook sheet read (an XLSX with several sheets: OpenSID's "Data Penduduk" first).</summary>
    public string? Sheet { get; set; }
    /// <summary>The village of a file that carries none (OpenSID's, the DTKS's), as given or read from the file's name.</summary>
    public string? Village { get; set; }
    public bool DryRun { get; init; }
    /// <summary>Only the registry keys the file names were read (a small file: <see cref="RegistryKeys.ReadForFileAsync"/>);
    /// not part of the report's JSON.</summary>
    internal bool KeysOfFileOnly { get; set; }
    public bool Committed { get; set; }
    public long? JobId { get; set; }
    public ImportCounts Families { get; init; } = new();
    public ImportCounts Persons { get; init; } = new();

    /// <summary>No family and no person was counted: a file refused at its header (or before its first row) has no
    /// counts to show, not a table of zeros.</summary>
    [JsonIgnore]
    public bool CountedNothing => Families.Rows + Persons.Rows == 0;
    public List<ImportIssue> Errors { get; init; } = [];
    public List<ImportIssue> Warnings { get; init; } = [];
    /// <summary>Set when the file could not be processed at all (unreadable, database down): exit code 1.</summary>
    public string? Failure { get; set; }
    /// <summary>True when more errors existed than are listed (the list is capped, the count is not).</summary>
    public int ErrorCount { get; set; }
    public int WarningCount { get; set; }
    /// <summary>Every error by code, complete even where the list stops at <see cref="MaxListedPerCode"/>.</summary>
    public SortedDictionary<string, int> ErrorCodes { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, int> WarningCodes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>At most this many errors and warnings are listed in all; the counts are always complete.</summary>
    public const int MaxListed = 1000;

    /// <summary>
    /// At most this many findings of one code are listed: a file with the same mistake on every row (a shifted column,
    /// a 50 MB line) gives a report of kilobytes that says "and N more", not one the size of the file, stored in the
    /// database and rendered as a page (OWASP ASVS 12.1; measured before: 157 MB stored, 105 MB page).
    /// </summary>
    public const int MaxListedPerCode = 100;

    /// <summary>Longest value or column kept in a listed finding (messages: three times this).</summary>
    public const int MaxTextLength = 200;

    /// <summary>Counts an error (<paramref name="error"/>) or warning and lists it within the caps.</summary>
    public void Record(ImportIssue issue, bool error)
    {
        var (list, codes) = error ? (Errors, ErrorCodes) : (Warnings, WarningCodes);
        if (error)
        {
            ErrorCount++;
        }
        else
        {
            WarningCount++;
        }
        var ofCode = codes.GetValueOrDefault(issue.Code) + 1;
        codes[issue.Code] = ofCode;
        if (list.Count < MaxListed && ofCode <= MaxListedPerCode)
        {
            list.Add(issue with
            {
                Column = Shorten(issue.Column, MaxTextLength),
                Value = Shorten(issue.Value, MaxTextLength),
                Message = Shorten(issue.Message, MaxTextLength * 3)!,
                MessageEn = Shorten(issue.MessageEn, MaxTextLength * 3)!,
            });
        }
    }

    private static string? Shorten(string? text, int max) => text is not null && text.Length > max ? text[..max] + "…" : text;

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

    /// <summary>Every row counted, whatever became of it.</summary>
    [JsonIgnore]
    public long Rows => Added + Updated + Unchanged;
}

/// <summary>
/// One finding: the row as the user sees it in the file (header = row 1), the column, the offending value, a stable
/// code (e.g. <c>NIK_FORMAT</c>) and the message in Indonesian (<see cref="Message"/>) and English.
/// </summary>
public sealed record ImportIssue(long Row, string? Column, string? Value, string Code, string Message, string MessageEn);

/// <summary>Progress for the terminal bar and the back-office job page.</summary>
public readonly record struct ImportProgress(string Phase, long RowsDone, long? RowsTotal);

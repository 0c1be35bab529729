using System.Text.Json.Serialization;

namespace Tuntas.Programs;

/// <summary>
/// The match report of a beneficiary list (BNBA) against the registry, before anything is committed:
/// counts under <c>matched</c>, <c>nameMismatch</c>, <c>notFound</c> ("penerima di luar data terpadu"), <c>outsideScope</c>, <c>notLiving</c>,
/// <c>duplicates</c>, plus <c>alreadyEnrolled</c> and <c>errors</c>, and one line per row that is not a plain match.
/// NIK and NO_KK are masked: the report is shown and downloaded, the operator has the file.
/// </summary>
public sealed class RecipientMatchReport
{
    public required string Program { get; init; }
    public required string File { get; init; }
    public bool DryRun { get; init; }
    public bool Committed { get; set; }
    public int RowCount { get; set; }
    public int Matched { get; set; }
    public int NameMismatch { get; set; }
    public int NotFound { get; set; }
    /// <summary>Lines whose NIK and NO_KK name different registered families, or whose NIK is unknown beside a registered
    /// NO_KK: enrolled, listed for checking (a line may also count as a name mismatch).</summary>
    public int KeyMismatch { get; set; }
    /// <summary>Lines of recipients who had left the program (an exited enrollment, none open): enrolled again, listed.</summary>
    public int ReEnrolled { get; set; }
    /// <summary>Listed recipients registered outside the importer's area (a region-limited coordinator): not enrolled, and
    /// listed without the registry's name or village.</summary>
    public int OutsideScope { get; set; }
    /// <summary>Listed recipients the registry has as died, moved or missing: not enrolled.</summary>
    public int NotLiving { get; set; }
    public int Duplicates { get; set; }
    public int AlreadyEnrolled { get; set; }
    public int Errors { get; set; }
    public int Enrolled { get; set; }
    /// <summary>Open enrollments whose card number or DTKS ids the list changed.</summary>
    public int EnrollmentsUpdated { get; set; }
    public int DisbursementsAdded { get; set; }
    /// <summary>Payments recorded earlier without a phase that this list gave their phase (TAHAP): the same payments, not new ones.</summary>
    public int DisbursementsPhased { get; set; }
    /// <summary>Lines paying a month and phase already recorded at another amount: listed (<c>paymentDiffers</c>), the
    /// recorded payment kept. Not a row category: such a line is also counted as matched, a name mismatch…</summary>
    public int PaymentsDiffering { get; set; }
    /// <summary>The month the importer gave for rows that pay without a PERIODE of their own (a SIKS-NG phase list).</summary>
    public string? Period { get; set; }
    /// <summary>Rows that took <see cref="Period"/>.</summary>
    public int PeriodGiven { get; set; }
    public List<RecipientRow> Rows { get; init; } = [];
    /// <summary>Errors by column (or by file-level code such as FILE_UTF16), complete where <see cref="Rows"/> stops listing.</summary>
    public SortedDictionary<string, int> ErrorCounts { get; init; } = new(StringComparer.Ordinal);
    public string? Failure { get; set; }

    [JsonIgnore]
    public int ExitCode => Failure is not null ? 1 : Errors > 0 ? 2 : 0;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>
/// One row of the list and what became of it. <see cref="Status"/>: matched, nameMismatch, keyMismatch, reEnrolled, notFound, outsideScope, notLiving,
/// duplicate, alreadyEnrolled, paymentDiffers (listed besides the row's own status) or error; <see cref="Similarity"/> is the name similarity (Jaro-Winkler on the spelling key, 0–1).
/// </summary>
public sealed record RecipientRow(long Row, string Status, string? Nik, string? NoKk, string Nama, string? RegistryName, double? Similarity,
    string? KodeDesa, string? Column, string? Message, string? MessageEn, string? Code = null);

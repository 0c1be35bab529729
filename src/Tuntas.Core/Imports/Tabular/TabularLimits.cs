namespace Tuntas.Imports.Tabular;

/// <summary>
/// Bounds on what one upload may make the server hold, enforced while the file streams (OWASP ASVS 12.1.2–12.1.3,
/// 5.2.3): a 50 MB single-line CSV or a 1 MB XLSX hiding a 1 GB cell is refused after reading at most
/// <see cref="MaxLineBytes"/> or a bounded part of the archive, instead of being turned into gigabytes of strings.
/// The defaults sit far above any real registry or recipient file: the longest text field of the import format is
/// ALAMAT (300 characters, docs/import-format.md) and a full family row is about 2 KB.
/// </summary>
public sealed record TabularLimits
{
    public static readonly TabularLimits Default = new();

    /// <summary>One cell: CSV bytes after unquoting, XLSX characters.</summary>
    public int MaxCellBytes { get; init; } = 4 * 1024;

    /// <summary>One CSV record (a line, or several lines when a quoted field spans them).</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    /// <summary>Columns of the header or of a row.</summary>
    public int MaxColumns { get; init; } = 1024;

    /// <summary>Sum of the XLSX archive's parts once unpacked (a 1M-row registry sheet unpacks to about 0.6 GB).</summary>
    public long MaxXlsxUnpackedBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// The shared-strings part, which ExcelDataReader loads whole into memory before the first row (the sheet itself is
    /// streamed). 64 MB of text is several hundred thousand distinct names and addresses.
    /// </summary>
    public long MaxXlsxSharedStringsBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Unpacked size over packed size of one part larger than <see cref="RatioCheckFromBytes"/>: spreadsheet XML packs
    /// about 5–30 to 1; a zip bomb packs 1,000 to 1 (OWASP file upload cheat sheet: check the compression ratio).
    /// </summary>
    public int MaxXlsxCompressionRatio { get; init; } = 200;

    public long RatioCheckFromBytes { get; init; } = 1024 * 1024;

    public int MaxXlsxEntries { get; init; } = 10_000;

    /// <summary>
    /// Rows times columns of the sheet read, as its XML declares them: every row is read cell by cell up to the sheet's
    /// width, so a 2 KB workbook with a 1,024-wide header and one cell in row 1,048,576 was a billion cells to read (27 s
    /// of a core for a dry run). A registry of a million persons in the import format is about 45 million; empty rows a
    /// spreadsheet kept formatted count too, so the bound leaves room for 256 columns down to Excel's last row.
    /// </summary>
    public long MaxXlsxCells { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// The longest text or tag of an XML part: what lies between one tag and the next (comments and CDATA sections do not
    /// end it: the reader joins the text around them).
    /// The XML reader turns each into one string, before any cell cap applies; the ratio check alone let a 300 MB cell
    /// packed at 90 : 1 through (a 3 MB upload). A cell is at most <see cref="MaxCellBytes"/>, so 1 MB leaves room.
    /// </summary>
    public int MaxXlsxXmlTokenBytes { get; init; } = 1024 * 1024;
}

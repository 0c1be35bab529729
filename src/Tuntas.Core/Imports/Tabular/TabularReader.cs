namespace Tuntas.Imports.Tabular;

/// <summary>
/// A streamed table from a CSV or XLSX file: the header, then one row at a time, never the whole file in memory.
/// <see cref="RowNumber"/> is the row as the user sees it in a spreadsheet (header = row 1).
/// </summary>
public abstract class TabularReader : IDisposable
{
    public IReadOnlyList<string> Header { get; protected set; } = [];
    /// <summary>Row number of the current row (1 = header).</summary>
    public long RowNumber { get; protected set; }
    public int FieldCount { get; protected set; }
    /// <summary>Approximate progress through the file, 0..1, for progress bars.</summary>
    public abstract double Position { get; }

    public abstract string this[int index] { get; }

    /// <summary>The cell is exactly <paramref name="text"/> (ordinal). A reader that holds its cells as bytes compares
    /// them without making a string (<see cref="CsvTabularReader"/>).</summary>
    public virtual bool CellEquals(int index, string text) => string.Equals(this[index], text, StringComparison.Ordinal);

    /// <summary>Cells whose bytes were not valid UTF-8 in the current row (column indexes); empty for XLSX.</summary>
    public virtual IReadOnlyList<int> InvalidEncodingFields => [];

    /// <summary>Findings of a profile's translation of the current row (an unknown code, a bad marker): the row is then
    /// in error whatever the translated cells say. Empty for a file read as it is.</summary>
    public virtual IReadOnlyList<ImportIssue> RowIssues => [];

    /// <summary>Moves to the next non-empty row; false at the end.</summary>
    public abstract bool Read();

    public abstract void Dispose();

    /// <summary>
    /// Opens a file by its content: XLSX starts with the ZIP signature "PK"; a file that is not text (UTF-16/32, a
    /// legacy XLS, a PDF or image) is refused by <see cref="TabularEncoding"/> with its own code instead of being read
    /// as a CSV whose header then "misses" every column; anything else is read as CSV.
    /// </summary>
    public static TabularReader Open(string path, TabularLimits? limits = null, IReadOnlyList<string>? preferredSheets = null)
    {
        limits ??= TabularLimits.Default;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            var head = new byte[TabularEncoding.SniffBytes];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            if (IsZip(head.AsSpan(0, read)))
            {
                return new XlsxTabularReader(stream, limits, preferredSheets);
            }
            TabularEncoding.EnsureText(head.AsSpan(0, read));
            return new CsvTabularReader(stream, limits);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The file would be opened as a workbook (<see cref="Open"/>: its first bytes are the ZIP signature), told
    /// from two bytes without reading it: only a workbook can be a DTKS file (<see cref="Profiles.OpenSidDtksLayout"/>).</summary>
    public static bool IsWorkbook(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> head = stackalloc byte[2];
        return IsZip(head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)]);
    }

    private static bool IsZip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K';
}

/// <summary>
/// The file cannot be read as a table at all (corrupt XLSX, empty file, not text, a line or cell over
/// <see cref="TabularLimits"/>): reported as one error with its stable code, and the row and column where known, never a
/// stack trace.
/// </summary>
public sealed class TabularFormatException(string code, string message, string messageEn, long row = 0, string? column = null) : Exception(messageEn)
{
    public string Code { get; } = code;
    public string MessageId { get; } = message;
    public long Row { get; } = row;
    public string? Column { get; } = column;

    public static TabularFormatException From(ImportIssue issue) => new(issue.Code, issue.Message, issue.MessageEn, issue.Row, issue.Column);

    /// <summary>The finding as the import reports list it.</summary>
    public ImportIssue Issue => new(Row, Column, null, Code, MessageId, Message);
}

internal static class Utf8Strict
{
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
}

using System.Text;

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

    /// <summary>Cells whose bytes were not valid UTF-8 in the current row (column indexes); empty for XLSX.</summary>
    public virtual IReadOnlyList<int> InvalidEncodingFields => [];

    /// <summary>Moves to the next non-empty row; false at the end.</summary>
    public abstract bool Read();

    public abstract void Dispose();

    /// <summary>Opens a file by its content: XLSX starts with the ZIP signature "PK", anything else is read as CSV.</summary>
    public static TabularReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = stream.Read(magic);
            stream.Position = 0;
            if (read == 2 && magic[0] == (byte)'P' && magic[1] == (byte)'K')
            {
                return new XlsxTabularReader(stream);
            }
            return new CsvTabularReader(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}

/// <summary>The file cannot be read as a table at all (corrupt XLSX, empty file): reported as one error, never a stack trace.</summary>
public sealed class TabularFormatException(string code, string message, string messageEn) : Exception(messageEn)
{
    public string Code { get; } = code;
    public string MessageId { get; } = message;
}

internal static class Utf8Strict
{
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
}

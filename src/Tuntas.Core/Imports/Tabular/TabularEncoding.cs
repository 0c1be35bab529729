using System.Buffers;

namespace Tuntas.Imports.Tabular;

/// <summary>
/// Tells a text file from one that only looks like a CSV to a byte reader: UTF-16/UTF-32 (Excel's "Unicode Text" and
/// Notepad's "Unicode" save as UTF-16 LE with a BOM, some tools without one), legacy Excel 97–2003 (.xls), PDF, images
/// and archives. Without this, such a file is read as one garbled header and reported as "required column missing",
/// which sends the user looking for a column that is there. A Windows-1252 file with a few accented names is still
/// text: it is read, and its bad cells are reported one by one (code <c>ENCODING</c>).
/// </summary>
public static class TabularEncoding
{
    /// <summary>How much of the file's start is examined.</summary>
    public const int SniffBytes = 8 * 1024;

    /// <summary>Throws <see cref="TabularFormatException"/> (FILE_UTF16 or FILE_BINARY) when <paramref name="head"/> is not UTF-8 text.</summary>
    public static void EnsureText(ReadOnlySpan<byte> head)
    {
        if (Detect(head) is { } problem)
        {
            throw TabularFormatException.From(ImportMessages.Issue(0, null, null, problem.Code, problem.Detail));
        }
    }

    /// <summary>The problem with <paramref name="head"/> (code, what the file looks like), or null for UTF-8 (or ASCII) text.</summary>
    public static (string Code, string Detail)? Detect(ReadOnlySpan<byte> head)
    {
        // BOMs first: UTF-32 LE's BOM starts with UTF-16 LE's.
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return ("FILE_UTF16", "UTF-32 LE");
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return ("FILE_UTF16", "UTF-32 BE");
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return ("FILE_UTF16", "UTF-16 LE");
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return ("FILE_UTF16", "UTF-16 BE");
        }
        foreach (var (magic, kind) in _signatures)
        {
            if (head.StartsWith(magic))
            {
                // An old binary workbook is common (OpenSID's own templates were .xls for years): say how to fix it.
                return (kind.Contains(".xls", StringComparison.Ordinal) ? "FILE_XLS" : "FILE_BINARY", kind);
            }
        }
        // UTF-16 without a BOM: ASCII text with a NUL after (LE) or before (BE) every character.
        var (evenNuls, oddNuls, controls) = (0, 0, 0);
        for (var i = 0; i < head.Length; i++)
        {
            var b = head[i];
            if (b == 0)
            {
                if (i % 2 == 0)
                {
                    evenNuls++;
                }
                else
                {
                    oddNuls++;
                }
            }
            else if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C)) || b == 0x7F)
            {
                controls++;
            }
        }
        var pairs = Math.Max(1, head.Length / 2);
        if (oddNuls > pairs * 0.4 && evenNuls < pairs * 0.05)
        {
            return ("FILE_UTF16", "UTF-16 LE");
        }
        if (evenNuls > pairs * 0.4 && oddNuls < pairs * 0.05)
        {
            return ("FILE_UTF16", "UTF-16 BE");
        }
        // Text never holds NUL; binary formats are full of NULs and control bytes.
        if (evenNuls + oddNuls > 0 || controls > head.Length / 100)
        {
            return ("FILE_BINARY", "binary");
        }
        // Mostly undecodable bytes: not text in any encoding we could report cell by cell.
        if (InvalidUtf8Share(head) > 0.05)
        {
            return ("FILE_BINARY", "not UTF-8");
        }
        return null;
    }

    private static double InvalidUtf8Share(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return 0;
        }
        var invalid = 0;
        var rest = bytes;
        Span<char> chars = stackalloc char[256];
        while (!rest.IsEmpty)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(rest, chars, out var read, out _, replaceInvalidSequences: false, isFinalBlock: false);
            rest = rest[read..];
            if (status == OperationStatus.InvalidData)
            {
                invalid++;
                rest = rest[1..];
            }
            else if (status == OperationStatus.NeedMoreData)
            {
                // A character cut by the sniff window's end is not evidence of anything.
                break;
            }
        }
        return (double)invalid / bytes.Length;
    }

    private static readonly (byte[] Magic, string Kind)[] _signatures =
    [
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "Excel 97–2003 (.xls)"),
        ("%PDF"u8.ToArray(), "PDF"),
        ([0x89, (byte)'P', (byte)'N', (byte)'G'], "PNG"),
        ([0xFF, 0xD8, 0xFF], "JPEG"),
        ("GIF8"u8.ToArray(), "GIF"),
        ([0x1F, 0x8B], "gzip"),
        ("Rar!"u8.ToArray(), "RAR"),
        ([(byte)'7', (byte)'z', 0xBC, 0xAF], "7-Zip"),
        ("MZ"u8.ToArray(), "Windows program"),
        ([0x7F, (byte)'E', (byte)'L', (byte)'F'], "ELF program"),
    ];
}

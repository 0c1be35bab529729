using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Unicode;

namespace Tuntas.Imports.Tabular;

/// <summary>
/// RFC 4180 CSV read at the byte level: UTF-8 with or without BOM, delimiter <c>,</c> or <c>;</c> detected from the
/// header, quoted fields may hold delimiters, quotes and line breaks. Every field is checked to be valid UTF-8 so a
/// file saved as Windows-1252 is reported by row and column instead of silently garbling names. A record or field over
/// <see cref="TabularLimits"/> stops the read at once (LINE_TOO_LONG, CELL_TOO_LONG): memory stays at the 1 MB buffer
/// plus one bounded record whatever the file holds.
/// <para>
/// A line without quotes that ends inside the read buffer is read where it lies, its delimiters found sixteen bytes at
/// a time (<see cref="TryReadLineInPlace"/>); any other record is copied into one row buffer a run of bytes at a time,
/// each run found with a vectorised search for the next delimiter, quote or line break. A cell becomes a
/// <see cref="string"/> only when it is read
/// (<see cref="this[int]"/>), and <see cref="CellEquals"/> compares a cell with a string without making one: a
/// family's members repeat its 38 cells, which the import compares and does not parse again (docs/benchmarks.md,
/// "The CSV reader a run at a time").
/// </para>
/// </summary>
public sealed class CsvTabularReader : TabularReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _position;
    private int _length;
    private long _consumed;
    private readonly long _totalLength;
    private readonly TabularLimits _limits;
    private SearchValues<byte> _specials = SearchValues.Create(",\"\n\r"u8);
    private static readonly SearchValues<byte> _lineEndOrQuote = SearchValues.Create("\"\n\r"u8);

    /// <summary>The bytes the current record's cells lie in: cell i is <c>_cells[_starts[i].._ends[i]]</c>. A line
    /// without quotes that lies whole in the read buffer is read where it lies (<see cref="TryReadLineInPlace"/>);
    /// any other record is copied into <see cref="_row"/>, unquoted.</summary>
    private byte[] _cells;
    private byte[] _row = new byte[4096];
    private int _rowLength;
    private int[] _starts = new int[64];
    private int[] _ends = new int[64];
    private int _count;
    private string?[] _strings = new string?[64];
    private readonly List<int> _invalid = [];
    private int _recordBytes;
    private static readonly string[] _byteStrings = BuildByteStrings();

    public byte Delimiter { get; private set; } = (byte)',';

    public CsvTabularReader(Stream stream, TabularLimits? limits = null) : this(stream, limits, 1 << 20)
    {
    }

    /// <param name="bufferBytes">The read buffer; tests make it small so records and cells cross its end.</param>
    internal CsvTabularReader(Stream stream, TabularLimits? limits, int bufferBytes)
    {
        _stream = stream;
        _buffer = new byte[bufferBytes];
        _cells = _row;
        _limits = limits ?? TabularLimits.Default;
        _totalLength = stream.CanSeek ? stream.Length : 0;
        // The BOM and the delimiter are read from the first buffer: it is filled whole, as a stream may return less.
        _length = _stream.ReadAtLeast(_buffer, _buffer.Length, throwOnEndOfStream: false);
        if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _position = 3;
        }
        if (_position >= _length)
        {
            throw new TabularFormatException("FILE_EMPTY", "Berkas kosong.", "The file is empty.");
        }
        Delimiter = DetectDelimiter();
        if (Delimiter != (byte)',')
        {
            _specials = SearchValues.Create([Delimiter, (byte)'"', (byte)'\n', (byte)'\r']);
        }
        if (!ReadRecord())
        {
            throw new TabularFormatException("FILE_EMPTY", "Berkas kosong.", "The file is empty.");
        }
        RowNumber = 1;
        var header = new string[_count];
        for (var i = 0; i < header.Length; i++)
        {
            header[i] = this[i];
        }
        Header = header;
        FieldCount = _count;
    }

    public override double Position => _totalLength == 0 ? 0 : (double)(_consumed + _position) / _totalLength;

    public override string this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }
            return _strings[index] ??= Decode(Cell(index));
        }
    }

    /// <summary>
    /// Compares without decoding: an ASCII cell equals the string when their characters do, byte for char; a cell with
    /// other bytes is decoded and compared as a string (a name with an accent, or bytes that are not UTF-8, which
    /// decode to U+FFFD as <see cref="this[int]"/> gives them).
    /// </summary>
    public override bool CellEquals(int index, string text)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        if (_strings[index] is { } decoded)
        {
            return string.Equals(decoded, text, StringComparison.Ordinal);
        }
        var cell = Cell(index);
        if (Ascii.Equals(cell, text))
        {
            return true;
        }
        return !Ascii.IsValid(cell) && string.Equals(this[index], text, StringComparison.Ordinal);
    }

    public override IReadOnlyList<int> InvalidEncodingFields => _invalid;

    public override bool Read()
    {
        while (ReadRecord())
        {
            RowNumber++;
            // A blank line (one empty field) is skipped but still counted, so row numbers match the spreadsheet.
            if (_count == 1 && _ends[0] == _starts[0])
            {
                continue;
            }
            FieldCount = _count;
            return true;
        }
        return false;
    }

    private ReadOnlySpan<byte> Cell(int index) => _cells.AsSpan(_starts[index], _ends[index] - _starts[index]);

    private static string Decode(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 0 ? ""
        : bytes.Length == 1 && bytes[0] < 128 ? _byteStrings[bytes[0]]
        : Utf8Strict.Encoding.GetString(bytes);

    /// <summary>Lines of the first buffer read to find the delimiter.</summary>
    private const int DelimiterSampleLines = 200;

    /// <summary>
    /// Finds the delimiter from the lines of the first buffer: a delimiter comes the same number of times on every
    /// record, a comma in text does not. Each of <c>,</c> and <c>;</c> is scored by its most frequent count on a line
    /// (outside quotes, lines without it not counted) times the lines that have that count; <c>;</c> wins only with the
    /// higher score. The first line alone is not enough: a list saved by Excel in the Indonesian locale is <c>;</c>-delimited
    /// with decimal commas, and a title typed above its table is one cell whose line has no <c>;</c> and may have a comma.
    /// </summary>
    private byte DetectDelimiter()
    {
        var commaLines = new Dictionary<int, int>();
        var semicolonLines = new Dictionary<int, int>();
        int commas = 0, semicolons = 0, lines = 0;
        var quoted = false;
        for (var i = _position; i < _length && lines < DelimiterSampleLines; i++)
        {
            var b = _buffer[i];
            if (b == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && (b == '\n' || b == '\r'))
            {
                Count(commaLines, commas);
                Count(semicolonLines, semicolons);
                (commas, semicolons) = (0, 0);
                lines++;
            }
            else if (!quoted && b == ',')
            {
                commas++;
            }
            else if (!quoted && b == ';')
            {
                semicolons++;
            }
        }
        // The buffer's last line counts only when the buffer holds the whole file; otherwise it may be cut short.
        if (lines == 0 || _length < _buffer.Length)
        {
            Count(commaLines, commas);
            Count(semicolonLines, semicolons);
        }
        return Score(semicolonLines) > Score(commaLines) ? (byte)';' : (byte)',';

        static void Count(Dictionary<int, int> lines, int count)
        {
            if (count > 0)
            {
                lines[count] = lines.GetValueOrDefault(count) + 1;
            }
        }

        static long Score(Dictionary<int, int> lines) =>
            lines.Count == 0 ? 0 : lines.OrderByDescending(l => l.Value).ThenByDescending(l => l.Key).Select(l => (long)l.Key * l.Value).First();
    }

    private bool Fill()
    {
        if (_position < _length)
        {
            return true;
        }
        _consumed += _length;
        _length = _stream.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }

    /// <summary>The next byte is <paramref name="b"/> (reading on into the next buffer when this one ends).</summary>
    private bool NextIs(byte b) => (_position < _length || Fill()) && _buffer[_position] == b;

    private bool ReadRecord()
    {
        _count = 0;
        _rowLength = 0;
        _invalid.Clear();
        if (!Fill())
        {
            return false;
        }
        if (TryReadLineInPlace())
        {
            return true;
        }
        _count = 0;
        _cells = _row;
        _recordBytes = 0;
        var quoted = false;
        var fieldStarted = false;
        var fieldStart = 0;
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                EndField();
                break;
            }
            var available = _buffer.AsSpan(_position, _length - _position);
            if (quoted)
            {
                // Inside quotes only a quote matters: the closing one, or the first of a doubled one.
                var quote = available.IndexOf((byte)'"');
                var run = quote < 0 ? available.Length : quote;
                Take(available[..run], fieldStart);
                _position += run;
                if (quote >= 0)
                {
                    _position++;
                    Count(1);
                    if (NextIs((byte)'"'))
                    {
                        _position++;
                        Append("\""u8, fieldStart);
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                continue;
            }
            var next = available.IndexOfAny(_specials);
            var text = next < 0 ? available.Length : next;
            if (text > 0)
            {
                Take(available[..text], fieldStart);
                fieldStarted = true;
                _position += text;
            }
            if (next < 0)
            {
                continue;
            }
            var b = _buffer[_position++];
            Count(1);
            if (b == Delimiter)
            {
                EndField();
                fieldStart = _rowLength;
                fieldStarted = false;
            }
            else if (b == '\n')
            {
                EndField();
                break;
            }
            else if (b == '\r')
            {
                if (NextIs((byte)'\n'))
                {
                    _position++;
                }
                EndField();
                break;
            }
            else if (!fieldStarted && _rowLength == fieldStart)
            {
                quoted = true;
                fieldStarted = true;
            }
            else
            {
                // A quote inside an unquoted cell is kept as it is.
                Append("\""u8, fieldStart);
                fieldStarted = true;
            }
        }
        FindInvalidEncoding();
        return true;
    }

    /// <summary>
    /// The common record, a line without quotes that ends inside the read buffer within the limits, read where it
    /// lies: its delimiters are found sixteen bytes at a time (one compare gives a bit per delimiter) and its cells are
    /// recorded as ranges of the buffer, nothing copied. False, with nothing consumed, for any other record, which
    /// <see cref="ReadRecord"/> then reads byte run by byte run and refuses with the exact limit it passes.
    /// </summary>
    private bool TryReadLineInPlace()
    {
        var available = _buffer.AsSpan(_position, _length - _position);
        var end = available.IndexOfAny(_lineEndOrQuote);
        if (end < 0 || available[end] == '"' || end + 1 > _limits.MaxLineBytes)
        {
            return false;
        }
        var terminator = 1;
        if (available[end] == '\r')
        {
            // The byte after a carriage return must be in this buffer: reading the next would overwrite the cells.
            if (end + 1 == available.Length)
            {
                return false;
            }
            terminator = available[end + 1] == '\n' ? 2 : 1;
        }
        var line = available[..end];
        var start = 0;
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var delimiter = Vector128.Create(Delimiter);
            ref var first = ref MemoryMarshal.GetReference(line);
            for (; i + Vector128<byte>.Count <= line.Length; i += Vector128<byte>.Count)
            {
                var found = Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)i), delimiter).ExtractMostSignificantBits();
                while (found != 0)
                {
                    var at = i + BitOperations.TrailingZeroCount(found);
                    if (!AddCellInPlace(start, at))
                    {
                        return false;
                    }
                    start = at + 1;
                    found &= found - 1;
                }
            }
        }
        for (; i < line.Length; i++)
        {
            if (line[i] == Delimiter)
            {
                if (!AddCellInPlace(start, i))
                {
                    return false;
                }
                start = i + 1;
            }
        }
        if (!AddCellInPlace(start, line.Length))
        {
            return false;
        }
        _cells = _buffer;
        _position += end + terminator;
        Array.Clear(_strings, 0, _count);
        if (!Ascii.IsValid(line))
        {
            FindInvalidCells();
        }
        return true;
    }

    /// <summary>Records the cell <c>[start, end)</c> of the line at <see cref="_position"/>; false when it passes a limit.</summary>
    private bool AddCellInPlace(int start, int end)
    {
        if (end - start > _limits.MaxCellBytes || _count == _limits.MaxColumns)
        {
            return false;
        }
        if (_count == _ends.Length)
        {
            GrowCells();
        }
        _starts[_count] = _position + start;
        _ends[_count] = _position + end;
        _count++;
        return true;
    }

    private void GrowCells()
    {
        Array.Resize(ref _starts, _starts.Length * 2);
        Array.Resize(ref _ends, _ends.Length * 2);
        Array.Resize(ref _strings, _strings.Length * 2);
    }

    /// <summary>One byte of the record that is not a cell's (a delimiter, a quote, a line break), counted against
    /// <see cref="TabularLimits.MaxLineBytes"/>: a doubled quote's second byte and the line feed after a carriage return
    /// are not counted.</summary>
    private void Count(int bytes)
    {
        _recordBytes += bytes;
        if (_recordBytes > _limits.MaxLineBytes)
        {
            throw Refused("LINE_TOO_LONG", _limits.MaxLineBytes, column: null);
        }
    }

    /// <summary>A run of a cell's bytes, counted and appended. Of the two limits the one its bytes reach first is
    /// reported, the record's when both fall on the same byte, as when the bytes were taken one at a time.</summary>
    private void Take(ReadOnlySpan<byte> bytes, int fieldStart)
    {
        var toLineLimit = _limits.MaxLineBytes - _recordBytes;
        var toCellLimit = _limits.MaxCellBytes - (_rowLength - fieldStart);
        if (bytes.Length > toLineLimit && toLineLimit <= toCellLimit)
        {
            throw Refused("LINE_TOO_LONG", _limits.MaxLineBytes, column: null);
        }
        _recordBytes += bytes.Length;
        Append(bytes, fieldStart);
    }

    /// <summary>The record being read is the row after the last one returned (the header is row 1).</summary>
    private TabularFormatException Refused(string code, int limit, string? column) =>
        TabularFormatException.From(ImportMessages.Issue(RowNumber + 1, column, null, code, limit));

    private void Append(ReadOnlySpan<byte> bytes, int fieldStart)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        if (_rowLength - fieldStart + bytes.Length > _limits.MaxCellBytes)
        {
            throw Refused("CELL_TOO_LONG", _limits.MaxCellBytes, _count < Header.Count ? Header[_count] : null);
        }
        if (_rowLength + bytes.Length > _row.Length)
        {
            Array.Resize(ref _row, Math.Max(_row.Length * 2, _rowLength + bytes.Length));
        }
        bytes.CopyTo(_row.AsSpan(_rowLength));
        _rowLength += bytes.Length;
    }

    private void EndField()
    {
        if (_count == _limits.MaxColumns)
        {
            throw Refused("TOO_MANY_COLUMNS", _limits.MaxColumns, column: null);
        }
        if (_count == _ends.Length)
        {
            GrowCells();
        }
        _starts[_count] = _count == 0 ? 0 : _ends[_count - 1];
        _ends[_count] = _rowLength;
        _strings[_count] = null;
        _count++;
    }

    /// <summary>A record of ASCII bytes is valid UTF-8 as a whole (one vectorised check); any other is checked cell
    /// by cell, as a cell must be valid on its own.</summary>
    private void FindInvalidEncoding()
    {
        if (!Ascii.IsValid(_row.AsSpan(0, _rowLength)))
        {
            FindInvalidCells();
        }
    }

    private void FindInvalidCells()
    {
        for (var i = 0; i < _count; i++)
        {
            if (!Utf8.IsValid(Cell(i)))
            {
                _invalid.Add(i);
            }
        }
    }

    private static string[] BuildByteStrings()
    {
        var strings = new string[128];
        for (var i = 0; i < 128; i++)
        {
            strings[i] = ((char)i).ToString();
        }
        return strings;
    }

    public override void Dispose() => _stream.Dispose();
}

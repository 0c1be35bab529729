using System.Buffers;
using System.IO.Compression;
using System.Xml;
using ExcelDataReader;

namespace Tuntas.Imports.Tabular;

/// <summary>
/// The first sheet of an XLSX workbook, streamed by ExcelDataReader. Numbers become invariant text; a number that
/// Excel can only hold in scientific notation (a 16-digit NIK typed as a number keeps 15 significant digits) comes
/// out as such (<c>3.31401120394E+15</c>) so that the NIK check rejects it instead of importing a corrupted number.
/// Before ExcelDataReader sees the archive, every part is unpacked once into a small buffer and measured (its declared
/// size may lie) against <see cref="TabularLimits"/>: total, shared strings (loaded whole by ExcelDataReader) and
/// compression ratio, so a 1 MB workbook holding a 1 GB cell is refused after unpacking a bounded prefix of it.
/// </summary>
public sealed class XlsxTabularReader : TabularReader
{
    private readonly Stream _stream;
    private readonly IExcelDataReader _reader;
    /// <summary>The current row's cells: at least as wide as the header, wider when a row fills cells beyond it (a
    /// title above a header is one cell wide, the rows below it are not).</summary>
    private string[] _row;
    private readonly int _headerWidth;
    private readonly long _rowsInSheet;
    private long _rowsRead;
    private readonly TabularLimits _limits;

    static XlsxTabularReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The sheet read, and every sheet of the workbook (for a "no recognisable sheet" message).</summary>
    public string SheetName { get; private set; } = "";
    public IReadOnlyList<string> SheetNames { get; private set; } = [];

    /// <param name="preferredSheets">Sheet names to read, first found wins (case-insensitive), e.g. OpenSID's
    /// "Data Penduduk"; otherwise the first sheet that is not OpenSID's code list ("Kode Data").</param>
    /// <param name="headerRows">Rows of the header: the last one names the columns (OpenSID's DTKS sheets carry section
    /// titles above the question codes); every one is kept in <see cref="HeaderRows"/>.</param>
    public XlsxTabularReader(Stream stream, TabularLimits? limits = null, IReadOnlyList<string>? preferredSheets = null, int headerRows = 1)
    {
        _stream = stream;
        _limits = limits ?? TabularLimits.Default;
        try
        {
            MeasureArchive(stream, _limits);
            stream.Position = 0;
            _reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
            ChooseSheet(preferredSheets ?? []);
        }
        catch (Exception e) when (e is ExcelDataReader.Exceptions.HeaderException or InvalidDataException or IOException or XmlException)
        {
            throw OtherWorkbook(stream) is { } code ? TabularFormatException.From(ImportMessages.Issue(0, null, null, code)) : Unreadable();
        }
        _rowsInSheet = _reader.RowCount;
        // The CSV reader's limit, for the same reason: a 2 KB workbook with one cell in column XFD of row 1 and one of row
        // 1,048,576 made every row 16,384 cells wide, a read of 17 billion cells that held a core and the import queue
        // for hours. The sheet's width is known before its first row is read.
        if (_reader.FieldCount > _limits.MaxColumns)
        {
            throw TabularFormatException.From(ImportMessages.Issue(1, null, null, "TOO_MANY_COLUMNS", _limits.MaxColumns));
        }
        if ((long)_reader.FieldCount * _rowsInSheet > _limits.MaxXlsxCells)
        {
            throw TooLarge(FormattableString.Invariant($"'{_reader.Name}': {_rowsInSheet} × {_reader.FieldCount}"));
        }
        if (!NextRow())
        {
            throw new TabularFormatException("FILE_EMPTY", "Berkas kosong.", "The file is empty.");
        }
        _rowsRead = 1;
        var rows = new List<List<string>> { HeaderRow() };
        while (rows.Count < headerRows && NextRow())
        {
            _rowsRead++;
            rows.Add(HeaderRow());
        }
        var width = rows.Max(r => r.Count);
        if (width == 0)
        {
            throw new TabularFormatException("FILE_EMPTY", "Berkas kosong.", "The file is empty.");
        }
        foreach (var row in rows)
        {
            row.AddRange(Enumerable.Repeat("", width - row.Count));
        }
        HeaderRows = rows;
        Header = rows[^1];
        _row = new string[Header.Count];
        _headerWidth = Header.Count;
        RowNumber = _rowsRead;
        FieldCount = Header.Count;
    }

    /// <summary>Every header row (padded to one width); the last is <see cref="TabularReader.Header"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> HeaderRows { get; private set; } = [];

    private List<string> HeaderRow()
    {
        var header = new List<string>();
        for (var i = 0; i < _reader.FieldCount; i++)
        {
            header.Add(CellText(i));
        }
        while (header.Count > 0 && header[^1].Length == 0)
        {
            header.RemoveAt(header.Count - 1);
        }
        return header;
    }

    /// <summary>Rows of each sheet kept in <see cref="SheetHeads"/>: enough for a title above a header.</summary>
    public const int SheetHeadRows = 10;

    /// <summary>Cells of a row kept in <see cref="SheetHeads"/>, each cut to <see cref="SheetHeadCellLength"/> characters.</summary>
    private const int SheetHeadCells = 200, SheetHeadCellLength = 200;

    /// <summary>
    /// The first <see cref="SheetHeadRows"/> rows of every visible sheet, read while the sheets are listed: what another
    /// sheet of the workbook is (a second data sheet that would not be imported) is judged from them, without unpacking
    /// the workbook once more per sheet. A hidden sheet (Excel's lookup tables) has none.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<string>>> SheetHeads { get; private set; } =
        new Dictionary<string, IReadOnlyList<IReadOnlyList<string>>>();

    private void ChooseSheet(IReadOnlyList<string> preferred)
    {
        var names = new List<string>();
        var heads = new Dictionary<string, IReadOnlyList<IReadOnlyList<string>>>(StringComparer.Ordinal);
        do
        {
            var name = _reader.Name ?? "";
            names.Add(name);
            var rows = new List<IReadOnlyList<string>>();
            while (string.Equals(_reader.VisibleState ?? "visible", "visible", StringComparison.OrdinalIgnoreCase) && rows.Count < SheetHeadRows && NextRow())
            {
                var cells = new string[Math.Min(_reader.FieldCount, SheetHeadCells)];
                for (var i = 0; i < cells.Length; i++)
                {
                    var text = CellText(_reader.GetValue(i));
                    cells[i] = text.Length > SheetHeadCellLength ? text[..SheetHeadCellLength] : text;
                }
                rows.Add(cells);
            }
            heads.TryAdd(name, rows);
        }
        while (_reader.NextResult());
        SheetNames = names;
        SheetHeads = heads;
        var index = preferred.Select(p => names.FindIndex(n => string.Equals(n.Trim(), p, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(i => i >= 0, -1);
        if (index < 0)
        {
            // OpenSID's workbooks carry their code lists on a sheet of their own, which OpenSID itself skips.
            index = Math.Max(0, names.FindIndex(n => !string.Equals(n.Trim(), "Kode Data", StringComparison.OrdinalIgnoreCase)));
        }
        _reader.Reset();
        for (var i = 0; i < index; i++)
        {
            _reader.NextResult();
        }
        SheetName = names[index];
    }

    public override double Position => _rowsInSheet == 0 ? 0 : (double)_rowsRead / _rowsInSheet;

    public override string this[int index] => _row[index];

    /// <summary>A sheet's XML is read as the rows stream: a truncated part, or one with a DTD (prohibited, so that no
    /// entity expands), fails here, and is the file's fault, not the program's.</summary>
    private bool NextRow()
    {
        try
        {
            return _reader.Read();
        }
        catch (XmlException)
        {
            throw Unreadable();
        }
    }

    /// <summary>
    /// An OpenDocument spreadsheet (.ods: LibreOffice's and WPS's own format, which village offices use for free) is a ZIP
    /// as an XLSX is, and was refused as a "corrupt XLSX": its first entry, <c>mimetype</c>, says what it is, so the
    /// message can say how to fix it (ISO/IEC 26300, OpenDocument 1.2 part 3, §3.3). An Excel binary workbook (.xlsb) is a
    /// ZIP too, with <c>xl/workbook.bin</c> where an XLSX has XML. The code that says which, or null for a ZIP that is neither.
    /// </summary>
    private static string? OtherWorkbook(Stream stream)
    {
        try
        {
            stream.Position = 0;
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.GetEntry("xl/workbook.bin") is not null)
            {
                return "FILE_XLSB";
            }
            if (zip.GetEntry("mimetype") is not { Length: < 200 } entry)
            {
                return null;
            }
            using var text = new StreamReader(entry.Open());
            return text.ReadToEnd().StartsWith("application/vnd.oasis.opendocument.spreadsheet", StringComparison.Ordinal) ? "FILE_ODS" : null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null;
        }
    }

    private static TabularFormatException Unreadable() =>
        new("FILE_UNREADABLE", "Berkas XLSX rusak atau bukan XLSX.", "The XLSX file is corrupt or not an XLSX workbook.");

    public override bool Read()
    {
        while (NextRow())
        {
            _rowsRead++;
            RowNumber = _rowsRead;
            var any = false;
            var lastNonEmpty = -1;
            if (_reader.FieldCount > _row.Length)
            {
                Array.Resize(ref _row, _reader.FieldCount);
            }
            for (var i = 0; i < _reader.FieldCount; i++)
            {
                var text = CellText(i);
                _row[i] = text;
                if (text.Length > 0)
                {
                    any = true;
                    lastNonEmpty = i;
                }
            }
            for (var i = _reader.FieldCount; i < _row.Length; i++)
            {
                _row[i] = "";
            }
            if (!any)
            {
                continue;
            }
            // Spreadsheets have no column count per row: cells beyond the header are "extra columns" only when filled.
            FieldCount = Math.Max(_headerWidth, lastNonEmpty + 1);
            return true;
        }
        return false;
    }

    /// <summary>Unpacks every part into a reusable buffer, counting; throws XLSX_TOO_LARGE at the first limit passed.</summary>
    private static void MeasureArchive(Stream stream, TabularLimits limits)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > limits.MaxXlsxEntries)
        {
            throw TooLarge(FormattableString.Invariant($"{zip.Entries.Count} parts"));
        }
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                var sharedStrings = entry.FullName.EndsWith("sharedStrings.xml", StringComparison.OrdinalIgnoreCase);
                var tokens = new XmlTokens(limits.MaxXlsxXmlTokenBytes);
                using var part = entry.Open();
                long size = 0;
                int read;
                while ((read = part.Read(buffer, 0, buffer.Length)) > 0)
                {
                    size += read;
                    total += read;
                    if (total > limits.MaxXlsxUnpackedBytes)
                    {
                        throw TooLarge(FormattableString.Invariant($"> {limits.MaxXlsxUnpackedBytes / (1024 * 1024)} MB"));
                    }
                    if (sharedStrings && size > limits.MaxXlsxSharedStringsBytes)
                    {
                        throw TooLarge(FormattableString.Invariant($"sharedStrings.xml > {limits.MaxXlsxSharedStringsBytes / (1024 * 1024)} MB"));
                    }
                    if (size > limits.RatioCheckFromBytes && size > limits.MaxXlsxCompressionRatio * Math.Max(1, entry.CompressedLength))
                    {
                        throw TooLarge(FormattableString.Invariant($"{entry.FullName}: > {limits.MaxXlsxCompressionRatio}× packed size"));
                    }
                    if (!tokens.Feed(buffer.AsSpan(0, read)))
                    {
                        throw TooLarge(tokens.NotUtf8
                            ? FormattableString.Invariant($"{entry.FullName}: UTF-16/UTF-32")
                            : FormattableString.Invariant($"{entry.FullName}: text > {limits.MaxXlsxXmlTokenBytes / (1024 * 1024)} MB"));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Measures the runs of an XML part from one tag to the next: each becomes one string in the XML reader. Comments,
    /// processing instructions and CDATA sections do not end a run, since the reader joins the text around them into one
    /// value, and a <c>&lt;</c> inside them (which XML allows) starts no tag: each has its own state until its end
    /// (<c>--&gt;</c>, <c>?&gt;</c>, <c>]]&gt;</c>). Every part is measured whatever its name, because ExcelDataReader
    /// opens a worksheet at whatever path the workbook's relationships give; a part that is not XML (an image) is told
    /// by its first byte. A part in UTF-16 or UTF-32 is refused: in it a byte 0x3C is not always a <c>&lt;</c>, so the
    /// measure would not hold, and Excel writes UTF-8 only. Fed the part in pieces; false once a run is over the limit.
    /// </summary>
    private sealed class XmlTokens(int limit)
    {
        private enum State { Start, Text, AfterLt, AfterBang, Comment, Instruction, Cdata, NotXml }

        private static ReadOnlySpan<byte> CdataStart => "[CDATA["u8;

        private State _state = State.Start;
        private long _run;

        /// <summary>In <see cref="State.AfterBang"/>: the bytes of "[CDATA[" matched after "&lt;!" (-1: one '-' of "--");
        /// in the comment, instruction and CDATA states: the bytes of their end matched so far.</summary>
        private int _matched;

        /// <summary>Set when the part's first bytes say UTF-16 or UTF-32.</summary>
        public bool NotUtf8 { get; private set; }

        public bool Feed(ReadOnlySpan<byte> bytes)
        {
            if (_state == State.Start && bytes.Length > 0)
            {
                // A byte-order mark of UTF-16 or UTF-32, or a '<' in one of them without a mark (3C 00, 00 3C, 00 00 00 3C). Not
                // any zero byte: a binary part such as printerSettings1.bin begins with a UTF-16 printer name.
                if (bytes is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0x00, 0x00, 0xFE, 0xFF, ..] or [0x3C, 0x00, ..] or [0x00, 0x3C, ..] or [0x00, 0x00, 0x00, 0x3C, ..])
                {
                    NotUtf8 = true;
                    return false;
                }
                // XML begins with '<' (after a UTF-8 byte-order mark or white space); anything else is a binary part.
                var first = bytes.StartsWith("\xEF\xBB\xBF"u8) ? bytes[3..] : bytes;
                first = first.TrimStart(" \t\r\n"u8);
                _state = first.Length == 0 || first[0] == (byte)'<' ? State.Text : State.NotXml;
            }
            if (_state == State.NotXml)
            {
                return true;
            }
            while (bytes.Length > 0)
            {
                if (_state == State.Text)
                {
                    var next = bytes.IndexOf((byte)'<');
                    if (next < 0)
                    {
                        _run += bytes.Length;
                        break;
                    }
                    _run += next + 1;
                    _state = State.AfterLt;
                    bytes = bytes[(next + 1)..];
                }
                else
                {
                    var b = bytes[0];
                    bytes = bytes[1..];
                    _run++;
                    Step(b);
                }
                if (_run > limit)
                {
                    return false;
                }
            }
            return _run <= limit;
        }

        private void Step(byte b)
        {
            switch (_state)
            {
                case State.AfterLt when b == (byte)'!':
                    (_state, _matched) = (State.AfterBang, 0);
                    break;
                case State.AfterLt when b == (byte)'?':
                    (_state, _matched) = (State.Instruction, 0);
                    break;
                case State.AfterLt:
                    // A start or end tag: the text before it was one value.
                    (_state, _run) = (b == (byte)'<' ? State.AfterLt : State.Text, 1);
                    break;
                case State.AfterBang:
                    AfterBang(b);
                    break;
                case State.Comment:
                    // "-->": a '-' extends the match (at most two count), '>' after two ends the comment.
                    (_state, _matched) = b == (byte)'-' ? (State.Comment, Math.Min(_matched + 1, 2)) : b == (byte)'>' && _matched == 2 ? (State.Text, 0) : (State.Comment, 0);
                    break;
                case State.Instruction:
                    (_state, _matched) = b == (byte)'?' ? (State.Instruction, 1) : b == (byte)'>' && _matched == 1 ? (State.Text, 0) : (State.Instruction, 0);
                    break;
                case State.Cdata:
                    (_state, _matched) = b == (byte)']' ? (State.Cdata, Math.Min(_matched + 1, 2)) : b == (byte)'>' && _matched == 2 ? (State.Text, 0) : (State.Cdata, 0);
                    break;
            }
        }

        /// <summary>After "&lt;!": "--" opens a comment, "[CDATA[" a CDATA section; anything else is a declaration
        /// (&lt;!DOCTYPE …), which ends the run as a tag does.</summary>
        private void AfterBang(byte b)
        {
            if (_matched == 0 && b == (byte)'-')
            {
                _matched = -1;
            }
            else if (_matched == -1)
            {
                (_state, _matched, _run) = b == (byte)'-' ? (State.Comment, 0, _run) : (State.Text, 0, 1);
            }
            else if (_matched >= 0 && _matched < CdataStart.Length && b == CdataStart[_matched])
            {
                _matched++;
                if (_matched == CdataStart.Length)
                {
                    (_state, _matched) = (State.Cdata, 0);
                }
            }
            else
            {
                (_state, _matched, _run) = (State.Text, 0, 1);
            }
        }
    }

    private static TabularFormatException TooLarge(string detail) =>
        TabularFormatException.From(ImportMessages.Issue(0, null, null, "XLSX_TOO_LARGE", detail));

    private string CellText(int index)
    {
        var text = CellText(_reader.GetValue(index));
        if (text.Length > _limits.MaxCellBytes)
        {
            throw TabularFormatException.From(ImportMessages.Issue(_rowsRead, index < Header.Count ? Header[index] : null, null, "CELL_TOO_LONG", _limits.MaxCellBytes));
        }
        return text;
    }

    /// <summary>A cell's value as text: numbers invariant (scientific from 1e15 up, see the class note), dates YYYY-MM-DD.</summary>
    public static string CellText(object? value) =>
        value switch
        {
            null => "",
            string s => s,
            double d when Math.Abs(d) >= 1e15 => d.ToString("0.##############E+0", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "1" : "0",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    public override void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }
}

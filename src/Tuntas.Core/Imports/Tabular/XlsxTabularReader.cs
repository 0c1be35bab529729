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
            throw Unreadable();
        }
        _rowsInSheet = _reader.RowCount;
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

    private void ChooseSheet(IReadOnlyList<string> preferred)
    {
        var names = new List<string>();
        do
        {
            names.Add(_reader.Name ?? "");
        }
        while (_reader.NextResult());
        SheetNames = names;
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
                var tokens = entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)
                    ? new XmlTokens(limits.MaxXlsxXmlTokenBytes) : null;
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
                    if (tokens is not null && !tokens.Feed(buffer.AsSpan(0, read)))
                    {
                        throw TooLarge(FormattableString.Invariant($"{entry.FullName}: text > {limits.MaxXlsxXmlTokenBytes / (1024 * 1024)} MB"));
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
    /// processing instructions and CDATA sections (which may hold <c>&lt;</c>) do not end a run, since the reader joins
    /// the text around them into one value. Fed the part in pieces; false once a run is over the limit.
    /// </summary>
    private sealed class XmlTokens(int limit)
    {
        private static ReadOnlySpan<byte> CdataStart => "<![CDATA["u8;

        private long _run;

        /// <summary>After a '&lt;': the bytes of <see cref="CdataStart"/> matched so far (0: not after one).</summary>
        private int _opening;

        /// <summary>Inside a CDATA section: the closing ']' seen in a row (at most 2); -1 outside one.</summary>
        private int _closing = -1;

        public bool Feed(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                if (_closing < 0 && _opening == 0)
                {
                    var next = bytes.IndexOf((byte)'<');
                    if (next < 0)
                    {
                        _run += bytes.Length;
                        break;
                    }
                    _run += next + 1;
                    _opening = 1;
                    bytes = bytes[(next + 1)..];
                }
                else
                {
                    var b = bytes[0];
                    bytes = bytes[1..];
                    _run++;
                    if (_closing >= 0)
                    {
                        _closing = b == (byte)']' ? Math.Min(_closing + 1, 2) : b == (byte)'>' && _closing == 2 ? -1 : 0;
                    }
                    else if (_opening == 1 && b != (byte)'!' && b != (byte)'?')
                    {
                        // A start or end tag: the text before it was one value.
                        (_run, _opening) = (1, b == (byte)'<' ? 1 : 0);
                    }
                    else
                    {
                        _opening = _opening < CdataStart.Length && b == CdataStart[_opening] ? _opening + 1 : 0;
                        if (_opening == CdataStart.Length)
                        {
                            (_opening, _closing) = (0, 0);
                        }
                    }
                }
                if (_run > limit)
                {
                    return false;
                }
            }
            return _run <= limit;
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

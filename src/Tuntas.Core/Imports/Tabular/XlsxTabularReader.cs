using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace Tuntas.Imports.Tabular;

/// <summary>
/// The first sheet of an XLSX workbook, streamed by ExcelDataReader. Numbers become invariant text; a number that
/// Excel can only hold in scientific notation (a 16-digit NIK typed as a number keeps 15 significant digits) comes
/// out as such (<c>3.31401120394E+15</c>) so that the NIK check rejects it instead of importing a corrupted number.
/// </summary>
public sealed class XlsxTabularReader : TabularReader
{
    private readonly Stream _stream;
    private readonly IExcelDataReader _reader;
    private readonly string[] _row;
    private readonly long _rowsInSheet;
    private long _rowsRead;

    static XlsxTabularReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public XlsxTabularReader(Stream stream)
    {
        _stream = stream;
        try
        {
            _reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        }
        catch (Exception e) when (e is ExcelDataReader.Exceptions.HeaderException or InvalidDataException or IOException)
        {
            throw new TabularFormatException("FILE_UNREADABLE", "Berkas XLSX rusak atau bukan XLSX.", "The XLSX file is corrupt or not an XLSX workbook.");
        }
        _rowsInSheet = _reader.RowCount;
        if (!_reader.Read())
        {
            throw new TabularFormatException("FILE_EMPTY", "Berkas kosong.", "The file is empty.");
        }
        _rowsRead = 1;
        var header = new List<string>();
        for (var i = 0; i < _reader.FieldCount; i++)
        {
            header.Add(CellText(i));
        }
        while (header.Count > 0 && header[^1].Length == 0)
        {
            header.RemoveAt(header.Count - 1);
        }
        if (header.Count == 0)
        {
            throw new TabularFormatException("FILE_EMPTY", "Berkas kosong.", "The file is empty.");
        }
        Header = header;
        _row = new string[Header.Count];
        RowNumber = 1;
        FieldCount = Header.Count;
    }

    public override double Position => _rowsInSheet == 0 ? 0 : (double)_rowsRead / _rowsInSheet;

    public override string this[int index] => _row[index];

    public override bool Read()
    {
        while (_reader.Read())
        {
            _rowsRead++;
            RowNumber = _rowsRead;
            var any = false;
            var lastNonEmpty = -1;
            for (var i = 0; i < _reader.FieldCount; i++)
            {
                var text = CellText(i);
                if (i < _row.Length)
                {
                    _row[i] = text;
                }
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
            FieldCount = Math.Max(_row.Length, lastNonEmpty + 1);
            return true;
        }
        return false;
    }

    private string CellText(int index) => CellText(_reader.GetValue(index));

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

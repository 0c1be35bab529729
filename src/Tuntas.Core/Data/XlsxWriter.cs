using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Tuntas.Data;

/// <summary>
/// Writes a one-sheet XLSX workbook row by row (OpenXML SAX writer: constant memory). Every cell is an inline string
/// unless given as a number, so NIK and NO_KK stay 16-digit text and Excel never turns them into 3.31401E+15.
/// Further sheets follow one after the other (<see cref="NextSheet"/>): each is written whole before the next begins.
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private readonly SpreadsheetDocument _document;
    private readonly WorkbookPart _workbook;
    private OpenXmlWriter _writer;
    private uint _sheets;
    private bool _closed;

    public XlsxWriter(Stream output, string sheetName = "Data")
    {
        _document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        _workbook = _document.AddWorkbookPart();
        _workbook.Workbook = new Workbook(new Sheets());
        _writer = StartSheet(sheetName);
    }

    /// <summary>Ends the current sheet and starts another (a DTKS workbook: Keluarga, then Anggota Keluarga).</summary>
    public void NextSheet(string sheetName)
    {
        EndSheet();
        _writer = StartSheet(sheetName);
        _closed = false;
    }

    private OpenXmlWriter StartSheet(string name)
    {
        var id = "rId" + (++_sheets).ToString(CultureInfo.InvariantCulture);
        _workbook.Workbook.Sheets!.Append(new Sheet { Id = id, SheetId = _sheets, Name = name });
        var writer = OpenXmlWriter.Create(_workbook.AddNewPart<WorksheetPart>(id));
        writer.WriteStartElement(new Worksheet());
        writer.WriteStartElement(new SheetData());
        return writer;
    }

    private void EndSheet()
    {
        if (!_closed)
        {
            _writer.WriteEndElement();
            _writer.WriteEndElement();
            _writer.Close();
            _closed = true;
        }
    }

    /// <summary>Writes one row; a value of type double, long or int becomes a numeric cell, anything else text.</summary>
    public void WriteRow(IEnumerable<object?> values)
    {
        _writer.WriteStartElement(new Row());
        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                    _writer.WriteElement(new Cell());
                    break;
                case double or long or int:
                    _writer.WriteElement(new Cell
                    {
                        DataType = CellValues.Number,
                        CellValue = new CellValue(Convert.ToString(value, CultureInfo.InvariantCulture)!),
                    });
                    break;
                default:
                    _writer.WriteElement(new Cell(new InlineString(new Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")))
                    {
                        DataType = CellValues.InlineString,
                    });
                    break;
            }
        }
        _writer.WriteEndElement();
    }

    public void Dispose()
    {
        EndSheet();
        _document.Dispose();
    }
}

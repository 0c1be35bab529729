using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Tuntas.Data;

/// <summary>
/// Writes a one-sheet XLSX workbook row by row (OpenXML SAX writer: constant memory). Every cell is an inline string
/// unless given as a number, so NIK and NO_KK stay 16-digit text and Excel never turns them into 3.31401E+15.
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private readonly SpreadsheetDocument _document;
    private readonly OpenXmlWriter _writer;
    private bool _closed;

    public XlsxWriter(Stream output, string sheetName = "Data")
    {
        _document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = _document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets(new Sheet { Id = "rId1", SheetId = 1, Name = sheetName }));
        var sheet = workbook.AddNewPart<WorksheetPart>("rId1");
        _writer = OpenXmlWriter.Create(sheet);
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteStartElement(new SheetData());
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
        if (!_closed)
        {
            _writer.WriteEndElement();
            _writer.WriteEndElement();
            _writer.Close();
            _closed = true;
        }
        _document.Dispose();
    }
}

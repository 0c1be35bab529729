using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Tuntas.Data;

/// <summary>
/// Writes an XLSX workbook row by row in constant memory. Every cell is an inline string unless given as a number, so
/// NIK and NO_KK stay 16-digit text and Excel never turns them into 3.31401E+15. Further sheets follow one after the
/// other (<see cref="NextSheet"/>): each is written whole before the next begins.
/// <para>
/// The package (workbook, parts, relationships) comes from the OpenXML SDK; each sheet's XML is written with an
/// <see cref="XmlWriter"/> straight into its part. The SDK's element writer built three objects per cell and wrote
/// about 12,000 rows of 43 cells a second; the plain writer is several times faster (docs/benchmarks.md, "Registry export").
/// </para>
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private readonly SpreadsheetDocument _document;
    private readonly WorkbookPart _workbook;
    private Stream _part;
    private XmlWriter _writer;
    private uint _sheets;
    private bool _closed;

    public XlsxWriter(Stream output, string sheetName = "Data")
    {
        _document = SpreadsheetDocument.Create(output, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook);
        _workbook = _document.AddWorkbookPart();
        _workbook.Workbook = new Workbook(new Sheets());
        (_part, _writer) = StartSheet(sheetName);
    }

    /// <summary>Ends the current sheet and starts another (a DTKS workbook: Keluarga, then Anggota Keluarga).</summary>
    public void NextSheet(string sheetName)
    {
        EndSheet();
        (_part, _writer) = StartSheet(sheetName);
        _closed = false;
    }

    private (Stream, XmlWriter) StartSheet(string name)
    {
        var id = "rId" + (++_sheets).ToString(CultureInfo.InvariantCulture);
        _workbook.Workbook.Sheets!.Append(new Sheet { Id = id, SheetId = _sheets, Name = name });
        var part = _workbook.AddNewPart<WorksheetPart>(id).GetStream(FileMode.Create, FileAccess.Write);
        var writer = XmlWriter.Create(part, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
        writer.WriteStartDocument(true);
        writer.WriteStartElement("worksheet", Main);
        writer.WriteStartElement("sheetData", Main);
        return (part, writer);
    }

    private void EndSheet()
    {
        if (!_closed)
        {
            _writer.WriteEndElement();
            _writer.WriteEndElement();
            _writer.WriteEndDocument();
            _writer.Dispose();
            _part.Dispose();
            _closed = true;
        }
    }

    /// <summary>Writes one row; a value of type double, long or int becomes a numeric cell, anything else text.</summary>
    public void WriteRow(IEnumerable<object?> values)
    {
        _writer.WriteStartElement("row", Main);
        foreach (var value in values)
        {
            _writer.WriteStartElement("c", Main);
            switch (value)
            {
                case null:
                    break;
                case int number:
                    _writer.WriteElementString("v", Main, number.ToString(CultureInfo.InvariantCulture));
                    break;
                case double or long:
                    _writer.WriteElementString("v", Main, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
                default:
                    _writer.WriteAttributeString("t", "inlineStr");
                    _writer.WriteStartElement("is", Main);
                    _writer.WriteStartElement("t", Main);
                    var text = XmlText(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                    if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
                    {
                        _writer.WriteAttributeString("xml", "space", null, "preserve");
                    }
                    _writer.WriteString(text);
                    _writer.WriteEndElement();
                    _writer.WriteEndElement();
                    break;
            }
            _writer.WriteEndElement();
        }
        _writer.WriteEndElement();
    }

    /// <summary>Control characters (a stray one from a pasted cell) cannot be written in XML 1.0: they are dropped.</summary>
    private static string XmlText(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 && c is not ('\t' or '\n' or '\r'))
            {
                return string.Concat(text.Where(x => x >= 0x20 || x is '\t' or '\n' or '\r'));
            }
        }
        return text;
    }

    public void Dispose()
    {
        EndSheet();
        _document.Dispose();
    }
}

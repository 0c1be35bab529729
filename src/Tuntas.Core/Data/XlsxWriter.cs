using System.IO.Compression;
using System.Xml;

namespace Tuntas.Data;

/// <summary>
/// Writes an XLSX workbook row by row in constant memory. Every cell is an inline string unless given as a number, so
/// NIK and NO_KK stay 16-digit text and Excel never turns them into 3.31401E+15. Further sheets follow one after the
/// other (<see cref="NextSheet"/>): each is written whole before the next begins.
/// <para>
/// The package is the smallest SpreadsheetML one (ECMA-376 Part 1 §12.2, Part 2: content types, the package
/// relationship, the workbook and its relationships, one part per sheet), written with a <see cref="ZipArchive"/> in
/// create mode, each sheet's XML streamed into its entry. The OpenXML SDK's package opens its ZIP in update mode, which
/// keeps every part in memory until the end — a million-person export grew past a gigabyte and slowed ten times —
/// and its element writer built three objects per cell (docs/benchmarks.md, "Registry export"). A non-seekable output
/// (an HTTP response) is fine.
/// </para>
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string OfficeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XmlWriterSettings _settings = new() { Encoding = new UTF8Encoding(false), CloseOutput = true };
    private readonly ZipArchive _zip;
    private readonly List<string> _sheets = [];
    private XmlWriter? _writer;
    private bool _disposed;

    public XlsxWriter(Stream output, string sheetName = "Data")
    {
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        StartSheet(sheetName);
    }

    /// <summary>Ends the current sheet and starts another (a DTKS workbook: Keluarga, then Anggota Keluarga).</summary>
    public void NextSheet(string sheetName)
    {
        EndSheet();
        StartSheet(sheetName);
    }

    private void StartSheet(string name)
    {
        _sheets.Add(name);
        _writer = Part($"xl/worksheets/sheet{_sheets.Count}.xml");
        _writer.WriteStartElement("worksheet", Main);
        _writer.WriteStartElement("sheetData", Main);
    }

    private void EndSheet()
    {
        if (_writer is not null)
        {
            _writer.WriteEndElement();
            _writer.WriteEndElement();
            _writer.WriteEndDocument();
            _writer.Dispose();
            _writer = null;
        }
    }

    private XmlWriter Part(string path)
    {
        var writer = XmlWriter.Create(_zip.CreateEntry(path, CompressionLevel.Fastest).Open(), _settings);
        writer.WriteStartDocument(true);
        return writer;
    }

    /// <summary>Writes one row; a value of type double, long or int becomes a numeric cell, anything else text.</summary>
    public void WriteRow(IEnumerable<object?> values)
    {
        var writer = _writer ?? throw new ObjectDisposedException(nameof(XlsxWriter));
        writer.WriteStartElement("row", Main);
        foreach (var value in values)
        {
            writer.WriteStartElement("c", Main);
            switch (value)
            {
                case null:
                    break;
                case int number:
                    writer.WriteElementString("v", Main, number.ToString(CultureInfo.InvariantCulture));
                    break;
                case double or long:
                    writer.WriteElementString("v", Main, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
                default:
                    writer.WriteAttributeString("t", "inlineStr");
                    writer.WriteStartElement("is", Main);
                    writer.WriteStartElement("t", Main);
                    var text = XmlText(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                    if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
                    {
                        writer.WriteAttributeString("xml", "space", null, "preserve");
                    }
                    writer.WriteString(text);
                    writer.WriteEndElement();
                    writer.WriteEndElement();
                    break;
            }
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
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

    /// <summary>The parts that name the sheets, once all are written.</summary>
    private void WritePackage()
    {
        using (var workbook = Part("xl/workbook.xml"))
        {
            workbook.WriteStartElement("workbook", Main);
            workbook.WriteAttributeString("xmlns", "r", null, OfficeRelationships);
            workbook.WriteStartElement("sheets", Main);
            for (var i = 0; i < _sheets.Count; i++)
            {
                workbook.WriteStartElement("sheet", Main);
                workbook.WriteAttributeString("name", _sheets[i]);
                workbook.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
                workbook.WriteAttributeString("id", OfficeRelationships, "rId" + (i + 1).ToString(CultureInfo.InvariantCulture));
                workbook.WriteEndElement();
            }
            workbook.WriteEndElement();
            workbook.WriteEndElement();
        }
        using (var links = Part("xl/_rels/workbook.xml.rels"))
        {
            links.WriteStartElement("Relationships", Relationships);
            for (var i = 0; i < _sheets.Count; i++)
            {
                Relationship(links, "rId" + (i + 1).ToString(CultureInfo.InvariantCulture), OfficeRelationships + "/worksheet",
                    $"worksheets/sheet{(i + 1).ToString(CultureInfo.InvariantCulture)}.xml");
            }
            links.WriteEndElement();
        }
        using (var package = Part("_rels/.rels"))
        {
            package.WriteStartElement("Relationships", Relationships);
            Relationship(package, "rId1", OfficeRelationships + "/officeDocument", "xl/workbook.xml");
            package.WriteEndElement();
        }
        using var types = Part("[Content_Types].xml");
        const string ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";
        types.WriteStartElement("Types", ContentTypes);
        void Type(string element, string key, string value, string contentType)
        {
            types.WriteStartElement(element, ContentTypes);
            types.WriteAttributeString(key, value);
            types.WriteAttributeString("ContentType", contentType);
            types.WriteEndElement();
        }
        Type("Default", "Extension", "rels", "application/vnd.openxmlformats-package.relationships+xml");
        Type("Default", "Extension", "xml", "application/xml");
        Type("Override", "PartName", "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
        for (var i = 0; i < _sheets.Count; i++)
        {
            Type("Override", "PartName", $"/xl/worksheets/sheet{(i + 1).ToString(CultureInfo.InvariantCulture)}.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
        }
        types.WriteEndElement();
    }

    private static void Relationship(XmlWriter writer, string id, string type, string target)
    {
        writer.WriteStartElement("Relationship", Relationships);
        writer.WriteAttributeString("Id", id);
        writer.WriteAttributeString("Type", type);
        writer.WriteAttributeString("Target", target);
        writer.WriteEndElement();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        EndSheet();
        WritePackage();
        _zip.Dispose();
    }
}

using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Tuntas.Testing;

/// <summary>Writes .xlsx workbooks for tests as Excel stores them: short numeric texts below the first row are numeric
/// cells, everything else inline text; a row holds only the cells given (a title row is one cell wide).</summary>
public static class Workbooks
{
    public static string Write(string path, params (string Name, IReadOnlyList<string[]> Rows)[] sheets)
    {
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());
        for (var i = 0; i < sheets.Length; i++)
        {
            Sheet(workbook, (uint)(i + 1), sheets[i].Name, sheets[i].Rows);
        }
        return path;
    }

    private static void Sheet(WorkbookPart workbook, uint id, string name, IReadOnlyList<string[]> lines)
    {
        var part = workbook.AddNewPart<WorksheetPart>("r" + id);
        var sheetData = new SheetData();
        for (var r = 0; r < lines.Count; r++)
        {
            var row = new Row();
            foreach (var text in lines[r])
            {
                row.Append(r > 0 && text.Length < 10 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(text) }
                    : new Cell(new InlineString(new Text(text))) { DataType = CellValues.InlineString });
            }
            sheetData.Append(row);
        }
        part.Worksheet = new Worksheet(sheetData);
        workbook.Workbook.Sheets!.Append(new Sheet { Id = "r" + id, SheetId = id, Name = name });
    }
}

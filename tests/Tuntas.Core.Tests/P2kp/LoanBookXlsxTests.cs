using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.P2kp.LoanBook;
using Tuntas.P2kp.Performance;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.P2kp;

/// <summary>The XLSX form of a loan book (LOAN-BOOK-FORMAT.md §1): one sheet per table, numbers and date serials as numeric cells.</summary>
public sealed class LoanBookXlsxTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));

    /// <summary>Writes the sheets; a cell that parses as a number becomes a numeric cell, and the date columns given become 1900-system serials.</summary>
    private static string Workbook(LoanBookFiles book, params string[] dateColumns)
    {
        var path = Path.Combine(Path.GetTempPath(), "tuntas-upk-" + Guid.NewGuid().ToString("N") + ".xlsx");
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());
        uint id = 1;
        // Sheet names in lower case: names are case-insensitive.
        foreach (var (name, lines) in book.Sheets)
        {
            var part = workbook.AddNewPart<WorksheetPart>("r" + id);
            var data = new SheetData();
            var header = lines[0].Split(',');
            foreach (var line in lines)
            {
                var row = new Row();
                var cells = line.Split(',');
                for (var i = 0; i < cells.Length; i++)
                {
                    var text = cells[i];
                    if (line != lines[0] && dateColumns.Contains(header[i]) && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        row.Append(new Cell { DataType = CellValues.Number, CellValue = new CellValue(date.ToOADate().ToString(CultureInfo.InvariantCulture)) });
                    }
                    else if (line != lines[0] && text.Length < 15 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        row.Append(new Cell { DataType = CellValues.Number, CellValue = new CellValue(text) });
                    }
                    else
                    {
                        row.Append(new Cell(new InlineString(new Text(text))) { DataType = CellValues.InlineString });
                    }
                }
                data.Append(row);
            }
            part.Worksheet = new Worksheet(data);
            workbook.Workbook.Sheets!.Append(new Sheet { Id = "r" + id, SheetId = id, Name = name.ToLowerInvariant() });
            id++;
        }
        return path;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_xlsx_book_with_numeric_cells_and_date_serials_imports_like_the_csv_folder(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = Workbook(new LoanBookFiles(), "TANGGAL_CAIR", "TANGGAL_ANGSURAN_PERTAMA", "TANGGAL_BAYAR");
        var report = await new ImportLoanBook(test.Database, _clock).RunAsync(new ImportLoanBook.Input(path, "upk.xlsx", false), CancellationToken.None);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => $"{e.Sheet} {e.Row} {e.Column} {e.Code} {e.Value}")));
        await using var db = test.Database.CreateDb();
        var outcome = await new UpkPerformance(db).RunAsync(new UpkPerformance.Input(new DateOnly(2026, 8, 31), null, AccessScope.Regency), CancellationToken.None);
        Assert.Equal(64.29, outcome.Total.Rr);
        Assert.Equal(4.2, outcome.Total.Roi);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_xlsx_error_names_the_sheets_own_row(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = Workbook(new LoanBookFiles().Add("PINJAMAN", "P-002,KSM-1,2026-01-15,1500.5,1,FLAT,3,2026-02-15"));
        var report = await new ImportLoanBook(test.Database, _clock).RunAsync(new ImportLoanBook.Input(path, "upk.xlsx", true), CancellationToken.None);
        var error = Assert.Single(report.Errors);
        Assert.Equal(("PINJAMAN", 3L, "POKOK", "NOT_A_NUMBER"), (error.Sheet, error.Row!.Value, error.Column!, error.Code));
    }
}

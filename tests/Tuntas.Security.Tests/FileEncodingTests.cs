using System.Text;
using Tuntas.Imports;
using Tuntas.Programs;
using Tuntas.Testing;

namespace Tuntas.Security.Tests;

/// <summary>
/// A file that is not UTF-8 text — UTF-16 or UTF-32 (Excel's "Unicode Text", Notepad's "Unicode"), a legacy .xls, a PDF,
/// random bytes — is refused as such, in Indonesian and English with a stable code, by both tabular imports, instead
/// of being read as one garbled header and reported as "required column missing". A Windows-1252 file is still text:
/// it is read and its bad cells are reported one by one.
/// </summary>
public sealed class FileEncodingTests
{
    private static readonly string _csv = new ImportFileBuilder().Family(1, children: 1).ToCsv();

    public static TheoryData<string, string, string> NotText => new()
    {
        { "UTF-16 LE with BOM", "FILE_UTF16", "UTF-16 LE" },
        { "UTF-16 LE without BOM", "FILE_UTF16", "UTF-16 LE" },
        { "UTF-16 BE with BOM", "FILE_UTF16", "UTF-16 BE" },
        { "UTF-16 BE without BOM", "FILE_UTF16", "UTF-16 BE" },
        { "UTF-32 LE with BOM", "FILE_UTF16", "UTF-32 LE" },
        { "Excel 97-2003", "FILE_XLS", ".xls" },
        { "PDF", "FILE_BINARY", "PDF" },
        { "random bytes", "FILE_BINARY", "" },
    };

    private static byte[] Bytes(string kind) => kind switch
    {
        "UTF-16 LE with BOM" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(_csv)],
        "UTF-16 LE without BOM" => Encoding.Unicode.GetBytes(_csv),
        "UTF-16 BE with BOM" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(_csv)],
        "UTF-16 BE without BOM" => Encoding.BigEndianUnicode.GetBytes(_csv),
        "UTF-32 LE with BOM" => [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(_csv)],
        "Excel 97-2003" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[4000]],
        "PDF" => [.. "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n"u8, .. new byte[2000]],
        _ => RandomBytes(),
    };

    private static byte[] RandomBytes()
    {
        var bytes = new byte[20_000];
        new Random(20).NextBytes(bytes);
        return bytes;
    }

    private static string Write(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"berkas-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory, MemberData(nameof(NotText))]
    public async Task A_family_file_that_is_not_utf8_text_is_refused_as_such_not_as_a_missing_column(string kind, string code, string detail)
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var path = Write(Bytes(kind));

        var report = await new ImportFamilies(test.Database, TimeProvider.System)
            .RunAsync(new ImportFamilies.Input(path, "keluarga.csv", DryRun: true, "uji"), null, CancellationToken.None);

        var error = Assert.Single(report.Errors);
        Assert.Equal(code, error.Code);
        Assert.Contains(detail, error.MessageEn, StringComparison.Ordinal);
        Assert.Contains(code switch { "FILE_UTF16" => "bukan UTF-8", "FILE_XLS" => "Simpan Sebagai", _ => "bukan teks CSV" }, error.Message, StringComparison.Ordinal);
        Assert.Contains(code switch { "FILE_UTF16" => "not UTF-8", "FILE_XLS" => "Save As", _ => "neither CSV text" }, error.MessageEn, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(NotText))]
    public async Task A_recipient_list_that_is_not_utf8_text_is_refused_as_such_not_as_a_missing_column(string kind, string code, string detail)
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var path = Write(Bytes(kind));

        var report = await new ImportRecipients(test.Database, TimeProvider.System)
            .RunAsync(new ImportRecipients.Input("PKH", path, "bnba.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        var row = Assert.Single(report.Rows);
        Assert.Equal(code, row.Code);
        Assert.Contains(detail, row.MessageEn, StringComparison.Ordinal);
        Assert.NotEqual(row.Message, row.MessageEn);
    }

    [Fact]
    public async Task A_windows_1252_file_is_still_read_and_its_bad_cell_reported_by_row_and_column()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1, children: 1);
        file.Rows[1]["NAMA"] = "Andr\u00e9 Pratama";
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var path = Write(Encoding.GetEncoding(1252).GetBytes(file.ToCsv()));

        var report = await new ImportFamilies(test.Database, TimeProvider.System)
            .RunAsync(new ImportFamilies.Input(path, "keluarga.csv", DryRun: true, "uji"), null, CancellationToken.None);

        var error = Assert.Single(report.Errors);
        Assert.Equal(("ENCODING", 3L, "NAMA"), (error.Code, error.Row, error.Column));
    }
}

/// <summary>OWASP's CSV injection on the import's error download: everything in it may come from the uploaded file, a
/// header cell (the column's name) as much as a value, and is opened in Excel by whoever reads the report.</summary>
public sealed class ErrorDownloadTests
{
    [Fact]
    public void No_field_of_the_error_download_starts_a_formula()
    {
        var report = new ImportReport { File = "kolom.csv" };
        report.Errors.Add(new ImportIssue(1, "=HYPERLINK(\"http://evil.example/\",\"klik\")", "+1+1", "COLUMN_UNKNOWN", "@SUM(A1)", "-2+3"));

        var csv = Encoding.UTF8.GetString(Tuntas.Web.Imports.ImportDownloads.ErrorsCsv(report));

        var line = csv.Split("\r\n")[1];
        Assert.Contains("\"'=HYPERLINK(", line, StringComparison.Ordinal);
        Assert.Contains(",'+1+1,", line, StringComparison.Ordinal);
        Assert.Contains(",'@SUM(A1),'-2+3", line, StringComparison.Ordinal);
    }
}

using System.IO.Compression;
using System.Text;
using Tuntas.Imports;
using Tuntas.Programs;
using Tuntas.Testing;

namespace Tuntas.Security.Tests;

/// <summary>Memory is measured per test: no other test of this assembly may allocate at the same time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Memory, alone";
}

/// <summary>
/// OWASP ASVS 12.1 (file size and decompression limits) on the two tabular uploads, the family import and the recipient
/// list: the probe's 50 MB single-line CSV (157 MB report, web app 0.7 → 2.7 GB) and 1 MB XLSX holding a huge cell (out
/// of memory) are refused while streaming, with bounded allocation measured here (a memory bound, not a timing), and a
/// file with one mistake on every row gives a report of kilobytes with exact counts per code.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class UploadLimitTests
{
    /// <summary>Everything an import of these files may allocate: the 1 MB read buffer, a bounded record, the region
    /// table (~85,000 villages) and the database driver's work. Before the limits the CSV alone took over 200 MB.</summary>
    private const long AllocationBound = 96L * 1024 * 1024;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_50_MB_single_line_csv_is_refused_after_its_first_line_limit_with_bounded_memory(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = SingleLineCsv(50);
        try
        {
            var (report, allocated) = await MeasureAsync(() => ImportFamiliesAsync(test, path));

            var error = Assert.Single(report.Errors);
            Assert.Equal("LINE_TOO_LONG", error.Code);
            Assert.Equal(1, error.Row);
            Assert.False(report.Committed);
            Assert.True(report.ToJson().Length < 4096, $"report of {report.ToJson().Length} characters");
            Assert.True(allocated < AllocationBound, $"allocated {allocated / (1024 * 1024)} MB");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_xlsx_hiding_a_300_MB_cell_is_refused_before_the_cell_is_unpacked(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = XlsxWithCell(300L * 1024 * 1024);
        try
        {
            Assert.True(new FileInfo(path).Length < 2 * 1024 * 1024, "the attack file is small");
            var (report, allocated) = await MeasureAsync(() => ImportFamiliesAsync(test, path));

            Assert.Equal("XLSX_TOO_LARGE", Assert.Single(report.Errors).Code);
            Assert.True(allocated < AllocationBound, $"allocated {allocated / (1024 * 1024)} MB");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The ratio check stops a part packed over 200 : 1, and the 2 GB sum bounds the rest: a cell of 300 MB of letters
    /// with one other letter every 256 packs about 90 : 1 (a 3–4 MB upload, far under the 200 MB limit) and passed both,
    /// then became one 300 M-character string inside ExcelDataReader (600 MB and more) before the cell cap applied — any
    /// village operator's upload could take the web app down. No text or tag of a part may now run over 1 MB.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_xlsx_hiding_a_300_MB_cell_that_packs_under_the_ratio_limit_is_refused_with_bounded_memory(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        // The same cell cut by an empty comment every 64 KB: the XML reader joins the text around a comment into one value.
        foreach (var commentEvery in new int?[] { null, 64 * 1024 })
        {
            var path = XlsxWithCell(300L * 1024 * 1024, noiseEvery: 256, commentEvery: commentEvery);
            Assert.True(new FileInfo(path).Length < 8 * 1024 * 1024, "the attack file is small");
            Assert.True(new FileInfo(path).Length * 200 > 300L * 1024 * 1024, "the attack file packs under the ratio limit");
            await AssertTooLargeWithBoundedMemoryAsync(test, path);
        }
    }

    /// <summary>The import of <paramref name="path"/> is refused with XLSX_TOO_LARGE alone, within the allocation bound;
    /// the file is deleted.</summary>
    private static async Task AssertTooLargeWithBoundedMemoryAsync(TestDatabase test, string path)
    {
        try
        {
            var (report, allocated) = await MeasureAsync(() => ImportFamiliesAsync(test, path));

            Assert.Equal("XLSX_TOO_LARGE", Assert.Single(report.Errors).Code);
            Assert.True(allocated < AllocationBound, $"allocated {allocated / (1024 * 1024)} MB");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Three ways around the measure of a part's text runs, each closed: a comment holding a '&lt;' (XML allows it; taken
    /// for a tag, it restarted the count), a worksheet at a path not ending in .xml (ExcelDataReader opens whatever the
    /// workbook's relationships name; only .xml and .rels parts were measured), and a part in UTF-16 (a byte 0x3C there
    /// is not always a '&lt;'; Excel writes UTF-8 only, so such a part is refused whatever its size).
    /// </summary>
    [Fact]
    public async Task An_xlsx_cell_hidden_by_a_comment_holding_a_tag_a_sheet_not_named_xml_or_a_utf16_part_is_refused()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        foreach (var path in new Func<string>[]
        {
            () => XlsxWithCell(300L * 1024 * 1024, noiseEvery: 256, commentEvery: 64 * 1024, comment: "<!--<a-->"),
            () => XlsxWithCell(300L * 1024 * 1024, noiseEvery: 256, commentEvery: 64 * 1024, comment: "<?x <a?>"),
            () => XlsxWithCell(300L * 1024 * 1024, noiseEvery: 256, sheetPath: "worksheets/sheet1.dat"),
            () => XlsxWithCell(100, utf16: true),
        }.Select(make => make()))
        {
            await AssertTooLargeWithBoundedMemoryAsync(test, path);
        }
    }

    /// <summary>Text around a comment, a processing instruction and a CDATA section under the limit, a DOCTYPE-free
    /// ordinary workbook, and a binary part (a printer's settings begin with a UTF-16 name) are read as before.</summary>
    [Fact]
    public async Task A_workbook_with_comments_and_a_binary_part_is_read_when_its_cells_are_small()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var path = XlsxWithCell(3000, commentEvery: 500, comment: "<!-- <b> -->");
        try
        {
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                using var settings = zip.CreateEntry("xl/printerSettings/printerSettings1.bin").Open();
                settings.Write(Encoding.Unicode.GetBytes("HP LaserJet"));
                settings.Write(new byte[200]);
            }
            var report = await ImportFamiliesAsync(test, path);

            Assert.Contains(report.Errors, e => e.Code is "COLUMN_MISSING" or "PROFILE_UNKNOWN");
            Assert.DoesNotContain(report.Errors, e => e.Code is "XLSX_TOO_LARGE" or "FILE_UNREADABLE");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_generated_workbook_is_a_real_xlsx_that_is_read_when_its_cells_are_small()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var path = XlsxWithCell(100);
        try
        {
            var report = await ImportFamiliesAsync(test, path);
            // Read as a table: its one column is neither the import format's nor OpenSID's, so the header is what is wrong.
            Assert.Contains(report.Errors, e => e.Code is "COLUMN_MISSING" or "PROFILE_UNKNOWN");
            Assert.DoesNotContain(report.Errors, e => e.Code is "XLSX_TOO_LARGE" or "FILE_UNREADABLE");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_workbook_whose_sheet_is_cut_off_is_refused_as_unreadable_not_as_an_unexpected_error()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var path = XlsxWithCell(100, cutOff: true);
        try
        {
            var report = await ImportFamiliesAsync(test, path);

            var error = Assert.Single(report.Errors);
            Assert.Equal("FILE_UNREADABLE", error.Code);
            Assert.Equal(2, report.ExitCode);
            Assert.False(report.Committed);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_cell_over_the_limit_is_refused_with_its_row_and_column(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 2);
        file.Rows[1]["ALAMAT"] = new string('x', 5000);
        var path = file.WriteCsv();

        var report = await ImportFamiliesAsync(test, path);

        var error = Assert.Single(report.Errors);
        Assert.Equal(("CELL_TOO_LONG", 3L, "ALAMAT"), (error.Code, error.Row, error.Column));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_report_lists_a_hundred_findings_per_code_and_counts_every_one(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder();
        for (var i = 1; i <= 150; i++)
        {
            file.Family(i, wife: false, children: 1);
        }
        foreach (var row in file.Rows)
        {
            row["NIK"] = "12345";
            row["ALAMAT"] = new string('y', 400);
        }

        var report = await ImportFamiliesAsync(test, file.WriteCsv());

        Assert.Equal(300, report.ErrorCodes["NIK_FORMAT"]);
        Assert.Equal(300, report.ErrorCodes["TEXT_TOO_LONG"]);
        Assert.Equal(600, report.ErrorCount);
        Assert.Equal(ImportReport.MaxListedPerCode, report.Errors.Count(e => e.Code == "NIK_FORMAT"));
        Assert.Equal(ImportReport.MaxListedPerCode, report.Errors.Count(e => e.Code == "TEXT_TOO_LONG"));
        Assert.All(report.Errors, e => Assert.True((e.Value?.Length ?? 0) <= ImportReport.MaxTextLength + 1));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_recipient_list_of_one_50_MB_line_or_an_xlsx_bomb_is_refused_with_bounded_memory(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        foreach (var (path, code) in new[] { (SingleLineCsv(50), "LINE_TOO_LONG"), (XlsxWithCell(300L * 1024 * 1024), "XLSX_TOO_LARGE") })
        {
            try
            {
                var (report, allocated) = await MeasureAsync(() => new ImportRecipients(test.Database, TimeProvider.System)
                    .RunAsync(new ImportRecipients.Input("PKH", path, "bnba", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None));

                var row = Assert.Single(report.Rows);
                Assert.Equal((code, "error"), (row.Code, row.Status));
                Assert.Equal(1, report.Errors);
                Assert.True(allocated < AllocationBound, $"{code}: allocated {allocated / (1024 * 1024)} MB");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// A probe's 2 KB workbooks: one cell in column XFD of row 1 and one of row 1,048,576 made every row 16,384 cells wide,
    /// a read that held a core and the import queue with no end; a 1,024-wide header above the same far row was a billion
    /// cells, 27 s of a core for a dry run. Both are refused before the first row is read: the sheet's width by the
    /// column limit, its rows times columns by the cell limit — for the family import and the recipient list alike.
    /// </summary>
    [Fact]
    public async Task A_small_workbook_spanning_the_whole_sheet_is_refused_before_its_rows_are_read()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var wide = SparseXlsx(("A1", "NIK"), ("XFD1", "NAMA"), ("A1048576", "1"), ("XFD1048576", "x"));
        var tall = SparseXlsx(("A1", "NIK"), ("B1", "NAMA"), ("AMJ1", "X"), ("A1048576", "3314010101900001"), ("B1048576", "x"));
        try
        {
            foreach (var (path, code) in new[] { (wide, "TOO_MANY_COLUMNS"), (tall, "XLSX_TOO_LARGE") })
            {
                Assert.True(new FileInfo(path).Length < 4096, "the attack file is small");
                var families = await ImportFamiliesAsync(test, path);
                var recipients = await new ImportRecipients(test.Database, TimeProvider.System)
                    .RunAsync(new ImportRecipients.Input("PKH", path, "bnba.xlsx", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

                Assert.Equal(code, Assert.Single(families.Errors).Code);
                Assert.Equal(code, Assert.Single(recipients.Rows).Code);
            }
        }
        finally
        {
            File.Delete(wide);
            File.Delete(tall);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_recipient_list_with_one_mistake_on_every_row_lists_a_hundred_and_counts_all(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"penerima-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, ["NIK,NAMA", .. Enumerable.Range(0, 3000).Select(i => $"12345,{new string('n', 1000)}")]);

        var report = await new ImportRecipients(test.Database, TimeProvider.System)
            .RunAsync(new ImportRecipients.Input("PKH", path, "bnba.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.Equal(3000, report.Errors);
        Assert.Equal(3000, report.ErrorCounts["NIK"]);
        Assert.Equal(ImportRecipients.MaxListedErrorsPerColumn, report.Rows.Count);
        Assert.True(report.ToJson().Length < 100_000, $"report of {report.ToJson().Length} characters");
    }

    private static Task<ImportReport> ImportFamiliesAsync(TestDatabase test, string path) =>
        new ImportFamilies(test.Database, TimeProvider.System)
            .RunAsync(new ImportFamilies.Input(path, Path.GetFileName(path), DryRun: false, "uji"), null, CancellationToken.None);

    private static async Task<(T Result, long Allocated)> MeasureAsync<T>(Func<Task<T>> run)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await run();
        return (result, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    /// <summary>The probe's file: <paramref name="megabytes"/> MB of 100-byte fields and no line break.</summary>
    private static string SingleLineCsv(int megabytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"satu-baris-{Guid.NewGuid():N}.csv");
        using var stream = File.Create(path);
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('A', 99) + ",", 1024 * 1024 / 100)));
        for (var i = 0; i < megabytes; i++)
        {
            stream.Write(chunk);
        }
        return path;
    }

    /// <summary>
    /// A minimal workbook (content types, relationships, one sheet of inline strings): header NAMA, then one cell of
    /// <paramref name="cellBytes"/> letters. Deflate packs the letters about 1,000 to 1, like the probe's 1.1 MB file.
    /// </summary>
    /// <param name="cutOff">The sheet's XML ends inside the cell, as a truncated download or a broken zip tool leaves it.</param>
    /// <param name="noiseEvery">Put one other letter every this many bytes, so that the cell packs under the ratio limit.</param>
    /// <param name="commentEvery">Put an empty XML comment into the cell every this many bytes.</param>
    private const string SpreadsheetMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>The parts of a one-sheet workbook around its sheet, whose XML is at <c>xl/</c><paramref name="sheetPath"/>.</summary>
    private static void WorkbookParts(ZipArchive zip, string sheetPath)
    {
        const string relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
        const string officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        void Part(string name, string xml)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write(xml);
        }
        Part("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
        Part("_rels/.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{relationships}"><Relationship Id="rId1" Type="{officeRelationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Part("xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{SpreadsheetMain}" xmlns:r="{officeRelationships}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        Part("xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{relationships}"><Relationship Id="rId1" Type="{officeRelationships}/worksheet" Target="{sheetPath}"/></Relationships>""");
    }

    /// <summary>A workbook of a few kilobytes whose sheet holds only <paramref name="cells"/> (reference, text): the rest of
    /// the rectangle they span is empty.</summary>
    private static string SparseXlsx(params (string Reference, string Text)[] cells)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sparse-{Guid.NewGuid():N}.xlsx");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        WorkbookParts(zip, "worksheets/sheet1.xml");
        var rows = cells.GroupBy(c => int.Parse(new string(c.Reference.Where(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key)
            .Select(g => $"""<row r="{g.Key}">{string.Concat(g.Select(c => $"""<c r="{c.Reference}" t="inlineStr"><is><t>{c.Text}</t></is></c>"""))}</row>""");
        using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open(), new UTF8Encoding(false));
        writer.Write($"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SpreadsheetMain}"><sheetData>{string.Concat(rows)}</sheetData></worksheet>""");
        return path;
    }

    private static string XlsxWithCell(long cellBytes, bool cutOff = false, int? noiseEvery = null, int? commentEvery = null, string comment = "<!---->",
        string sheetPath = "worksheets/sheet1.xml", bool utf16 = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bom-{Guid.NewGuid():N}.xlsx");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            WorkbookParts(zip, sheetPath);
            using var sheet = zip.CreateEntry("xl/" + sheetPath, CompressionLevel.SmallestSize).Open();
            if (utf16)
            {
                // The whole part in UTF-16 with its byte-order mark, which the XML reader accepts and Excel never writes.
                sheet.Write(Encoding.Unicode.GetPreamble());
                sheet.Write(Encoding.Unicode.GetBytes($"""<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{SpreadsheetMain}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>NAMA</t></is></c></row></sheetData></worksheet>"""));
                return path;
            }
            sheet.Write(Encoding.UTF8.GetBytes($"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SpreadsheetMain}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>NAMA</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>"""));
            var letters = new byte[1024 * 1024];
            Array.Fill(letters, (byte)'A');
            if (noiseEvery is { } every)
            {
                var random = new Random(7);
                for (var i = 0; i < letters.Length; i += every)
                {
                    letters[i] = (byte)('B' + random.Next(24));
                }
            }
            var piece = commentEvery ?? letters.Length;
            for (var left = cellBytes; left > 0; left -= piece)
            {
                sheet.Write(letters, 0, (int)Math.Min(left, piece));
                if (commentEvery is not null)
                {
                    sheet.Write(Encoding.UTF8.GetBytes(comment));
                }
            }
            if (!cutOff)
            {
                sheet.Write("</t></is></c></row></sheetData></worksheet>"u8);
            }
        }
        return path;
    }
}

/// <summary>The probe's path end to end: the upload through the API, the job's report stored in the database, the job page.</summary>
public sealed class UploadReportTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_50_MB_single_line_upload_stores_a_report_of_kilobytes_and_shows_a_small_page(string provider)
    {
        await using var app = await Tuntas.Web.Tests.TuntasWebFactory.CreateAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        var line = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('A', 99) + ",", 500_000)));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(line), "file", "satu-baris.csv" } };

        using var accepted = await client.PostAsync("/api/families/import", form);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        var id = long.Parse(accepted.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        ImportJob? job = null;
        for (var attempt = 0; attempt < 240 && job?.Status is null or ImportJob.Queued or ImportJob.Running; attempt++)
        {
            await Task.Delay(250);
            await using var db = app.Database.CreateDb();
            job = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.ImportJobs, j => j.Id == id);
        }
        var page = await client.GetStringAsync($"/Impor/{id}");

        Assert.Equal(ImportJob.Rejected, job!.Status);
        Assert.Contains("LINE_TOO_LONG", job.ReportJson, StringComparison.Ordinal);
        Assert.True(job.ReportJson!.Length < 4096, $"stored report of {job.ReportJson.Length} characters");
        Assert.True(page.Length < 100_000, $"job page of {page.Length} characters");
    }
}

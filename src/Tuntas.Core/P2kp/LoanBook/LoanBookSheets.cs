using System.IO.Compression;
using ExcelDataReader;
using Tuntas.Imports.Tabular;

namespace Tuntas.P2kp.LoanBook;

/// <summary>
/// The sheets of a UPK loan book (LOAN-BOOK-FORMAT.md §1), streamed one row at a time: the sheets of one XLSX workbook,
/// or CSV files named after them in a folder or a ZIP (at its root or in one top folder). Names are case-insensitive;
/// other sheets and files are ignored. Each sheet is handed to <paramref name="visit"/> once, in file order.
/// </summary>
public static class LoanBookSheets
{
    public static readonly IReadOnlyList<string> Names = ["UPK", "KSM", "ANGGOTA", "PINJAMAN", "PEMBAYARAN", "OPERASIONAL", "MODAL"];

    /// <summary>One sheet: its header (row 1) and its non-empty rows with their spreadsheet row numbers.</summary>
    public sealed class Sheet(string name, IReadOnlyList<string> header, bool fromXlsx, IEnumerable<(long Row, string[] Cells)> rows)
    {
        public string Name { get; } = name;
        public IReadOnlyList<string> Header { get; } = header;
        /// <summary>XLSX cells may hold numbers and date serials; CSV cells are always text.</summary>
        public bool FromXlsx { get; } = fromXlsx;
        public IEnumerable<(long Row, string[] Cells)> Rows { get; } = rows;
    }

    static LoanBookSheets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static void Read(string path, Action<Sheet> visit)
    {
        if (Directory.Exists(path))
        {
            // Names are case-insensitive (§1), the extension too: a folder of UPK.CSV is a loan book, as inside a ZIP.
            foreach (var file in Directory.EnumerateFiles(path).Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
            {
                if (SheetName(Path.GetFileNameWithoutExtension(file)) is { } name)
                {
                    using var stream = File.OpenRead(file);
                    visit(Csv(name, stream));
                }
            }
            return;
        }
        using var probe = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var isZip = probe.Read(magic) == 2 && magic[0] == (byte)'P' && magic[1] == (byte)'K';
        probe.Position = 0;
        if (!isZip)
        {
            throw new TabularFormatException("FILE_UNREADABLE", "Buku pinjaman harus XLSX, ZIP berisi CSV, atau folder CSV.",
                "A loan book must be an XLSX workbook, a ZIP of CSV files, or a folder of CSV files.");
        }
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            ReadZip(probe, visit);
            return;
        }
        ReadXlsx(probe, visit);
    }

    private static void ReadZip(Stream stream, Action<Sheet> visit)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        // macOS Finder adds __MACOSX/… with a "._" twin of every file: not part of the book, and a second top folder.
        var csv = zip.Entries.Where(e => e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            && !e.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal) && !Path.GetFileName(e.FullName).StartsWith("._", StringComparison.Ordinal)).ToList();
        // At the root, or all inside one top folder.
        var folders = csv.Select(e => e.FullName.Contains('/', StringComparison.Ordinal) ? e.FullName[..e.FullName.IndexOf('/', StringComparison.Ordinal)] : "").Distinct().ToList();
        var prefix = folders.Count == 1 && folders[0].Length > 0 ? folders[0] + "/" : "";
        foreach (var entry in csv.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var relative = entry.FullName[prefix.Length..];
            if (relative.Contains('/', StringComparison.Ordinal) || SheetName(Path.GetFileNameWithoutExtension(relative)) is not { } name)
            {
                continue;
            }
            using var entryStream = entry.Open();
            visit(Csv(name, entryStream));
        }
    }

    private static Sheet Csv(string name, Stream stream)
    {
        CsvTabularReader reader;
        try
        {
            reader = new CsvTabularReader(stream);
        }
        catch (TabularFormatException e) when (e.Code == "FILE_EMPTY")
        {
            return new Sheet(name, [], false, []);
        }
        return new Sheet(name, reader.Header, false, CsvRows(reader));
    }

    private static IEnumerable<(long, string[])> CsvRows(CsvTabularReader reader)
    {
        while (reader.Read())
        {
            var cells = new string[reader.FieldCount];
            var any = false;
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader[i];
                any |= cells[i].Trim().Length > 0;
            }
            if (any)
            {
                yield return (reader.RowNumber, cells);
            }
        }
    }

    private static void ReadXlsx(Stream stream, Action<Sheet> visit)
    {
        IExcelDataReader reader;
        try
        {
            reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        }
        catch (Exception e) when (e is ExcelDataReader.Exceptions.HeaderException or InvalidDataException or IOException)
        {
            throw new TabularFormatException("FILE_UNREADABLE", "Berkas XLSX rusak atau bukan XLSX.", "The XLSX file is corrupt or not an XLSX workbook.");
        }
        using (reader)
        {
            do
            {
                if (SheetName(reader.Name) is not { } name)
                {
                    continue;
                }
                if (!reader.Read())
                {
                    visit(new Sheet(name, [], true, []));
                    continue;
                }
                var header = new List<string>();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    header.Add(XlsxTabularReader.CellText(reader.GetValue(i)));
                }
                visit(new Sheet(name, header, true, XlsxRows(reader)));
            }
            while (reader.NextResult());
        }
    }

    private static IEnumerable<(long, string[])> XlsxRows(IExcelDataReader reader)
    {
        long row = 1;
        while (reader.Read())
        {
            row++;
            var cells = new string[reader.FieldCount];
            var any = false;
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = XlsxTabularReader.CellText(reader.GetValue(i));
                any |= cells[i].Trim().Length > 0;
            }
            if (any)
            {
                yield return (row, cells);
            }
        }
    }

    private static string? SheetName(string? name) =>
        Names.FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}

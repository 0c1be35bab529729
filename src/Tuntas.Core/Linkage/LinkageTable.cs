namespace Tuntas.Linkage;

/// <summary>
/// Records ready for linkage, by column: <see cref="Ids"/> and one array of prepared values per config field (same order
/// as <see cref="Fields"/>). Columns, not row objects, so a million registry persons cost a few arrays of strings.
/// </summary>
public sealed class LinkageTable(IReadOnlyList<FieldKind> fields, string[] ids, string?[][] values)
{
    public IReadOnlyList<FieldKind> Fields { get; } = fields;
    public string[] Ids { get; } = ids;
    /// <summary>[field][record]: prepared values, null when empty.</summary>
    public string?[][] Values { get; } = values;
    public int Count => Ids.Length;
}

/// <summary>What a delimited file looks like, detected from its first bytes and header line.</summary>
public sealed record FileShape(string Encoding, char Delimiter, IReadOnlyList<string> Header);

/// <summary>
/// Reads an outside list (CSV/TSV/semicolon file) for linkage. The encoding (UTF-8, UTF-16 or Windows-1252 as Excel
/// writes it) and delimiter are detected first for both files; files that differ are refused before any work, since a
/// mismatch silently garbles names (é vs Ã©) or shifts columns.
/// </summary>
public static class LinkageFiles
{
    private const int SniffBytes = 1 << 20;

    public static FileShape Inspect(string path)
    {
        var buffer = new byte[SniffBytes];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        var bytes = buffer.AsSpan(0, read);
        string encoding;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            encoding = "utf-8";
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            encoding = "utf-16le";
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            encoding = "utf-16be";
        }
        else
        {
            encoding = IsUtf8(bytes, truncated: read == SniffBytes) ? "utf-8" : "windows-1252";
        }
        using var reader = new StreamReader(path, EncodingOf(encoding), detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine() ?? "";
        var delimiter = new[] { ',', ';', '\t', '|' }.OrderByDescending(d => header.Count(c => c == d)).First();
        return new FileShape(encoding, delimiter, [.. Csv.SplitLine(header, delimiter).Select(h => h.Trim())]);
    }

    /// <summary>Checks both files and the config's columns; every problem at once, before any record is read.</summary>
    public static (FileShape A, FileShape B) Validate(string pathA, string? pathB, LinkageConfig config)
    {
        var problems = new List<LinkageProblem>();
        FileShape? a = null, b = null;
        if (!File.Exists(pathA))
        {
            problems.Add(new("LINKAGE_BERKAS", pathA, "Berkas A tidak ditemukan.", "File A not found."));
        }
        else
        {
            a = Inspect(pathA);
        }
        if (pathB is not null)
        {
            if (!File.Exists(pathB))
            {
                problems.Add(new("LINKAGE_BERKAS", pathB, "Berkas B tidak ditemukan.", "File B not found."));
            }
            else
            {
                b = Inspect(pathB);
            }
        }
        if (a is not null && b is not null)
        {
            if (a.Encoding != b.Encoding)
            {
                problems.Add(new("LINKAGE_ENCODING_BEDA", "A/B",
                    $"Pengodean berkas berbeda: A {a.Encoding}, B {b.Encoding}. Simpan keduanya sebagai UTF-8.",
                    $"The files' encodings differ: A {a.Encoding}, B {b.Encoding}. Save both as UTF-8."));
            }
            if (a.Delimiter != b.Delimiter)
            {
                problems.Add(new("LINKAGE_PEMISAH_BEDA", "A/B",
                    $"Pemisah kolom berbeda: A '{Show(a.Delimiter)}', B '{Show(b.Delimiter)}'. Simpan keduanya dengan pemisah yang sama.",
                    $"The files' delimiters differ: A '{Show(a.Delimiter)}', B '{Show(b.Delimiter)}'. Save both with the same delimiter."));
            }
        }
        if (a is not null)
        {
            RequireColumns(a, "A", pathA, [config.IdA, .. config.Fields.Select(f => f.A)], problems);
        }
        if (b is not null)
        {
            RequireColumns(b, "B", pathB!, [config.IdB, .. config.Fields.Select(f => f.B)], problems);
        }
        if (problems.Count > 0)
        {
            throw new LinkageException(problems);
        }
        return (a!, b ?? a!);
    }

    /// <summary>Reads the file's id column and the config's columns for one side (<paramref name="sideA"/> picks <c>a</c> or <c>b</c>).</summary>
    public static LinkageTable Read(string path, FileShape shape, LinkageConfig config, bool sideA)
    {
        var idColumn = IndexOf(shape, sideA ? config.IdA : config.IdB);
        var columns = config.Fields.Select(f => IndexOf(shape, sideA ? f.A : f.B)).ToArray();
        var ids = new List<string>();
        var values = config.Fields.Select(_ => new List<string?>()).ToArray();
        using var reader = new StreamReader(path, EncodingOf(shape.Encoding), detectEncodingFromByteOrderMarks: true);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var cells = Csv.SplitLine(line, shape.Delimiter);
            ids.Add(Cell(cells, idColumn) ?? "");
            for (var f = 0; f < columns.Length; f++)
            {
                var field = config.Fields[f];
                var raw = Cell(cells, columns[f]);
                values[f].Add(field.Kind == FieldKind.BirthDate ? BirthDates.Prepare(raw, field.Format!) : Comparisons.Prepare(field.Kind, raw));
            }
        }
        return new LinkageTable([.. config.Fields.Select(f => f.Kind)], [.. ids], [.. values.Select(v => v.ToArray())]);
    }

    private static string? Cell(List<string> cells, int index) => index < cells.Count ? cells[index].Trim() : null;

    private static int IndexOf(FileShape shape, string column)
    {
        for (var i = 0; i < shape.Header.Count; i++)
        {
            if (string.Equals(shape.Header[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static void RequireColumns(FileShape shape, string side, string path, IEnumerable<string> columns, List<LinkageProblem> problems)
    {
        foreach (var column in columns.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IndexOf(shape, column) < 0)
            {
                problems.Add(new("LINKAGE_KOLOM_TIDAK_ADA", $"{side}:{Path.GetFileName(path)}",
                    $"Kolom \"{column}\" tidak ada di berkas {side} (kolom yang ada: {string.Join(", ", shape.Header)}).",
                    $"Column \"{column}\" is not in file {side} (its columns: {string.Join(", ", shape.Header)})."));
            }
        }
    }

    private static string Show(char delimiter) => delimiter == '\t' ? "TAB" : delimiter.ToString();

    private static Encoding EncodingOf(string name) => name switch
    {
        "windows-1252" => Encoding.Latin1,
        "utf-16le" => Encoding.Unicode,
        "utf-16be" => Encoding.BigEndianUnicode,
        _ => new UTF8Encoding(false),
    };

    /// <summary>Strict UTF-8 check of the sniffed bytes; a sequence cut by the sniff window's end is not held against the file.</summary>
    private static bool IsUtf8(ReadOnlySpan<byte> bytes, bool truncated)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            var length = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
            if (length == 0)
            {
                return false;
            }
            if (i + length > bytes.Length)
            {
                return truncated;
            }
            for (var k = 1; k < length; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80)
                {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }
}

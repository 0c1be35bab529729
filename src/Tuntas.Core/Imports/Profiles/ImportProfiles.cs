using Tuntas.Imports.Tabular;

namespace Tuntas.Imports.Profiles;

/// <summary>
/// The layouts a family file may come in (docs/import-profiles.md), recognised from the header: <c>tuntas</c> (the
/// import format, docs/import-format.md), <c>opensid-penduduk</c> (OpenSID's population import/export) and
/// <c>opensid-dtks</c> (OpenSID's REGSOSEK2022.K workbook, recognised by its sheets) and <c>bdt-2015</c> (the PBDT 2015
/// data in OpenSID's BDT template, which updates registered persons only). A profile
/// other than <c>tuntas</c> is a translating <see cref="TabularReader"/> over the file, so every check of the import
/// applies unchanged.
/// </summary>
public static class ImportProfiles
{
    public const string Tuntas = "tuntas";
    public const string OpenSidPenduduk = "opensid-penduduk";
    public const string OpenSidDtks = "opensid-dtks";
    public const string Bdt2015 = "bdt-2015";

    public static IReadOnlyList<string> Names { get; } = [Tuntas, OpenSidPenduduk, OpenSidDtks, Bdt2015];

    /// <summary>Sheets read first when a workbook has several: OpenSID's population sheet.</summary>
    public static IReadOnlyList<string> PreferredSheets { get; } = [OpenSidPendudukLayout.SheetName];

    /// <summary>Columns only the Tuntas format has, and only OpenSID has: a header with both is a mixed file.</summary>
    private static readonly string[] _tuntasOnly = ["KODE_DESA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "HUBUNGAN_KK", "PENDIDIKAN", "TEMPAT_LAHIR", "DISABILITAS"];
    private static readonly string[] _openSidOnly = ["sex", "tanggallahir", "tempatlahir", "kk_level", "pendidikan_kk_id", "cacat_id", "dusun"];

    /// <summary>The layout a header is certainly a file of: BDT's template, or a header with a column only OpenSID's
    /// population file or only the Tuntas format has. A sheet of notes with a NIK column is none (null).</summary>
    public static string? LayoutOf(IReadOnlyList<string> header)
    {
        if (Bdt2015Layout.Recognises(header))
        {
            return Bdt2015;
        }
        var names = HeaderNames(header);
        return _openSidOnly.Any(names.Contains) ? OpenSidPenduduk : _tuntasOnly.Any(names.Contains) ? Tuntas : null;
    }

    /// <summary>OpenSID's code list beside its data sheet (its header names OpenSID's columns, as "sex"): no data file.</summary>
    internal const string CodeListSheet = "Kode Data";

    /// <summary>
    /// The layout of a sheet that is a data file of its own (Tuntas, OpenSID's population, BDT 2015), as an operator names
    /// it, or null: among its first rows (<see cref="XlsxTabularReader.SheetHeads"/>), a header with at least two columns
    /// only that layout has (or BDT's template), with a row of data below it. One such column is not enough: a sheet of
    /// instructions lists the columns one per row ("sex", "1 = laki-laki").
    /// </summary>
    private static string? DataSheetLayout(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        for (var i = 0; i + 1 < rows.Count; i++)
        {
            var names = HeaderNames(rows[i]);
            var layout = Bdt2015Layout.Recognises(rows[i]) ? Bdt2015
                : _openSidOnly.Count(names.Contains) >= 2 ? OpenSidPenduduk
                : _tuntasOnly.Count(names.Contains) >= 2 ? Tuntas
                : null;
            if (layout is not null && rows.Skip(i + 1).Any(r => r.Any(c => c.Trim().Length > 0)))
            {
                return DisplayName(layout);
            }
        }
        return null;
    }

    /// <summary>
    /// A workbook of the Tuntas format, OpenSID's population or BDT 2015 is read from one sheet. Another visible sheet
    /// that is itself a data file (<see cref="DataSheetLayout"/>: of any of these layouts, the same one included, a
    /// second kecamatan's sheet; its header in its first rows, below a title too) would not be imported, and was passed over without a word (a user's
    /// test: a Tuntas sheet beside "Data Penduduk"): the file is refused, nothing written, as the DTKS workbook's mixed
    /// sheets are. Sheets of notes, empty and hidden sheets and OpenSID's "Kode Data" are left alone. Judged from the
    /// rows the reader kept of each sheet (<see cref="XlsxTabularReader.SheetHeads"/>): no second unpacking.
    /// </summary>
    private static void RefuseOtherDataSheets(TabularReader reader, string profile)
    {
        if (reader is not XlsxTabularReader { SheetNames.Count: > 1 } book)
        {
            return;
        }
        foreach (var (other, rows) in book.SheetHeads)
        {
            if (other.Trim().Equals(book.SheetName.Trim(), StringComparison.OrdinalIgnoreCase) || other.Trim().Equals(CodeListSheet, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (DataSheetLayout(rows) is { } layout)
            {
                throw TabularFormatException.From(ImportMessages.Issue(1, other, null, "PROFILE_MIXED_WORKBOOK", other, layout, DisplayName(profile), book.SheetName));
            }
        }
    }

    /// <summary>A header's column names as typed (spaces and a byte-order mark around them dropped), any case; no blanks.</summary>
    private static HashSet<string> HeaderNames(IReadOnlyList<string> header) =>
        header.Select(h => h.Trim().TrimStart('\uFEFF')).Where(h => h.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>A profile as an operator knows it, the same in both languages ("OpenSID penduduk", "BDT 2015").</summary>
    public static string DisplayName(string profile) => profile switch
    {
        Tuntas => "Tuntas",
        OpenSidPenduduk => "OpenSID penduduk",
        OpenSidDtks => "DTKS REGSOSEK2022.K",
        Bdt2015 => "BDT 2015",
        _ => profile,
    };

    /// <summary>The profile a header belongs to, or a header finding (PROFILE_MIXED, PROFILE_UNKNOWN, PROFILE_UNKNOWN_TEXT, FILE_EMPTY).</summary>
    public static (string? Profile, ImportIssue? Problem) Detect(IReadOnlyList<string> header, string sheet, IReadOnlyList<string> sheets)
    {
        var names = HeaderNames(header);
        var tuntas = _tuntasOnly.Where(names.Contains).ToList();
        var openSid = _openSidOnly.Where(names.Contains).ToList();
        if (tuntas.Count > 0 && openSid.Count > 0)
        {
            return (null, ImportMessages.Issue(1, null, null, "PROFILE_MIXED", string.Join(", ", tuntas), string.Join(", ", openSid)));
        }
        if (openSid.Count > 0)
        {
            return (OpenSidPenduduk, null);
        }
        if (tuntas.Count > 0 || names.Contains("NIK") || names.Contains("NO_KK"))
        {
            return (Tuntas, null);
        }
        // A text file has no sheets to name: its first columns instead. A first row with nothing in it is an empty file
        // (unless a header lies below it: HEADER_BELOW_TITLE), not an unknown layout.
        return names.Count == 0 ? (null, ImportMessages.Issue(1, null, null, "FILE_EMPTY"))
            : sheets.Count == 0 ? (null, ImportMessages.Issue(1, null, null, "PROFILE_UNKNOWN_TEXT", string.Join(", ", names.Take(8))))
            : (null, ImportMessages.Issue(1, null, null, "PROFILE_UNKNOWN", sheet, string.Join(", ", sheets)));
    }

    /// <summary>
    /// Opens a family file: the preferred sheet of a workbook, the profile asked for or detected, and the translating
    /// reader that presents the file in the Tuntas layout. Throws <see cref="TabularFormatException"/> for a file that
    /// cannot be read as any profile.
    /// </summary>
    public static Opened Open(string path, string? profile, ProfileContext? openSid)
    {
        if (profile is not null && !Names.Contains(profile))
        {
            throw TabularFormatException.From(ImportMessages.Issue(0, null, profile, "PROFILE_NAME", profile, string.Join(", ", Names)));
        }
        var reader = TabularReader.Open(path, preferredSheets: PreferredSheets);
        try
        {
            var (sheet, sheets) = reader is XlsxTabularReader xlsx ? (xlsx.SheetName, xlsx.SheetNames) : ("", (IReadOnlyList<string>)[]);
            // A DTKS workbook is recognised by its two sheets, not by a header: its first rows are section titles.
            if (profile == OpenSidDtks || (profile is null && OpenSidDtksLayout.Recognises(sheets)))
            {
                if (reader is not XlsxTabularReader)
                {
                    throw TabularFormatException.From(ImportMessages.Issue(1, null, null, "DTKS_SHEETS", "—"));
                }
                reader.Dispose();
                var dtks = new OpenSidDtksLayout.Reader(path, openSid ?? throw new ArgumentNullException(nameof(openSid)));
                return new Opened(dtks, OpenSidDtks, dtks.Sheets);
            }
            if (profile == Bdt2015 || (profile is null && Bdt2015Layout.Recognises(reader.Header)))
            {
                // BDT's template beside columns of the Tuntas format or OpenSID's population file (pasted together, or a
                // BDT sheet extended by hand) is two layouts in one file: refused, as a Tuntas/OpenSID mix is. Read as
                // BDT, the other columns were only "unknown column" warnings and their data silently not imported.
                var names = HeaderNames(reader.Header);
                var foreign = _tuntasOnly.Concat(_openSidOnly).Where(names.Contains).ToList();
                if (foreign.Count > 0)
                {
                    throw TabularFormatException.From(ImportMessages.Issue(1, null, null, "PROFILE_MIXED_BDT", string.Join(", ", foreign)));
                }
                RefuseOtherDataSheets(reader, Bdt2015);
                return new Opened(new Bdt2015Layout.Reader(reader, openSid ?? throw new ArgumentNullException(nameof(openSid))), Bdt2015, sheet);
            }
            var (detected, problem) = Detect(reader.Header, sheet, sheets);
            if (problem is not null && (profile is null || problem.Code == "PROFILE_MIXED"))
            {
                throw TabularFormatException.From(problem.Code is "PROFILE_UNKNOWN" or "PROFILE_UNKNOWN_TEXT" or "FILE_EMPTY" && HeaderBelowTitle(reader) is { } below ? below : problem);
            }
            var chosen = profile ?? detected!;
            RefuseOtherDataSheets(reader, chosen);
            if (chosen == OpenSidPenduduk)
            {
                var context = openSid ?? throw new ArgumentNullException(nameof(openSid));
                context.ReadsFileNiksWith(() => NikCells(path));
                return new Opened(new OpenSidPendudukLayout.Reader(reader, context), chosen, sheet);
            }
            return new Opened(reader, chosen, sheet);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public sealed record Opened(TabularReader Reader, string Profile, string Sheet);

    /// <summary>Rows below the first searched for a header a village typed a title above.</summary>
    private const int TitleRows = 10;

    /// <summary>
    /// A village's file often has a title typed above its table ("DATA PENDUDUK DESA KEDEN, KEC. KALIJAMBE"): the
    /// header a profile would recognise is then a row or two down. The import reads the header from the first row, as
    /// OpenSID's own importer does, so it says where the header is and what to delete (<c>HEADER_BELOW_TITLE</c>)
    /// instead of that the header is unknown.
    /// </summary>
    private static ImportIssue? HeaderBelowTitle(TabularReader reader)
    {
        while (reader.RowNumber <= TitleRows && reader.Read())
        {
            var cells = Enumerable.Range(0, reader.FieldCount).Select(i => reader[i]).ToList();
            if (Detect(cells, "", []).Profile is not null)
            {
                return ImportMessages.Issue(reader.RowNumber, null, null, "HEADER_BELOW_TITLE", reader.RowNumber, reader.RowNumber - 1);
            }
        }
        return null;
    }

    /// <summary>The <c>nik</c> column of an OpenSID population file, every row, read on its own.</summary>
    private static IEnumerable<string> NikCells(string path)
    {
        using var reader = TabularReader.Open(path, preferredSheets: PreferredSheets);
        var column = reader.Header.ToList().FindIndex(h => h.Trim().TrimStart('\uFEFF').Equals("nik", StringComparison.OrdinalIgnoreCase));
        if (column < 0)
        {
            yield break;
        }
        while (reader.Read())
        {
            if (column < reader.FieldCount)
            {
                yield return reader[column];
            }
        }
    }
}

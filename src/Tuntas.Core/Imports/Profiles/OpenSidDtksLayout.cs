using System.Text.RegularExpressions;
using Tuntas.Imports.Tabular;
using Tuntas.Registry;
using Tuntas.Registry.Exports;

namespace Tuntas.Imports.Profiles;

/// <summary>
/// OpenSID's REGSOSEK2022.K (DTKS) workbook (DTKSRegsosEk2022k::ekspor, v2410; code lists Regsosek2022kEnum), the
/// layout <see cref="ExportDtks"/> also writes: sheet "Keluarga" (two header rows, section titles then question codes,
/// one row per family, NO_KK in 114) and sheet "Anggota Keluarga" (three header rows, one row per member, NO_KK in
/// "No KK"). The family sheet is read whole first (one entry per family, keyed by NO_KK), then the member sheet is
/// streamed, each member row joined with its family; families of the family sheet without a member row come last as
/// family-only rows. Every column and code mapping is in docs/import-profiles.md.
/// </summary>
public static partial class OpenSidDtksLayout
{
    public const string FamilySheet = ExportDtks.FamilySheet;

    /// <summary>The member sheet: OpenSID's name, and the short name the REGSOSEK manuals use.</summary>
    public static IReadOnlyList<string> MemberSheets { get; } = [ExportDtks.MemberSheet, "Anggota"];

    /// <summary>Tuntas family column ← question code of the family sheet (RT and RW both come from 106).</summary>
    public static IReadOnlyList<(string Tuntas, string Code)> FamilyMapping { get; } =
    [
        ("NO_KK", "114"), ("ALAMAT", "107"), ("RT", "106"), ("RW", "106"),
        ("STATUS_BANGUNAN", "301a"), ("LUAS_LANTAI", "302"), ("JENIS_LANTAI", "303"), ("JENIS_DINDING", "304"), ("JENIS_ATAP", "305"),
        ("SUMBER_AIR_MINUM", "306a"), ("SUMBER_PENERANGAN", "307a"), ("DAYA_LISTRIK", "307b1"), ("BAHAN_BAKAR_MASAK", "308"),
        ("FASILITAS_BAB", "309a"), ("ASET_KULKAS", "502b"), ("ASET_AC", "502c"), ("ASET_TV", "502f"), ("ASET_EMAS_10G", "502g"),
        ("ASET_KOMPUTER", "502h"), ("ASET_SEPEDA_MOTOR", "502i"), ("ASET_MOBIL", "502k"), ("ASET_PERAHU_MOTOR", "502m"),
        ("ASET_SMARTPHONE", "502n"), ("TERNAK_SAPI", "504a"), ("TERNAK_KAMBING", "504e"), ("ASET_REKENING", "506"),
    ];

    /// <summary>Tuntas person column ← question code of the member sheet.</summary>
    public static IReadOnlyList<(string Tuntas, string Code)> MemberMapping { get; } =
    [
        ("NIK", "403"), ("NAMA", "402"), ("JENIS_KELAMIN", "405"), ("TANGGAL_LAHIR", "406"), ("HUBUNGAN_KK", "409"),
        ("STATUS_KAWIN", "408"), ("PENDIDIKAN", "415"), ("STATUS_SEKOLAH", "412"), ("BEKERJA", "416a"), ("HAMIL", "410"),
        ("STATUS_DASAR", "404"),
    ];

    private static OpenSidPendudukLayout.Codes Map(string choices, params (int Code, string Value)[] pairs) =>
        new(choices, pairs.ToDictionary(p => p.Code, p => p.Value), new Dictionary<string, int>(StringComparer.Ordinal));

    private static OpenSidPendudukLayout.Codes Same(int from, int to) =>
        Map($"{from}–{to}", [.. Enumerable.Range(from, to - from + 1).Select(c => (c, c.ToString(CultureInfo.InvariantCulture)))]);

    /// <summary>Regsosek2022kEnum::YA_TIDAK: 1 ya → 1, 2 tidak → 0.</summary>
    public static readonly OpenSidPendudukLayout.Codes YaTidak = new("1–2", new Dictionary<int, string> { [1] = "1", [2] = "0" },
        new Dictionary<string, int>(StringComparer.Ordinal) { ["YA"] = 1, ["TIDAK"] = 2 });

    /// <summary>307b1: the band's watts; 5 (more than 2,200 W) has no single value and is read as unknown.</summary>
    public static readonly OpenSidPendudukLayout.Codes Daya = Map("1–5", (1, "450"), (2, "900"), (3, "1300"), (4, "2200"), (5, ""));

    /// <summary>404 keberadaan → OpenSID's status_dasar: 1 tinggal bersama and 5 anggota baru living, 2 meninggal, 3/4
    /// pindah (in Indonesia / abroad), 6 tidak ditemukan → hilang.</summary>
    public static readonly OpenSidPendudukLayout.Codes Keberadaan = Map("1–6", (1, "1"), (2, "2"), (3, "3"), (4, "3"), (5, "1"), (6, "4"));

    /// <summary>412 partisipasi sekolah → STATUS_SEKOLAH: 1 tidak/belum pernah → 0, 2 masih → 1, 3 tidak lagi → 2.</summary>
    public static readonly OpenSidPendudukLayout.Codes Sekolah = Map("1–3", (1, "0"), (2, "1"), (3, "2"));

    /// <summary>409 (8 codes) → SHDK: 2 istri/suami by sex, 6 orang tua/mertua → orang tua, 7 pembantu/sopir →
    /// pembantu, 8 lainnya → lainnya.</summary>
    public static string? Hubungan(int code, string sex) => code switch
    {
        1 => "1",
        2 => sex == "2" ? "3" : "2",
        3 => "4",
        4 => "5",
        5 => "6",
        6 => "7",
        7 => "10",
        8 => "11",
        _ => null,
    };

    /// <summary>415 ijazah tertinggi (Regsosek2022kEnum 413 + 23) → the KK's PENDIDIKAN: SD-level certificates 3, SMP
    /// level 4, SMA level 5, D1/D2/D3 6, D4/S1 and profesi 8, S2 9, S3 10; 23 (no SD certificate) is 1 for a person who
    /// never went to school (412 = 1), else 2.</summary>
    public static string? Pendidikan(int code, string sekolah) => code switch
    {
        >= 1 and <= 5 => "3",
        >= 6 and <= 10 => "4",
        >= 11 and <= 17 => "5",
        18 => "6",
        19 or 20 => "8",
        21 => "9",
        22 => "10",
        23 => sekolah == "0" ? "1" : "2",
        _ => null,
    };

    private static readonly OpenSidPendudukLayout.Codes _sex = Same(1, 2);
    private static readonly OpenSidPendudukLayout.Codes _kawin = Same(1, 4);

    private static readonly Dictionary<string, OpenSidPendudukLayout.Codes> _familyCodes = new(StringComparer.Ordinal)
    {
        ["STATUS_BANGUNAN"] = Same(1, 6),
        ["JENIS_LANTAI"] = Same(1, 9),
        ["JENIS_DINDING"] = Same(1, 7),
        ["JENIS_ATAP"] = Same(1, 8),
        ["SUMBER_AIR_MINUM"] = Same(1, 13),
        ["SUMBER_PENERANGAN"] = Same(1, 4),
        ["DAYA_LISTRIK"] = Daya,
        ["BAHAN_BAKAR_MASAK"] = Same(1, 12),
        ["FASILITAS_BAB"] = Same(1, 6),
    };

    [GeneratedRegex(@"\bRT\.?\s*0*(\d{1,3})\b", RegexOptions.IgnoreCase)]
    private static partial Regex RtPattern();

    [GeneratedRegex(@"\bRW\.?\s*0*(\d{1,3})\b", RegexOptions.IgnoreCase)]
    private static partial Regex RwPattern();

    /// <summary>The question code of a header cell: its first word ("402 Nama" → 402); "No KK" as is.</summary>
    private static string CodeOf(string header)
    {
        var text = header.Trim();
        if (text.Equals("No KK", StringComparison.OrdinalIgnoreCase))
        {
            return "No KK";
        }
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? text : text[..space];
    }

    /// <summary>Whether a workbook is a DTKS workbook: a "Keluarga" sheet and a member sheet.</summary>
    public static bool Recognises(IReadOnlyList<string> sheets) =>
        sheets.Any(s => s.Trim().Equals(FamilySheet, StringComparison.OrdinalIgnoreCase))
        && sheets.Any(s => MemberSheets.Any(m => s.Trim().Equals(m, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The DTKS workbook presented in the Tuntas layout.</summary>
    public sealed class Reader : ProfileReader
    {
        /// <summary>"Anggota Keluarga!403 NIK" is question 403 of its sheet, as <see cref="ProfileReader.SourceColumns"/> names it.</summary>
        public override string SourceName(string fileColumn) =>
            fileColumn.IndexOf('!', StringComparison.Ordinal) is var bang and >= 0 ? fileColumn[..(bang + 1)] + CodeOf(fileColumn[(bang + 1)..]) : fileColumn;

        private sealed class FamilyEntry(long row, string[] cells)
        {
            public long Row { get; } = row;
            public string[] Cells { get; } = cells;
            public bool HasMembers { get; set; }
        }

        private readonly ProfileContext _context;
        private readonly XlsxTabularReader _members;
        private readonly Dictionary<string, FamilyEntry> _families = new(StringComparer.Ordinal);
        private readonly List<FamilyEntry> _familyOrder = [];
        private readonly Dictionary<string, int> _memberIndex = new(StringComparer.OrdinalIgnoreCase);
        private readonly string[] _cells;
        private readonly int _familyColumns;
        private readonly List<ImportIssue> _rowIssues = [];
        private readonly int _kk411;
        private int _leftover = -1;
        private bool _familyOnly;

        private static readonly HashSet<string> _defaulted = new(StringComparer.Ordinal) { "DISABILITAS" };

        public override IReadOnlySet<string> DefaultedColumns => _defaulted;

        /// <summary>409's orang tua/mertua (HUBUNGAN_KK 7 or 8) and lainnya (9 famili lain or 11), 415's D1/D2/D3
        /// certificate (PENDIDIKAN 6 or 7).</summary>
        public override IReadOnlyDictionary<string, IReadOnlyDictionary<int, int[]>> Folds { get; } = new Dictionary<string, IReadOnlyDictionary<int, int[]>>(StringComparer.Ordinal)
        {
            ["HUBUNGAN_KK"] = new Dictionary<int, int[]> { [7] = [7, 8], [11] = [9, 11] },
            ["PENDIDIKAN"] = new Dictionary<int, int[]> { [6] = [6, 7] },
        };

        /// <summary>307b1 has no answer for a family without PLN (0 W) and one band, 5, for everything above 2,200 W, read
        /// as unknown: the registry's 0 W or its exact power above 2,200 W stays where the file has no answer or band 5,
        /// so the registry's own DTKS export imported back changes nothing.</summary>
        /// <remarks>410 (pregnancy) is health data: the registry's DTKS export leaves it empty for a reader who may not see
        /// sensitive fields (a village operator), so an empty 410 keeps the registry's value, or that operator's own export
        /// imported back would erase every recorded pregnancy of the village.</remarks>
        public override IReadOnlyDictionary<string, Func<object, bool>> KeptWhenEmpty => _keptWhenEmpty;

        private readonly Dictionary<string, Func<object, bool>> _keptWhenEmpty = new(StringComparer.Ordinal)
        {
            ["DAYA_LISTRIK"] = registry => registry is int watts && (watts == 0 || watts > 2200),
            ["HAMIL"] = AnyValue,
            // 106 (SLS: often a dusun's name, or "RT 003" with no RW) and 107 (address, often empty) say less than the
            // village's OpenSID file: a DTKS workbook after the population file must not blank the address and RT/RW
            // that file set (a partial update leaves what it does not know).
            ["ALAMAT"] = AnyValue,
            ["RT"] = AnyValue,
            ["RW"] = AnyValue,
        };

        /// <summary>23 (no SD certificate) without 412 says "tidak/belum sekolah" (1) or "belum tamat SD" (2) alike: the
        /// registry's 1 stays. The registry's own DTKS export writes 23 and no 412 for a 1 whose schooling it does not know,
        /// and read back as 2 it turned every such elder to 2, and the village's next OpenSID file back to 1, each time
        /// with a history line (a user's test).</summary>
        private bool NeverSchooled(int code, string nik) => code == 23 && _context.RegisteredNeverSchooled?.Invoke(nik) == true;

        public override bool FamilyOnlyRow => _familyOnly;

        public override IReadOnlyList<ImportIssue> RowIssues => _rowIssues;

        /// <summary>The sheets read, for the report.</summary>
        public string Sheets { get; }

        /// <summary>Member questions a workbook may lack: schooling, work and pregnancy. Identity (402, 403, 405, 406), the
        /// KK relationship (409), marital status (408), presence (404) and the certificate (415) stay required: the
        /// registry requires a person's education (PENDIDIKAN 1–10, no "unknown"), so a workbook without 415 was refused
        /// on every member row (REQUIRED) while its header said the column's values were kept; it is refused once, at the
        /// header (COLUMN_MISSING).</summary>
        private static readonly HashSet<string> _optionalMemberCodes = new(StringComparer.Ordinal) { "412", "416a", "410" };

        /// <summary>The mapped questions the workbook lacks (<c>Keluarga!502n</c>), said once as a header warning.</summary>
        private readonly List<string> _absentColumns = [];

        public Reader(string path, ProfileContext context, TabularLimits? limits = null)
        {
            _context = context;
            limits ??= TabularLimits.Default;
            var header = new List<string> { "KODE_DESA" };
            header.AddRange(FamilyMapping.Select(m => m.Tuntas));
            _familyColumns = header.Count;
            header.AddRange(MemberMapping.Select(m => m.Tuntas));
            Header = header;
            FieldCount = header.Count;
            _cells = new string[header.Count];
            SourceColumns["KODE_DESA"] = "--village";
            foreach (var (tuntas, code) in FamilyMapping)
            {
                SourceColumns[tuntas] = FamilySheet + "!" + code;
            }
            if (context.VillageIssue() is { } villageIssue)
            {
                HeaderIssues.Add(villageIssue);
            }
            else if (context.VillageNote() is { } villageNote)
            {
                HeaderIssues.Add(villageNote);
            }

            using (var families = Open(path, limits, [FamilySheet], 2))
            {
                if (!families.SheetName.Trim().Equals(FamilySheet, StringComparison.OrdinalIgnoreCase))
                {
                    throw TabularFormatException.From(ImportMessages.Issue(1, null, null, "DTKS_SHEETS", string.Join(", ", families.SheetNames)));
                }
                LoadFamilies(families);
            }
            _members = Open(path, limits, MemberSheets, 3);
            try
            {
                var sheet = _members.SheetName.Trim();
                if (!MemberSheets.Any(m => m.Equals(sheet, StringComparison.OrdinalIgnoreCase)))
                {
                    throw TabularFormatException.From(ImportMessages.Issue(1, null, null, "DTKS_SHEETS", string.Join(", ", _members.SheetNames)));
                }
                Sheets = FamilySheet + " + " + _members.SheetName;
                // A workbook that also holds the village's OpenSID population sheet (or any other) is read as DTKS: that
                // sheet was passed over without a word, and an operator took its persons for imported (a user's test).
                var others = _members.SheetNames.Where(n => !n.Trim().Equals(FamilySheet, StringComparison.OrdinalIgnoreCase)
                    && !n.Trim().Equals(sheet, StringComparison.OrdinalIgnoreCase)
                    && !n.Trim().Equals(ImportProfiles.CodeListSheet, StringComparison.OrdinalIgnoreCase)).ToList();
                // A sheet that is itself a file of another layout (the village's OpenSID population, a Tuntas file) makes
                // the workbook two files in one: refused, nothing written, as every mix of layouts is; the operator
                // saves that sheet as a file of its own. A sheet of notes is only named.
                var mixed = false;
                foreach (var other in others)
                {
                    if (_members.SheetHeads.TryGetValue(other, out var rows) && rows.Count > 0 && ImportProfiles.LayoutOf(rows[0]) is { } layout)
                    {
                        HeaderIssues.Add(ImportMessages.Issue(1, other, null, "PROFILE_MIXED_SHEETS", other, ImportProfiles.DisplayName(layout), Sheets));
                        mixed = true;
                    }
                }
                if (others.Count > 0 && !mixed)
                {
                    HeaderIssues.Add(ImportMessages.Issue(1, null, null, "SHEETS_NOT_READ", string.Join(", ", others.Select(n => "'" + n + "'")), Sheets));
                }
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < _members.Header.Count; i++)
                {
                    // "417" and "417 Tulis" are two questions: a header repeats only when its whole text does.
                    var text = _members.Header[i].Trim();
                    if (text.Length > 0)
                    {
                        FileColumns.Add(_members.SheetName + "!" + text);
                    }
                    if (text.Length > 0 && !seen.Add(text))
                    {
                        HeaderIssues.Add(ImportMessages.Issue(_members.RowNumber, _members.SheetName + "!" + text, null, "COLUMN_DUPLICATE", text));
                    }
                    _memberIndex.TryAdd(CodeOf(text), i);
                }
                // No KK joins a member to its family of the family sheet.
                AlsoRead.Add(_members.SheetName + "!No KK");
                foreach (var (tuntas, code) in MemberMapping)
                {
                    SourceColumns[tuntas] = _members.SheetName + "!" + code;
                    if (_memberIndex.ContainsKey(code))
                    {
                        continue;
                    }
                    if (_optionalMemberCodes.Contains(code))
                    {
                        _keptWhenEmpty[tuntas] = AnyValue;
                        _absentColumns.Add(_members.SheetName + "!" + code);
                        continue;
                    }
                    HeaderIssues.Add(ImportMessages.Issue(_members.RowNumber, _members.SheetName + "!" + code, null, "COLUMN_MISSING", _members.SheetName + "!" + code));
                }
                if (_absentColumns.Count > 0)
                {
                    HeaderIssues.Add(ImportMessages.Issue(1, null, null, "COLUMNS_ABSENT_KEPT", string.Join(", ", _absentColumns)));
                }
                if (!_memberIndex.ContainsKey("No KK"))
                {
                    HeaderIssues.Add(ImportMessages.Issue(_members.RowNumber, _members.SheetName + "!No KK", null, "COLUMN_MISSING", _members.SheetName + "!No KK"));
                }
                _kk411 = _memberIndex.GetValueOrDefault("411", -1);
            }
            catch
            {
                _members.Dispose();
                throw;
            }
            RowNumber = 1;
        }

        private static XlsxTabularReader Open(string path, TabularLimits limits, IReadOnlyList<string> sheets, int headerRows)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            try
            {
                return new XlsxTabularReader(stream, limits, sheets, headerRows);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>Reads the family sheet whole: a repeated or missing NO_KK and an unknown code are header findings
        /// (the whole file is refused before any row is read), each with its row of the family sheet.</summary>
        private void LoadFamilies(XlsxTabularReader families)
        {
            var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < families.Header.Count; i++)
            {
                var code = CodeOf(families.Header[i]);
                if (code.Length > 0)
                {
                    FileColumns.Add(FamilySheet + "!" + families.Header[i].Trim());
                    index.TryAdd(code, i);
                }
            }
            // Only 114 (the KK) is required. A workbook without some housing or asset question (an older OpenSID, a
            // column an operator deleted) imports what it has: the missing question leaves the registry's value, and a
            // new family's is unknown, which the targeting engine handles as unknown (a partial update).
            var absent = FamilyMapping.Select(m => m.Code).Distinct().Where(c => !index.ContainsKey(c)).ToList();
            foreach (var code in absent)
            {
                if (code == "114")
                {
                    HeaderIssues.Add(ImportMessages.Issue(families.RowNumber, FamilySheet + "!" + code, null, "COLUMN_MISSING", FamilySheet + "!" + code));
                    continue;
                }
                foreach (var (tuntas, _) in FamilyMapping.Where(m => m.Code == code))
                {
                    _keptWhenEmpty[tuntas] = AnyValue;
                }
            }
            _absentColumns.AddRange(absent.Where(c => c != "114").Select(c => FamilySheet + "!" + c));
            if (!index.TryGetValue("114", out var noKkIndex))
            {
                return;
            }
            int? province = index.TryGetValue("101", out var p) ? p : null, regency = index.TryGetValue("102", out var r) ? r : null;
            while (families.Read())
            {
                string Cell(int i) => i < families.FieldCount ? Clean(families[i]) : "";
                var noKk = Cell(noKkIndex);
                if (noKk.Length == 0)
                {
                    HeaderIssues.Add(ImportMessages.Issue(families.RowNumber, FamilySheet + "!114", null, "REQUIRED"));
                    continue;
                }
                var region = (province is { } pi ? Cell(pi) : "") + "." + (regency is { } ri ? Cell(ri) : "");
                if (_context.Village is { } village && region != "." && region != village[..5])
                {
                    HeaderIssues.Add(ImportMessages.Issue(families.RowNumber, FamilySheet + "!101", region, "DTKS_REGION", region, village));
                }
                var cells = new string[_familyColumns];
                cells[0] = _context.Village ?? "";
                for (var k = 0; k < FamilyMapping.Count; k++)
                {
                    var (tuntas, code) = FamilyMapping[k];
                    var raw = index.TryGetValue(code, out var at) ? Cell(at) : "";
                    var value = TranslateFamily(tuntas, raw);
                    if (value is null)
                    {
                        HeaderIssues.Add(ImportMessages.Issue(families.RowNumber, FamilySheet + "!" + code, Shorten(raw), "CODE_UNKNOWN", raw, _familyCodes.GetValueOrDefault(tuntas)?.Choices ?? YaTidak.Choices));
                        value = "";
                    }
                    else if (tuntas != "NO_KK" && value.Length > 0 && RegistryFields.FamilyRule(tuntas) is { } rule
                        && RegistryFields.Parse(rule, value, _familyCheck) is { Error: { } error, Arg: var arg })
                    {
                        // A value the registry refuses (301a = 6, a floor area of "luas"): said once, on the family
                        // sheet's row, where it was said on the row of each of the family's members on the member sheet.
                        HeaderIssues.Add(ImportMessages.Issue(families.RowNumber, FamilySheet + "!" + code, Shorten(raw), error, arg));
                        value = "";
                    }
                    cells[k + 1] = value;
                }
                var entry = new FamilyEntry(families.RowNumber, cells);
                if (!_families.TryAdd(noKk, entry))
                {
                    HeaderIssues.Add(ImportMessages.Issue(families.RowNumber, FamilySheet + "!114", NoKk.Mask(noKk), "DTKS_FAMILY_REPEATED", _families[noKk].Row));
                    continue;
                }
                _familyOrder.Add(entry);
            }
        }

        /// <summary>How the family sheet's values are checked before any member row is read: the registry's rules of the
        /// family fields, which hold no date (today does not matter).</summary>
        private static readonly RegistryFields.Context _familyCheck = new() { Today = DateOnly.MaxValue };

        private static string? TranslateFamily(string column, string cell)
        {
            switch (column)
            {
                case "NO_KK" or "ALAMAT" or "LUAS_LANTAI" or "TERNAK_SAPI" or "TERNAK_KAMBING":
                    return cell == "-" ? "" : cell;
                // Padded as the registry stores them ("RT 3" → 003), so the preview shows what the import writes.
                case "RT":
                    return RtPattern().Match(cell) is { Success: true } rt ? rt.Groups[1].Value.PadLeft(3, '0') : "";
                case "RW":
                    return RwPattern().Match(cell) is { Success: true } rw ? rw.Groups[1].Value.PadLeft(3, '0') : "";
            }
            return (_familyCodes.GetValueOrDefault(column) ?? YaTidak).Translate(cell);
        }

        public override double Position => _members.Position;

        public override string this[int index] => _cells[index] ?? "";

        public override bool Read()
        {
            _rowIssues.Clear();
            if (_leftover < 0)
            {
                if (_members.Read())
                {
                    ReadMember();
                    return true;
                }
                _leftover = 0;
            }
            // Families of the family sheet without members: family-only rows (docs/import-profiles.md).
            while (_leftover < _familyOrder.Count)
            {
                var family = _familyOrder[_leftover++];
                if (family.HasMembers)
                {
                    continue;
                }
                _familyOnly = true;
                RowNumber = family.Row;
                family.Cells.CopyTo(_cells, 0);
                Array.Fill(_cells, "", _familyColumns, _cells.Length - _familyColumns);
                return true;
            }
            return false;
        }

        private void ReadMember()
        {
            _familyOnly = false;
            RowNumber = _members.RowNumber;
            // OpenSID v2410 writes the value of 411 twice, which shifts every later value one column to the right of
            // its header (docs/import-profiles.md); Tuntas' own export leaves 411 empty.
            var shifted = _kk411 >= 0 && _kk411 + 1 < _members.FieldCount && Member(_kk411).Length > 0 && Member(_kk411) == Member(_kk411 + 1);
            string Cell(string code) => _memberIndex.TryGetValue(code, out var i) ? Member(shifted && i > _kk411 ? i + 1 : i) : "";
            var noKk = Cell("No KK");
            if (_families.TryGetValue(noKk, out var family))
            {
                family.HasMembers = true;
                family.Cells.CopyTo(_cells, 0);
            }
            else
            {
                Array.Fill(_cells, "", 0, _familyColumns);
                _cells[0] = _context.Village ?? "";
                _cells[1] = noKk;
                if (noKk.Length > 0)
                {
                    _rowIssues.Add(ImportMessages.Issue(RowNumber, _members.SheetName + "!No KK", NoKk.Mask(noKk), "DTKS_FAMILY_MISSING", NoKk.Mask(noKk)));
                }
            }
            var sex = Cell("405");
            var sekolah = Sekolah.Translate(Cell("412"));
            for (var k = 0; k < MemberMapping.Count; k++)
            {
                var (tuntas, code) = MemberMapping[k];
                var raw = Cell(code);
                string? value = tuntas switch
                {
                    "NIK" or "NAMA" or "TANGGAL_LAHIR" => raw,
                    "JENIS_KELAMIN" => _sex.Translate(raw),
                    "STATUS_KAWIN" => _kawin.Translate(raw),
                    "HUBUNGAN_KK" => Coded(raw, c => Hubungan(c, sex)),
                    // REGSOSEK skips 415 for a person who never went to school (412 = 1): every pre-school child.
                    "PENDIDIKAN" => raw.Length == 0 && sekolah == "0" ? "1" : Coded(raw, c => Pendidikan(c, sekolah is { Length: > 0 } ? sekolah : NeverSchooled(c, Cell("403")) ? "0" : "")),
                    "STATUS_SEKOLAH" => sekolah,
                    "STATUS_DASAR" => Keberadaan.Translate(raw),
                    _ => YaTidak.Translate(raw),
                };
                if (value is null)
                {
                    _rowIssues.Add(ImportMessages.Issue(RowNumber, SourceColumns[tuntas], Shorten(raw), "CODE_UNKNOWN", raw, tuntas switch
                    {
                        "HUBUNGAN_KK" => "1–8",
                        "PENDIDIKAN" => "1–23",
                        "STATUS_SEKOLAH" => Sekolah.Choices,
                        "STATUS_DASAR" => Keberadaan.Choices,
                        "JENIS_KELAMIN" => "1–2",
                        "STATUS_KAWIN" => "1–4",
                        _ => YaTidak.Choices,
                    }));
                    value = "";
                }
                _cells[_familyColumns + k] = value;
            }
            // 410 is asked of women only; a man's answer is dropped, as OpenSID's form does: a man is not pregnant, HAMIL 0.
            if (sex == "1")
            {
                _cells[_familyColumns + MemberMapping.Count - 2] = "0";
            }
        }

        private static string? Coded(string raw, Func<int, string?> map)
        {
            if (raw.Length == 0 || raw == "-")
            {
                return "";
            }
            return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && d is >= 0 and < 100 ? map((int)d) : null;
        }

        private string Member(int index) => index < _members.FieldCount ? Clean(_members[index]) : "";


        public override void Dispose() => _members.Dispose();
    }
}

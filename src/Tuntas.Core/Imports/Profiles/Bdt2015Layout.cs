using System.Text.RegularExpressions;
using Tuntas.Imports.Tabular;
using Tuntas.Registry;

namespace Tuntas.Imports.Profiles;

/// <summary>
/// The Basis Data Terpadu 2015 (PBDT 2015, BPS for TNP2K) as regencies still hold it: one row per household member,
/// the household's answers repeated on each member's row, 101 columns in the order and with the labels of OpenSID's
/// template <c>assets/import/contoh-data-bdt2015.xlsx</c> ("Lantai terluas (19)"; a second row "KOLOM 2 3 …" that only
/// numbers the columns is skipped, as OpenSID's <c>Bdt_model</c> does). Code lists: the PBDT2015.RT questionnaire as
/// BPS's enumerator slides and Sideka's PBDT 2015 schemas give them (docs/import-profiles.md, every column and code).
///
/// The file has no NO_KK, no birth date and no Kemendagri village code (its region codes are BPS's), so it cannot
/// register anyone: like OpenSID's BDT import it <b>updates persons already in the registry</b>, found by NIK, and their
/// families, and passes over the rest with a warning. It carries the socio-economic answers only; name, sex,
/// relationship and marital status stay as the registry (the KK) has them.
/// </summary>
public static partial class Bdt2015Layout
{
    /// <summary>The template's column labels, numbered as in its header ("(n)" stripped) and its "KOLOM" row.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "ruta_6", "ID rumah tangga", "Provinsi", "Kode Provinsi", "Kab/Kota", "Kode Kab/Kota", "Kecamatan", "Kode Kecamatan",
        "Desa/Kelurahan", "Kode Desa/Kelurahan", "Nama SLS", "Alamat", "Nama KRT", "Jumlah ART", "Jumlah Keluarga",
        "Status bangunan", "Status lahan", "Luas lantai", "Lantai terluas", "Dinding terluas", "Kondisi Dinding", "Atap Terluas",
        "Kondisi Atap", "Jumlah kamar tidur", "Sumber air minum", "Cara memperoleh air minum", "Sumber penerangan utama",
        "Daya terpasang", "Bahan bakar memasak", "Fasilitas BAB", "Jenis kloset", "Tempat buang tinja",
        "Kepemilikan tabung gas 5,5kg", "Kepemilikan lemari es", "Kepemilikan ac", "Kepemilikan pemanas air",
        "Kepemilikan telepon rumah", "Kepemilikan televisi", "Kepemilikan emas dan tabungan", "Kepemilikan laptop/komputer",
        "Kepemilikan sepeda", "Kepemilikan sepeda motor", "Kepemilikan mobil", "Kepemilikan perahu", "Kepemilikan motor tempel",
        "Kepemilikan perahu motor", "Kepemilikan kapal", "Nomor HP yang aktif", "Jumlah ruangan rumah yang ditempati",
        "Kepemilikan aset tidak bergerak", "Luas aset tidak bergerak", "Kepemilikan rumah di tempat lain",
        "Jumlah sapi yang dimiliki", "Jumlah kerbau yang dimiliki", "Jumlah kuda yang dimiliki", "Jumlah babi yang dimiliki",
        "Jumlah kambing/domba yang dimiliki", "Status ART yang memiliki usaha", "Status KKS", "Status KIP", "Status KIS",
        "Status BPJS mandiri", "Status Jamsostek", "Status asuransi kesehatan lainnya", "Status PKH", "Status Rastra",
        "Status KUR", "No Urut ART Wanita Usia Subur", "Usia Suami", "Usia Istri", "Kepesertaan KB", "Metode Kontrasepsi",
        "Lama menggunakan kontrasepsi (tahun)", "Lama menggunakan kontrasepsi (bulan)", "Tempat pelayanan KB",
        "Status ingin punya anak lagi", "Alasan utama tidak ber KB", "percentile", "Nomor urut ART", "Nama ART", "NIK",
        "HubKRT", "Nomor urut keluarga", "Hubungan dengan kepala keluarga", "jenis kelamin",
        "Umur anggota rumah tangga (tahun)", "Status perkawinan", "Kepemilikan akta/buku nikah", "Tercantum di dalam KK",
        "Kepemilikan kartu identitas", "Status kehamilan", "Jenis cacat", "Penyakit kronis", "Partisipasi sekolah",
        "Pendidikan tertinggi", "Kelas tertinggi", "Ijazah tertinggi", "Bekerja seminggu yg lalu", "Jumlah jam kerja",
        "Lapangan usaha", "Status dalam pekerjaan",
    ];

    public const int HouseholdColumn = 2;
    public const int NikColumn = 81;
    private const int ElectricityColumn = 27;
    private const int LandOwnedColumn = 50;
    private const int SexColumn = 85;
    private const int SchoolColumn = 94;

    /// <summary>Tuntas family column ← column number (KODE_DESA and NO_KK come from the registry, by NIK).</summary>
    public static IReadOnlyList<(string Tuntas, int Number)> FamilyMapping { get; } =
    [
        ("STATUS_BANGUNAN", 16), ("LUAS_LANTAI", 18), ("JENIS_LANTAI", 19), ("JENIS_DINDING", 20), ("JENIS_ATAP", 22),
        ("SUMBER_AIR_MINUM", 25), ("SUMBER_PENERANGAN", ElectricityColumn), ("DAYA_LISTRIK", 28), ("BAHAN_BAKAR_MASAK", 29), ("FASILITAS_BAB", 30),
        ("ASET_KULKAS", 34), ("ASET_AC", 35), ("ASET_TV", 38), ("ASET_EMAS_10G", 39), ("ASET_KOMPUTER", 40),
        ("ASET_SEPEDA_MOTOR", 42), ("ASET_MOBIL", 43), ("ASET_PERAHU_MOTOR", 46), ("LUAS_LAHAN", 51), ("TERNAK_SAPI", 53),
        ("TERNAK_KAMBING", 57),
    ];

    /// <summary>Tuntas person column ← column number.</summary>
    public static IReadOnlyList<(string Tuntas, int Number)> PersonMapping { get; } =
    [
        ("NIK", NikColumn), ("PENDIDIKAN", 97), ("STATUS_SEKOLAH", SchoolColumn), ("BEKERJA", 98), ("DISABILITAS", 92),
        ("PENYAKIT_KRONIS", 93), ("HAMIL", 91),
    ];

    /// <summary>The Tuntas person columns a new person would need and this layout does not carry: each registered
    /// person keeps the registry's value (<see cref="ProfileReader.DefaultedColumns"/>).</summary>
    private static readonly HashSet<string> _defaulted = new(StringComparer.Ordinal)
    {
        "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "HUBUNGAN_KK", "STATUS_KAWIN", "PENDIDIKAN", "DISABILITAS",
    };

    private static OpenSidPendudukLayout.Codes Map(string choices, params (int Code, string Value)[] pairs) =>
        new(choices, pairs.ToDictionary(p => p.Code, p => p.Value), new Dictionary<string, int>(StringComparer.Ordinal));

    private static OpenSidPendudukLayout.Codes Same(int from, int to) =>
        Map($"{from}–{to}", [.. Enumerable.Range(from, to - from + 1).Select(c => (c, c.ToString(CultureInfo.InvariantCulture)))]);

    /// <summary>PBDT 2015's yes/no questions: 1 ya, 2 tidak.</summary>
    public static readonly OpenSidPendudukLayout.Codes YaTidak = Map("1–2", (1, "1"), (2, "0"));

    /// <summary>The asset questions of the questionnaire's second column (lemari es, pemanas air, televisi, laptop,
    /// sepeda motor, perahu, perahu motor): 3 ya, 4 tidak, so that a tick in the wrong column shows.</summary>
    public static readonly OpenSidPendudukLayout.Codes YaTidak34 = Map("3–4", (3, "1"), (4, "0"));

    /// <summary>19 lantai terluas (10 codes) → 303: both wood qualities are kayu/papan (5), tanah 9 → 8, lainnya 10 → 9.</summary>
    public static readonly OpenSidPendudukLayout.Codes Lantai = Map("1–10", (1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5"), (6, "6"), (7, "7"), (8, "5"), (9, "8"), (10, "9"));

    /// <summary>22 atap terluas (10 codes) → 305: beton 1; the three genteng (keramik, metal, tanah liat) 2; asbes 5 → 4;
    /// seng 6 → 3; sirap 7 → 5; bambu 8 → 6; jerami/ijuk/daun/rumbia 9 → 7; lainnya 10 → 8.</summary>
    public static readonly OpenSidPendudukLayout.Codes Atap = Map("1–10", (1, "1"), (2, "2"), (3, "2"), (4, "2"), (5, "4"), (6, "3"), (7, "5"), (8, "6"), (9, "7"), (10, "8"));

    /// <summary>25 sumber air minum (12 codes) → 306a: leding meteran and leding eceran are both leding (3); every later
    /// code one lower.</summary>
    public static readonly OpenSidPendudukLayout.Codes AirMinum = Map("1–12", (1, "1"), (2, "2"), (3, "3"), (4, "3"), (5, "4"), (6, "5"), (7, "6"), (8, "7"), (9, "8"), (10, "9"), (11, "10"), (12, "11"));

    /// <summary>27 sumber penerangan: 1 listrik PLN, 2 listrik non-PLN, 3 bukan listrik (the meter is in 28).</summary>
    public static readonly OpenSidPendudukLayout.Codes Penerangan = Same(1, 3);

    /// <summary>28 daya terpasang → watts: 1 450, 2 900, 3 1.300, 4 2.200; 5 (more than 2.200 W) has no single value and
    /// 6 (tanpa meteran) no band, both read as unknown.</summary>
    public static readonly OpenSidPendudukLayout.Codes Daya = Map("1–6", (1, "450"), (2, "900"), (3, "1300"), (4, "2200"), (5, ""), (6, ""));

    /// <summary>29 bahan bakar memasak (9 codes) → 308: gas above 3 kg → LPG 5,5 kg (2), gas 3 kg → 4, gas kota/biogas →
    /// gas kota (5), minyak tanah 7, briket 8, arang 9, kayu bakar 10, tidak memasak di rumah 12. The folds stay inside
    /// the groups the targeting models tell apart (clean fuel; wood, charcoal, kerosene).</summary>
    public static readonly OpenSidPendudukLayout.Codes BahanBakar = Map("1–9", (1, "1"), (2, "2"), (3, "4"), (4, "5"), (5, "7"), (6, "8"), (7, "9"), (8, "10"), (9, "12"));

    /// <summary>30 fasilitas BAB (4 codes) → 309a: sendiri 1, bersama 2, umum → MCK umum 4, tidak ada 6.</summary>
    public static readonly OpenSidPendudukLayout.Codes Bab = Map("1–4", (1, "1"), (2, "2"), (3, "4"), (4, "6"));

    /// <summary>92 jenis cacat (0–12) → DISABILITAS: tuna daksa → fisik 1, tuna netra 2, rungu/wicara (3, 4, 5) → 3,
    /// the combinations of sensory and physical (6–9) → lainnya 6, mental retardasi and former mental illness (10, 11)
    /// → mental/jiwa 4, fisik dan mental 12 → 5.</summary>
    public static readonly OpenSidPendudukLayout.Codes Cacat = Map("0–12", (0, "0"), (1, "1"), (2, "2"), (3, "3"), (4, "3"), (5, "3"),
        (6, "6"), (7, "6"), (8, "6"), (9, "6"), (10, "4"), (11, "4"), (12, "5"));

    /// <summary>93 penyakit kronis: 0 tidak ada → 0; 1–9 (hipertensi … lainnya) → 1.</summary>
    public static readonly OpenSidPendudukLayout.Codes Kronis = Map("0–9", [(0, "0"), .. Enumerable.Range(1, 9).Select(c => (c, "1"))]);

    /// <summary>94 partisipasi sekolah: 0 tidak/belum pernah, 1 masih, 2 tidak lagi — Tuntas' own STATUS_SEKOLAH codes.</summary>
    public static readonly OpenSidPendudukLayout.Codes Sekolah = Same(0, 2);

    /// <summary>97 ijazah tertinggi → the KK's PENDIDIKAN: SD 3, SMP 4, SMA 5, D1/D2/D3 → Diploma I/II 6 (the band's
    /// lowest, as the DTKS profile reads it), D4/S1 8, S2/S3 → S2 9; 0 (no certificate) is 1 for a person who never went to
    /// school (94 = 0), else 2 (belum tamat SD). An empty 97 is read in <see cref="Reader"/>.</summary>
    public static string? Pendidikan(int code, string sekolah) => code switch
    {
        0 => sekolah == "0" ? "1" : "2",
        1 => "3",
        2 => "4",
        3 => "5",
        4 => "6",
        5 => "8",
        6 => "9",
        _ => null,
    };

    /// <summary>The PBDT answers that stand for two registry values: a D1/D2/D3 certificate (PENDIDIKAN 6 or 7), S2/S3
    /// (9 or 10), gas above 3 kg (LPG 5,5 or 12 kg), gas kota/biogas, a public latrine (MCK komunal or umum).</summary>
    private static readonly Dictionary<string, IReadOnlyDictionary<int, int[]>> _folds = new(StringComparer.Ordinal)
    {
        ["PENDIDIKAN"] = new Dictionary<int, int[]> { [6] = [6, 7], [9] = [9, 10] },
        ["BAHAN_BAKAR_MASAK"] = new Dictionary<int, int[]> { [2] = [2, 3], [5] = [5, 6] },
        ["FASILITAS_BAB"] = new Dictionary<int, int[]> { [4] = [3, 4] },
    };

    private static readonly Dictionary<string, OpenSidPendudukLayout.Codes> _codes = new(StringComparer.Ordinal)
    {
        ["STATUS_BANGUNAN"] = Same(1, 5),
        ["JENIS_LANTAI"] = Lantai,
        ["JENIS_DINDING"] = Same(1, 7),
        ["JENIS_ATAP"] = Atap,
        ["SUMBER_AIR_MINUM"] = AirMinum,
        ["DAYA_LISTRIK"] = Daya,
        ["BAHAN_BAKAR_MASAK"] = BahanBakar,
        ["FASILITAS_BAB"] = Bab,
        ["ASET_KULKAS"] = YaTidak34,
        ["ASET_AC"] = YaTidak,
        ["ASET_TV"] = YaTidak34,
        ["ASET_EMAS_10G"] = YaTidak,
        ["ASET_KOMPUTER"] = YaTidak34,
        ["ASET_SEPEDA_MOTOR"] = YaTidak34,
        ["ASET_MOBIL"] = YaTidak,
        ["ASET_PERAHU_MOTOR"] = YaTidak34,
        ["STATUS_SEKOLAH"] = Sekolah,
        ["BEKERJA"] = YaTidak,
        ["DISABILITAS"] = Cacat,
        ["PENYAKIT_KRONIS"] = Kronis,
        ["HAMIL"] = YaTidak,
    };

    /// <summary>A header label as the template writes it, compared without case, the column number "(19)" and repeated spaces.</summary>
    public static string Normalise(string label) =>
        Spaces().Replace(Number().Replace(label.Trim().TrimStart('\uFEFF'), ""), " ").Trim().ToUpperInvariant();

    [GeneratedRegex(@"\s*\(\d+\)\s*$")]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static readonly Dictionary<string, int> _numbers =
        Columns.Select((label, i) => (label, i)).ToDictionary(c => Normalise(c.label), c => c.i + 1, StringComparer.Ordinal);

    /// <summary>Whether a header is the BDT 2015 layout: the household id, the member's number and HubKRT.</summary>
    public static bool Recognises(IReadOnlyList<string> header)
    {
        var names = header.Select(Normalise).ToHashSet(StringComparer.Ordinal);
        return names.Contains(Normalise(Columns[HouseholdColumn - 1])) && names.Contains("NOMOR URUT ART") && names.Contains("HUBKRT");
    }

    /// <summary>A registered person's family as the import needs it (<see cref="ProfileContext.Registered"/>).</summary>
    public sealed record Place(string NoKk, string KodeDesa);

    /// <summary>The BDT file presented in the Tuntas layout: only the rows of registered persons, each with its family's
    /// NO_KK and village from the registry; the rows passed over are <see cref="ProfileReader.Notices"/>.</summary>
    public sealed class Reader : ProfileReader
    {
        private readonly TabularReader _source;
        private readonly ProfileContext _context;
        private readonly Dictionary<int, int> _index = [];
        private readonly List<ImportIssue> _rowIssues = [];
        private readonly string[] _cells;
        private readonly int _familyColumns;
        private readonly Dictionary<long, long> _nikRows = [];

        /// <summary>Per registered family (NO_KK), the household whose answers it took and those answers: a family whose
        /// members the BDT lists in two households takes the first one's (PBDT enumerated dwellings, not KKs).</summary>
        private readonly Dictionary<string, (string Household, long Row, string[] Cells)> _families = new(StringComparer.Ordinal);

        public override IReadOnlySet<string> DefaultedColumns { get; }

        public override IReadOnlyDictionary<string, IReadOnlyDictionary<int, int[]>> Folds => _folds;

        public override IReadOnlyList<ImportIssue> RowIssues => _rowIssues;

        public Reader(TabularReader source, ProfileContext context)
        {
            _source = source;
            _context = context;
            for (var i = 0; i < source.Header.Count; i++)
            {
                var text = source.Header[i].Trim().TrimStart('\uFEFF');
                if (text.Length == 0)
                {
                    continue;
                }
                FileColumns.Add(text);
                if (!_numbers.TryGetValue(Normalise(text), out var number))
                {
                    HeaderIssues.Add(ImportMessages.Issue(1, text, null, "COLUMN_UNKNOWN", text));
                }
                else if (!_index.TryAdd(number, i))
                {
                    HeaderIssues.Add(ImportMessages.Issue(1, text, null, "COLUMN_DUPLICATE", text));
                }
            }
            foreach (var number in new[] { HouseholdColumn, NikColumn })
            {
                if (!_index.ContainsKey(number))
                {
                    HeaderIssues.Add(ImportMessages.Issue(1, Label(number), null, "COLUMN_MISSING", Label(number)));
                }
            }
            AlsoRead.Add(Label(HouseholdColumn));
            if (_index.ContainsKey(LandOwnedColumn))
            {
                AlsoRead.Add(Label(LandOwnedColumn));
            }
            if (_index.ContainsKey(SexColumn))
            {
                AlsoRead.Add(Label(SexColumn));
            }

            var header = new List<string> { "KODE_DESA", "NO_KK" };
            SourceColumns["KODE_DESA"] = "NIK → data terpadu";
            SourceColumns["NO_KK"] = "NIK → data terpadu";
            _mappedFamily = [.. FamilyMapping.Where(m => _index.ContainsKey(m.Number))];
            foreach (var (tuntas, number) in _mappedFamily)
            {
                header.Add(tuntas);
                SourceColumns[tuntas] = Label(number);
            }
            _familyColumns = header.Count;
            _mappedPerson = [.. PersonMapping.Where(m => _index.ContainsKey(m.Number))];
            foreach (var (tuntas, number) in _mappedPerson)
            {
                header.Add(tuntas);
                SourceColumns[tuntas] = Label(number);
            }
            DefaultedColumns = _defaulted;
            Header = header;
            FieldCount = header.Count;
            _cells = new string[header.Count];
            RowNumber = 1;
        }

        private readonly (string Tuntas, int Number)[] _mappedFamily;
        private readonly (string Tuntas, int Number)[] _mappedPerson;

        public override double Position => _source.Position;

        public override bool DecimalComma => _source is CsvTabularReader { Delimiter: (byte)';' };

        public override string this[int index] => _cells[index] ?? "";

        private string Cell(int number) =>
            _index.TryGetValue(number, out var i) && i < _source.FieldCount ? Clean(_source[i]) : "";

        public override bool Read()
        {
            _rowIssues.Clear();
            while (_source.Read())
            {
                RowNumber = _source.RowNumber;
                // The template's second row numbers the columns ("KOLOM", 2, 3, …); OpenSID skips it too.
                if (_source.FieldCount > 0 && _source[0].Trim().Equals("KOLOM", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var nik = Cell(NikColumn);
                // Excel's leading apostrophe and the spaces around the cell are read past, as the NIK check does.
                var nikProblem = IdentifierText.Normalize(nik, out var digits);
                if (nikProblem is null)
                {
                    nik = digits;
                }
                var maskedNik = nik.Length == 16 ? Nik.Mask(nik) : Nik.MaskTyped(nik);
                if (nikProblem == IdentifierErrors.Scientific)
                {
                    // Excel kept 15 of the 16 digits: no person can be looked up by it, and the rest of the column has
                    // most likely lost its digits too. Passed over as "not registered" it hid the cause, and a file of
                    // such cells said "import the population first". Refused, with the cell named, nothing written.
                    PassedOver++;
                    Refusals.Add(ImportMessages.Issue(RowNumber, SourceColumns["NIK"], maskedNik, "NIK_NOTASI_ILMIAH"));
                    continue;
                }
                if (_context.Registered is { } registered)
                {
                    if (nikProblem is not null)
                    {
                        // BDT 2015 holds household members registered without a NIK (a baby, a NIK not yet known):
                        // passed over with the reason, not refused, or a real BDT file could never be read.
                        PassedOver++;
                        Notices.Add(ImportMessages.Issue(RowNumber, SourceColumns["NIK"], maskedNik, "BDT_NIK_INVALID"));
                        continue;
                    }
                    if (!long.TryParse(nik, NumberStyles.None, CultureInfo.InvariantCulture, out var key) || registered(nik) is not { } place)
                    {
                        PassedOver++;
                        Notices.Add(ImportMessages.Issue(RowNumber, SourceColumns["NIK"], maskedNik, "BDT_NOT_REGISTERED", maskedNik));
                        continue;
                    }
                    if (!_nikRows.TryAdd(key, RowNumber))
                    {
                        PassedOver++;
                        Notices.Add(ImportMessages.Issue(RowNumber, SourceColumns["NIK"], maskedNik, "BDT_NIK_REPEATED", _nikRows[key]));
                        continue;
                    }
                    _cells[0] = place.KodeDesa;
                    _cells[1] = place.NoKk;
                }
                else
                {
                    // A preview reads the file only: the family is found at import.
                    _cells[0] = "";
                    _cells[1] = "";
                }
                if (SameHouseholdCells())
                {
                    Array.Copy(_lastFamily, 0, _cells, 2, _lastFamily.Length);
                }
                else
                {
                    TranslateFamily();
                    RememberHouseholdCells();
                }
                TranslatePerson(nik);
                KeepOneHousehold();
                return true;
            }
            return false;
        }

        /// <summary>The source positions of every household answer the family columns are read from.</summary>
        private int[] HouseholdSources => _householdSources ??= [.. _mappedFamily.Select(m => m.Number)
            .Concat([HouseholdColumn, ElectricityColumn, 28, LandOwnedColumn]).Distinct().Where(_index.ContainsKey).Select(n => _index[n])];

        private int[]? _householdSources;
        private string[] _lastFamily = [];
        private string[] _lastHouseholdCells = [];
        private bool _lastHouseholdClean;

        /// <summary>
        /// Every member's row repeats its household's answers: when they are the very cells of the last row translated
        /// without a finding, so are their values. Compared where the reader holds the cell (a CSV's bytes), so a
        /// member's repeated cells never become strings; about three rows in four skip the family translation.
        /// </summary>
        private bool SameHouseholdCells()
        {
            if (!_lastHouseholdClean)
            {
                return false;
            }
            var sources = HouseholdSources;
            for (var k = 0; k < sources.Length; k++)
            {
                if (sources[k] >= _source.FieldCount ? _lastHouseholdCells[k].Length != 0 : !_source.CellEquals(sources[k], _lastHouseholdCells[k]))
                {
                    return false;
                }
            }
            return true;
        }

        private void RememberHouseholdCells()
        {
            _lastHouseholdClean = _rowIssues.Count == 0;
            if (!_lastHouseholdClean)
            {
                return;
            }
            var sources = HouseholdSources;
            if (_lastHouseholdCells.Length != sources.Length)
            {
                _lastHouseholdCells = new string[sources.Length];
                _lastFamily = new string[_familyColumns - 2];
            }
            for (var k = 0; k < sources.Length; k++)
            {
                _lastHouseholdCells[k] = sources[k] < _source.FieldCount ? _source[sources[k]] : "";
            }
            Array.Copy(_cells, 2, _lastFamily, 0, _lastFamily.Length);
        }

        private void TranslateFamily()
        {
            for (var k = 0; k < _mappedFamily.Length; k++)
            {
                var (tuntas, number) = _mappedFamily[k];
                var raw = Cell(number);
                string? value;
                if (tuntas == "SUMBER_PENERANGAN")
                {
                    // 27 says PLN or not, 28 whether PLN's meter is there (6 tanpa meteran): 307a's four codes.
                    value = Penerangan.Translate(raw) switch
                    {
                        "1" => Cell(28) == "6" ? "2" : "1",
                        "2" => "3",
                        "3" => "4",
                        var other => other,
                    };
                }
                else if (tuntas is "LUAS_LANTAI" or "TERNAK_SAPI" or "TERNAK_KAMBING")
                {
                    value = raw == "-" ? "" : raw;
                }
                else if (tuntas == "LUAS_LAHAN")
                {
                    // 51 is asked only when 50 (aset tidak bergerak) is 1: a household that owns none owns 0 m².
                    value = raw.Length == 0 && Cell(LandOwnedColumn) == "2" ? "0" : raw == "-" ? "" : raw;
                }
                else
                {
                    value = _codes[tuntas].Translate(raw);
                }
                if (value is null)
                {
                    _rowIssues.Add(ImportMessages.Issue(RowNumber, SourceColumns[tuntas], Shorten(raw), "CODE_UNKNOWN", raw,
                        tuntas == "SUMBER_PENERANGAN" ? Penerangan.Choices : _codes[tuntas].Choices));
                    value = "";
                }
                _cells[2 + k] = value;
            }
        }

        private void TranslatePerson(string nik)
        {
            var sekolah = Sekolah.Translate(Cell(SchoolColumn)) ?? "";
            for (var k = 0; k < _mappedPerson.Length; k++)
            {
                var (tuntas, number) = _mappedPerson[k];
                var raw = Cell(number);
                var value = tuntas switch
                {
                    "NIK" => nik,
                    // 95–97 are left empty for a child the questions were not asked of (94 empty) and for one who
                    // never went to school (94 = 0): tidak/belum sekolah, as the DTKS profile reads REGSOSEK's skip.
                    "PENDIDIKAN" when raw.Length == 0 => sekolah is "" or "0" ? "1" : "",
                    "PENDIDIKAN" => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? Pendidikan(code, sekolah) : null,
                    // 91 is asked of women only: a man is not pregnant (HAMIL 0), as the DTKS profile reads it.
                    "HAMIL" when Cell(SexColumn) == "1" => "0",
                    _ => _codes[tuntas].Translate(raw),
                };
                if (value is null)
                {
                    _rowIssues.Add(ImportMessages.Issue(RowNumber, SourceColumns[tuntas], Shorten(raw), "CODE_UNKNOWN", raw,
                        tuntas == "PENDIDIKAN" ? "0–6" : _codes[tuntas].Choices));
                    value = "";
                }
                _cells[_familyColumns + k] = value;
            }
        }

        /// <summary>A family gets one household's answers: the first row's; a later row of another household says so.</summary>
        private void KeepOneHousehold()
        {
            var noKk = _cells[1];
            if (noKk.Length == 0)
            {
                return;
            }
            var household = Cell(HouseholdColumn);
            if (!_families.TryGetValue(noKk, out var first))
            {
                _families[noKk] = (household, RowNumber, _cells[.._familyColumns]);
                return;
            }
            if (first.Household != household)
            {
                Array.Copy(first.Cells, _cells, _familyColumns);
                Notices.Add(ImportMessages.Issue(RowNumber, Label(HouseholdColumn), null, "BDT_FAMILY_TWO_HOUSEHOLDS", NoKk.Mask(noKk), first.Row));
            }
        }

        private string Label(int number) => _index.TryGetValue(number, out var i) ? _source.Header[i].Trim() : Columns[number - 1];


        public override void Dispose() => _source.Dispose();
    }
}

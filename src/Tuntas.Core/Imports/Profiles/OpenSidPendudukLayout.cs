using Tuntas.Imports.Tabular;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Imports.Profiles;

/// <summary>
/// OpenSID's population import/export (<c>Impor_model::$daftar_kolom</c> of OpenSID v2410: 43 lower-case columns, one
/// row per person, the sheet "Data Penduduk", a row with <c>###</c> in its first or second cell ends the data). Codes
/// may be numbers or OpenSID's labels (its <c>get_konversi_kode</c>: case and spaces ignored). Every column and code
/// mapping is in docs/import-profiles.md; the code lists are OpenSID's reference tables (Data_awal_seeder.php) and
/// app/Enums.
/// </summary>
public static class OpenSidPendudukLayout
{
    public const string SheetName = "Data Penduduk";

    /// <summary>The 43 columns, in OpenSID's order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir", "tanggallahir", "agama_id",
        "pendidikan_kk_id", "pendidikan_sedang_id", "pekerjaan_id", "status_kawin", "kk_level", "warganegara_id",
        "ayah_nik", "nama_ayah", "ibu_nik", "nama_ibu", "golongan_darah_id", "akta_lahir", "dokumen_pasport",
        "tanggal_akhir_paspor", "dokumen_kitas", "akta_perkawinan", "tanggalperkawinan", "akta_perceraian",
        "tanggalperceraian", "cacat_id", "cara_kb_id", "hamil", "ktp_el", "status_rekam", "alamat_sekarang",
        "status_dasar", "suku", "tag_id_card", "id_asuransi", "no_asuransi", "lat", "lng",
    ];

    /// <summary>Tuntas column ← OpenSID column (KODE_DESA comes from the upload form or <c>--village</c>).</summary>
    public static IReadOnlyList<(string Tuntas, string OpenSid)> Mapping { get; } =
    [
        ("NO_KK", "no_kk"), ("ALAMAT", "alamat"), ("RT", "rt"), ("RW", "rw"), ("LINTANG", "lat"), ("BUJUR", "lng"),
        ("NIK", "nik"), ("NAMA", "nama"), ("JENIS_KELAMIN", "sex"), ("TEMPAT_LAHIR", "tempatlahir"),
        ("TANGGAL_LAHIR", "tanggallahir"), ("HUBUNGAN_KK", "kk_level"), ("STATUS_KAWIN", "status_kawin"),
        ("PENDIDIKAN", "pendidikan_kk_id"), ("PEKERJAAN", "pekerjaan_id"), ("DISABILITAS", "cacat_id"), ("HAMIL", "hamil"),
        ("STATUS_DASAR", "status_dasar"),
    ];

    /// <summary>A code list: OpenSID code → the Tuntas value, and each label (normalised) → its OpenSID code.</summary>
    public sealed class Codes(string choices, IReadOnlyDictionary<int, string> toTuntas, IReadOnlyDictionary<string, int> labels)
    {
        private readonly Dictionary<string, int> _codeOf = CodesOf(toTuntas);

        public string Choices => choices;
        public IReadOnlyDictionary<string, int> Labels => labels;

        /// <summary>
        /// The code an export writes for a Tuntas value: the list read backwards, so that the import and the export of
        /// one layout keep one list. Where the list folds two codes into one value, the lowest code; null for a value
        /// the list does not hold.
        /// </summary>
        public int? CodeOf(string value) => _codeOf.TryGetValue(value, out var code) ? code : null;

        public int? CodeOf(int value) => CodeOf(value.ToString(CultureInfo.InvariantCulture));

        /// <summary>A yes/no field's code (Tuntas stores 1 and 0); null stays unknown.</summary>
        public int? CodeOf(bool? value) => value is { } yes ? CodeOf(yes ? "1" : "0") : null;

        private static Dictionary<string, int> CodesOf(IReadOnlyDictionary<int, string> toTuntas)
        {
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (code, value) in toTuntas.OrderBy(p => p.Key))
            {
                codes.TryAdd(value, code);
            }
            return codes;
        }

        /// <summary>The Tuntas value of a cell: "" for empty or "-", null for an unknown code or label.</summary>
        public string? Translate(string cell)
        {
            var text = cell.Trim();
            if (text.Length == 0 || text == "-")
            {
                return "";
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ||
                (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && d is >= 0 and < 1000 && (code = (int)d) >= 0))
            {
                return toTuntas.TryGetValue(code, out var value) ? value : null;
            }
            return labels.TryGetValue(Normalise(text), out var byLabel) ? toTuntas[byLabel] : null;
        }
    }

    /// <summary>OpenSID's label matching: upper case, spaces removed (its <c>get_kode</c>).</summary>
    public static string Normalise(string label)
    {
        var text = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            if (!char.IsWhiteSpace(c))
            {
                text.Append(char.ToUpperInvariant(c));
            }
        }
        return text.ToString();
    }

    private static Codes Same(int from, int to, params (string Label, int Code)[] labels) =>
        new($"{from}–{to}", Enumerable.Range(from, to - from + 1).ToDictionary(c => c, c => c.ToString(CultureInfo.InvariantCulture)),
            labels.ToDictionary(l => Normalise(l.Label), l => l.Code, StringComparer.Ordinal));

    /// <summary>tweb_penduduk_sex, plus OpenSID's import aliases L, LK, P, Pr.</summary>
    public static readonly Codes Sex = Same(1, 2, ("LAKI-LAKI", 1), ("L", 1), ("LK", 1), ("PEREMPUAN", 2), ("P", 2), ("PR", 2));

    /// <summary>tweb_penduduk_hubungan (SHDKEnum): the same codes as Tuntas' HUBUNGAN_KK.</summary>
    public static readonly Codes Hubungan = Same(1, 11, ("KEPALA KELUARGA", 1), ("SUAMI", 2), ("ISTRI", 3), ("ANAK", 4), ("MENANTU", 5),
        ("CUCU", 6), ("ORANGTUA", 7), ("MERTUA", 8), ("FAMILI LAIN", 9), ("PEMBANTU", 10), ("LAINNYA", 11));

    /// <summary>tweb_penduduk_kawin (StatusKawinEnum), plus OpenSID's import aliases BK, K, CH, CM.</summary>
    public static readonly Codes Kawin = Same(1, 4, ("BELUM KAWIN", 1), ("KAWIN", 2), ("CERAI HIDUP", 3), ("CERAI MATI", 4),
        ("BK", 1), ("K", 2), ("CH", 3), ("CM", 4));

    /// <summary>tweb_penduduk_pendidikan_kk (PendidikanKKEnum): the Dukcapil KK codes, as Tuntas' PENDIDIKAN; plus
    /// OpenSID's import aliases.</summary>
    public static readonly Codes Pendidikan = Same(1, 10, ("TIDAK / BELUM SEKOLAH", 1), ("BELUM TAMAT SD/SEDERAJAT", 2), ("TAMAT SD / SEDERAJAT", 3),
        ("SLTP/SEDERAJAT", 4), ("SLTA / SEDERAJAT", 5), ("DIPLOMA I / II", 6), ("AKADEMI/ DIPLOMA III/S. MUDA", 7), ("DIPLOMA IV/ STRATA I", 8),
        ("STRATA II", 9), ("STRATA III", 10), ("Tidak/Blm Sekolah", 1), ("Tidak Tamat SD/Sederajat", 2), ("Akademi/Diploma III/Sarjana Muda", 7),
        ("Strata-II", 9));

    /// <summary>tweb_cacat: 1–6 as Tuntas' DISABILITAS 1–6; 7 "TIDAK CACAT" is Tuntas' 0.</summary>
    public static readonly Codes Cacat = new("1–7",
        new Dictionary<int, string> { [1] = "1", [2] = "2", [3] = "3", [4] = "4", [5] = "5", [6] = "6", [7] = "0" },
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [Normalise("CACAT FISIK")] = 1,
            [Normalise("CACAT NETRA/BUTA")] = 2,
            [Normalise("CACAT RUNGU/WICARA")] = 3,
            [Normalise("CACAT MENTAL/JIWA")] = 4,
            [Normalise("CACAT FISIK DAN MENTAL")] = 5,
            [Normalise("CACAT LAINNYA")] = 6,
            [Normalise("TIDAK CACAT")] = 7,
        });

    /// <summary>ref_penduduk_hamil: 1 hamil → 1, 2 tidak hamil → 0.</summary>
    public static readonly Codes Hamil = new("1–2", new Dictionary<int, string> { [1] = "1", [2] = "0" },
        new Dictionary<string, int>(StringComparer.Ordinal) { ["HAMIL"] = 1, ["TIDAKHAMIL"] = 2 });

    /// <summary>tweb_status_dasar (StatusDasarEnum), the same codes as Tuntas' STATUS_DASAR; plus OpenSID's aliases.</summary>
    public static readonly Codes StatusDasar = new("1, 2, 3, 4, 6, 9",
        new[] { 1, 2, 3, 4, 6, 9 }.ToDictionary(c => c, c => c.ToString(CultureInfo.InvariantCulture)),
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["HIDUP"] = 1,
            ["MATI"] = 2,
            ["PINDAH"] = 3,
            ["HILANG"] = 4,
            ["PERGI"] = 6,
            ["TIDAKVALID"] = 9,
            ["PINDAHDALAMNEGERI"] = 3,
            ["PINDAHLUARNEGERI"] = 3,
        });

    /// <summary>tweb_penduduk_pekerjaan 1–89: Tuntas keeps the occupation as text, so a code becomes its label.</summary>
    public static readonly IReadOnlyList<string> PekerjaanLabels =
    [
        "BELUM/TIDAK BEKERJA", "MENGURUS RUMAH TANGGA", "PELAJAR/MAHASISWA", "PENSIUNAN", "PEGAWAI NEGERI SIPIL (PNS)",
        "TENTARA NASIONAL INDONESIA (TNI)", "KEPOLISIAN RI (POLRI)", "PERDAGANGAN", "PETANI/PEKEBUN", "PETERNAK",
        "NELAYAN/PERIKANAN", "INDUSTRI", "KONSTRUKSI", "TRANSPORTASI", "KARYAWAN SWASTA", "KARYAWAN BUMN", "KARYAWAN BUMD",
        "KARYAWAN HONORER", "BURUH HARIAN LEPAS", "BURUH TANI/PERKEBUNAN", "BURUH NELAYAN/PERIKANAN", "BURUH PETERNAKAN",
        "PEMBANTU RUMAH TANGGA", "TUKANG CUKUR", "TUKANG LISTRIK", "TUKANG BATU", "TUKANG KAYU", "TUKANG SOL SEPATU",
        "TUKANG LAS/PANDAI BESI", "TUKANG JAHIT", "TUKANG GIGI", "PENATA RIAS", "PENATA BUSANA", "PENATA RAMBUT", "MEKANIK",
        "SENIMAN", "TABIB", "PARAJI", "PERANCANG BUSANA", "PENTERJEMAH", "IMAM MASJID", "PENDETA", "PASTOR", "WARTAWAN",
        "USTADZ/MUBALIGH", "JURU MASAK", "PROMOTOR ACARA", "ANGGOTA DPR-RI", "ANGGOTA DPD", "ANGGOTA BPK", "PRESIDEN",
        "WAKIL PRESIDEN", "ANGGOTA MAHKAMAH KONSTITUSI", "ANGGOTA KABINET KEMENTERIAN", "DUTA BESAR", "GUBERNUR",
        "WAKIL GUBERNUR", "BUPATI", "WAKIL BUPATI", "WALIKOTA", "WAKIL WALIKOTA", "ANGGOTA DPRD PROVINSI",
        "ANGGOTA DPRD KABUPATEN/KOTA", "DOSEN", "GURU", "PILOT", "PENGACARA", "NOTARIS", "ARSITEK", "AKUNTAN", "KONSULTAN",
        "DOKTER", "BIDAN", "PERAWAT", "APOTEKER", "PSIKIATER/PSIKOLOG", "PENYIAR TELEVISI", "PENYIAR RADIO", "PELAUT",
        "PENELITI", "SOPIR", "PIALANG", "PARANORMAL", "PEDAGANG", "PERANGKAT DESA", "KEPALA DESA", "BIARAWATI",
        "WIRASWASTA", "LAINNYA",
    ];

    public static readonly Codes Pekerjaan = new("1–89",
        PekerjaanLabels.Select((l, i) => (l, i)).ToDictionary(x => x.i + 1, x => x.l),
        PekerjaanLabels.Select((l, i) => (l, i)).ToDictionary(x => Normalise(x.l), x => x.i + 1, StringComparer.Ordinal));

    /// <summary>
    /// The everyday names of OpenSID's occupations, as registries written outside OpenSID hold them (the Tuntas import
    /// format, a DTKS list, the demo): each one a label's own part — "Petani" of <c>PETANI/PEKEBUN</c>, "PNS" of
    /// <c>PEGAWAI NEGERI SIPIL (PNS)</c> — or the everyday name of the KK's wording ("Ibu Rumah Tangga" for
    /// <c>MENGURUS RUMAH TANGGA</c>, "Pedagang Keliling" for <c>PEDAGANG</c>). A fixed list read by a person, not a
    /// rule: a text that is none of these and no
    /// label ("Buruh Bangunan", "TNI/Polri", which is two codes) is left empty and counted, never guessed.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> EverydayOccupations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PETANI"] = "PETANI/PEKEBUN",
        ["PEKEBUN"] = "PETANI/PEKEBUN",
        ["BURUHTANI"] = "BURUH TANI/PERKEBUNAN",
        ["BURUHPERKEBUNAN"] = "BURUH TANI/PERKEBUNAN",
        ["NELAYAN"] = "NELAYAN/PERIKANAN",
        ["BURUHNELAYAN"] = "BURUH NELAYAN/PERIKANAN",
        ["PELAJAR"] = "PELAJAR/MAHASISWA",
        ["MAHASISWA"] = "PELAJAR/MAHASISWA",
        ["BELUMBEKERJA"] = "BELUM/TIDAK BEKERJA",
        ["TIDAKBEKERJA"] = "BELUM/TIDAK BEKERJA",
        ["IBURUMAHTANGGA"] = "MENGURUS RUMAH TANGGA",
        ["PNS"] = "PEGAWAI NEGERI SIPIL (PNS)",
        ["PEGAWAINEGERISIPIL"] = "PEGAWAI NEGERI SIPIL (PNS)",
        ["TNI"] = "TENTARA NASIONAL INDONESIA (TNI)",
        ["POLRI"] = "KEPOLISIAN RI (POLRI)",
        ["PEDAGANGKELILING"] = "PEDAGANG",
    };

    /// <summary>OpenSID's code of an occupation held as text: its label (case and spaces ignored, as OpenSID's own
    /// get_kode) or one of <see cref="EverydayOccupations"/>; null for any other text.</summary>
    public static int? PekerjaanCodeOf(string? pekerjaan)
    {
        if (string.IsNullOrWhiteSpace(pekerjaan))
        {
            return null;
        }
        var key = Normalise(pekerjaan);
        var labels = Pekerjaan.Labels;
        return labels.TryGetValue(key, out var code) ? code
            : EverydayOccupations.TryGetValue(key, out var label) ? labels[Normalise(label)]
            : null;
    }

    /// <summary>The code list behind a Tuntas column, if it is coded.</summary>
    public static Codes? CodesOf(string tuntasColumn) => tuntasColumn switch
    {
        "JENIS_KELAMIN" => Sex,
        "HUBUNGAN_KK" => Hubungan,
        "STATUS_KAWIN" => Kawin,
        "PENDIDIKAN" => Pendidikan,
        "PEKERJAAN" => Pekerjaan,
        "DISABILITAS" => Cacat,
        "HAMIL" => Hamil,
        "STATUS_DASAR" => StatusDasar,
        _ => null,
    };

    /// <summary>An OpenSID file presented in the Tuntas layout, row by row; untranslatable cells are <see cref="RowIssues"/>.</summary>
    public sealed class Reader : ProfileReader
    {
        private readonly TabularReader _source;
        private readonly ProfileContext _context;
        private readonly List<string> _header = [];
        private readonly List<int> _sourceIndex = [];
        private readonly string?[] _cells;
        private readonly List<ImportIssue> _rowIssues = [];
        private readonly Dictionary<string, int> _positions = new(StringComparer.OrdinalIgnoreCase);
        private bool _ended;
        private bool _disabilityNotGiven;

        public Reader(TabularReader source, ProfileContext context)
        {
            _source = source;
            _context = context;
            var known = Columns.ToHashSet(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < source.Header.Count; i++)
            {
                var name = source.Header[i].Trim().TrimStart('\uFEFF');
                if (name.Length == 0)
                {
                    continue;
                }
                FileColumns.Add(name);
                if (!_positions.TryAdd(name, i))
                {
                    HeaderIssues.Add(ImportMessages.Issue(1, name, null, "COLUMN_DUPLICATE", name));
                }
                else if (!known.Contains(name))
                {
                    HeaderIssues.Add(ImportMessages.Issue(1, name, null, "COLUMN_UNKNOWN", name));
                }
            }
            if (context.VillageIssue() is { } villageIssue)
            {
                HeaderIssues.Add(villageIssue);
            }
            else if (context.VillageNote() is { } villageNote)
            {
                HeaderIssues.Add(villageNote);
            }
            // The dusun is appended to the address line (below), not a column of its own.
            if (_positions.ContainsKey("dusun"))
            {
                AlsoRead.Add("dusun");
            }
            _header.Add("KODE_DESA");
            _sourceIndex.Add(-1);
            foreach (var (tuntas, openSid) in Mapping)
            {
                SourceColumns[tuntas] = openSid;
                if (_positions.TryGetValue(openSid, out var index))
                {
                    _header.Add(tuntas);
                    _sourceIndex.Add(index);
                }
            }
            SourceColumns["KODE_DESA"] = "--village";
            Header = _header;
            FieldCount = _header.Count;
            _cells = new string?[_header.Count];
            RowNumber = 1;
        }

        private static readonly Dictionary<string, Func<object, bool>> _keptWhenEmpty =
            new[] { "ALAMAT", "RT", "RW", "LINTANG", "BUJUR", "TEMPAT_LAHIR", "PEKERJAAN", "HAMIL" }
                .ToDictionary(c => c, _ => (Func<object, bool>)AnyValue, StringComparer.Ordinal);

        private static readonly HashSet<string> _sameIgnoringCase = new(StringComparer.Ordinal) { "PEKERJAAN" };

        /// <summary>The optional columns: OpenSID's importer leaves an empty cell's field as it is, and so does this one.</summary>
        public override IReadOnlyDictionary<string, Func<object, bool>> KeptWhenEmpty => _keptWhenEmpty;

        /// <summary>OpenSID's occupation label in capitals ("WIRASWASTA") is the registry's "Wiraswasta".</summary>
        public override IReadOnlySet<string> SameIgnoringCase => _sameIgnoringCase;

        public override double Position => _source.Position;

        public override bool DecimalComma => _source is CsvTabularReader { Delimiter: (byte)';' };

        public override string this[int index] => _cells[index] ?? "";

        public override IReadOnlyList<ImportIssue> RowIssues => _rowIssues;

        public override bool Read()
        {
            if (_ended || !_source.Read())
            {
                return false;
            }
            RowNumber = _source.RowNumber;
            if (IsMarker())
            {
                // OpenSID stops at "###"; data after it would be silently dropped, so it is refused instead.
                var marker = RowNumber;
                _ended = true;
                while (_source.Read())
                {
                    if (!IsMarker())
                    {
                        throw TabularFormatException.From(ImportMessages.Issue(_source.RowNumber, null, "###", "MARKER_NOT_LAST", marker, _source.RowNumber));
                    }
                }
                return false;
            }
            _rowIssues.Clear();
            foreach (var invalid in _source.InvalidEncodingFields)
            {
                _rowIssues.Add(ImportMessages.Issue(RowNumber, invalid < _source.Header.Count ? _source.Header[invalid] : null, null, "ENCODING"));
            }
            if (_source.FieldCount > _source.Header.Count)
            {
                _rowIssues.Add(ImportMessages.Issue(RowNumber, null, null, "COLUMN_COUNT", _source.FieldCount, _source.Header.Count));
            }
            _cells[0] = _context.Village ?? "";
            _disabilityNotGiven = false;
            for (var i = 1; i < _header.Count; i++)
            {
                _cells[i] = Translate(_header[i], Cell(_sourceIndex[i]));
            }
            if (IndexOf("NIK") is { } nik && _cells[nik] == "0" && _context.Village is not null)
            {
                _cells[nik] = _context.TemporaryNik(Value("NO_KK"), Value("NAMA"), Value("TANGGAL_LAHIR"));
            }
            // OpenSID drops "hamil" for a man (Impor_model::tulis_tweb_penduduk): a man is not pregnant, HAMIL 0, which
            // is what the registry holds for him (an empty cell, "unknown", blanked it on every re-import).
            if (IndexOf("HAMIL") is { } hamil && Value("JENIS_KELAMIN") == "1")
            {
                _cells[hamil] = "0";
            }
            // An empty cacat_id leaves a registered person's disability as it is, as OpenSID's importer leaves every empty
            // cell (the registry's own export leaves it empty for a reader who may not see health data); the registry
            // requires the field, so a new person gets 0 (tidak).
            if (_disabilityNotGiven && IndexOf("DISABILITAS") is { } cacat && _context.RegisteredDisability?.Invoke(Value("NIK")) is { } registered)
            {
                _cells[cacat] = registered;
            }
            if (IndexOf("PEKERJAAN") is { } pekerjaan && _cells[pekerjaan] is { Length: > 0 } label
                && _context.RegisteredOccupation?.Invoke(Value("NIK")) is { } held && held != label
                && PekerjaanCodeOf(held) is { } code && code == PekerjaanCodeOf(label))
            {
                _cells[pekerjaan] = held;
            }
            return true;
        }

        private bool IsMarker() => (_source.FieldCount > 0 && _source[0].Trim() == "###") || (_source.FieldCount > 1 && _source[1].Trim() == "###");

        private string Cell(int index) => index < _source.FieldCount ? _source[index] : "";

        private int? IndexOf(string column)
        {
            var index = _header.IndexOf(column);
            return index < 0 ? null : index;
        }

        private string Value(string column) => IndexOf(column) is { } i ? _cells[i] ?? "" : "";

        private string Translate(string column, string raw)
        {
            var cell = Clean(raw);
            switch (column)
            {
                case "ALAMAT":
                    var dusun = Clean(Cell(_positions.GetValueOrDefault("dusun", -1))).Replace('_', ' ');
                    // OpenSID keeps the dusun apart (tweb_wil_clusterdesa); Tuntas has one address line, so it is appended.
                    if (dusun.Length > 0 && dusun != "-")
                    {
                        var name = dusun.StartsWith("DUSUN ", StringComparison.OrdinalIgnoreCase) ? dusun : "Dusun " + dusun;
                        return cell.Length == 0 || cell == "-" ? name : cell + ", " + name;
                    }
                    return cell == "-" ? "" : cell;
                case "RT" or "RW" or "TEMPAT_LAHIR" or "TANGGAL_LAHIR" or "LINTANG" or "BUJUR":
                    return cell == "-" ? "" : cell;
                case "NIK" or "NO_KK":
                    return cell;
            }
            if (CodesOf(column) is not { } codes)
            {
                return cell;
            }
            if (column == "DISABILITAS" && (cell.Length == 0 || cell == "-"))
            {
                // persons.disabilitas is required in the registry; OpenSID leaves it empty when not recorded.
                _disabilityNotGiven = true;
                return "0";
            }
            var translated = codes.Translate(cell);
            if (translated is null)
            {
                _rowIssues.Add(ImportMessages.Issue(RowNumber, SourceColumns[column], cell.Length > 60 ? cell[..60] : cell, "CODE_UNKNOWN", cell, codes.Choices));
                return "";
            }
            return translated;
        }


        public override void Dispose() => _source.Dispose();
    }
}

using Tuntas.Regions;

namespace Tuntas.Registry;

/// <summary>
/// The field catalogue of the registry: every family and person field that a file, the editor, a change request or a
/// verification visit may set, with its value range, and the one parser that turns typed text into a value or a
/// problem code. The import (docs/import-format.md), <see cref="RegistryWriter"/> and the verivali visit form all call
/// <see cref="Parse"/>, so a value refused in a file is refused with the same code everywhere.
/// </summary>
public static class RegistryFields
{
    public enum Kind
    {
        Int,
        Long,
        Decimal,
        Bool01,
        Text,
        Date,
        Nik,
        NoKk,
        KodeDesa,
        Sex,
        Neighbourhood,
        Power,
    }

    /// <summary>
    /// One registry field: its import-format column, how it is typed and checked, its label in Bahasa Indonesia and
    /// English (the editor, the field forms and the targeting catalogue show the same words), and whether targeting
    /// rules and models may read it. <see cref="Required"/> fields are NOT NULL in the schema.
    /// </summary>
    public sealed record Rule(string Column, Kind Kind, bool Required, string Label, string LabelEn, double Min = double.MinValue, double Max = double.MaxValue,
        int MaxLength = 200, bool Targeting = false)
    {
        /// <summary>The column's SQL name (snake_case of the import column) and its name in targeting rules.</summary>
        public string Sql => Column.ToLowerInvariant();

        /// <summary>The code → label table of a coded field (REGSOSEK, Dukcapil), or null.</summary>
        public IReadOnlyDictionary<int, string>? Codes => CodeLabels.Of(Column);

        public string Range => Kind switch
        {
            Kind.Int or Kind.Long when Max < int.MaxValue => $"{Min:0}–{Max:0}",
            Kind.Int or Kind.Long or Kind.Decimal when Min > double.MinValue => $"≥ {Min:0}",
            _ => "",
        };
    }

    /// <summary>Family columns: the same value on every row of one NO_KK.</summary>
    public static readonly IReadOnlyList<Rule> FamilyRules =
    [
        new("KODE_DESA", Kind.KodeDesa, true, "Desa/kelurahan", "Village"),
        new("NO_KK", Kind.NoKk, true, "Nomor KK (16 angka)", "Family card number (NO_KK, 16 digits)"),
        new("ALAMAT", Kind.Text, false, "Alamat", "Address", MaxLength: 300),
        new("RT", Kind.Neighbourhood, false, "RT", "RT (neighbourhood)"),
        new("RW", Kind.Neighbourhood, false, "RW", "RW (hamlet)"),
        new("LINTANG", Kind.Decimal, false, "Lintang (GPS)", "Latitude (GPS)", -11, 6),
        new("BUJUR", Kind.Decimal, false, "Bujur (GPS)", "Longitude (GPS)", 95, 141),
        new("STATUS_BANGUNAN", Kind.Int, false, "Status kepemilikan bangunan (301a)", "Building ownership (301a)", 1, 5, Targeting: true),
        new("LUAS_LANTAI", Kind.Decimal, false, "Luas lantai (m²)", "Floor area (m²)", 0.01, 100_000, Targeting: true),
        new("JENIS_LANTAI", Kind.Int, false, "Jenis lantai (303)", "Floor material (303)", 1, 9, Targeting: true),
        new("JENIS_DINDING", Kind.Int, false, "Jenis dinding (304)", "Wall material (304)", 1, 7, Targeting: true),
        new("JENIS_ATAP", Kind.Int, false, "Jenis atap (305)", "Roof material (305)", 1, 8, Targeting: true),
        new("SUMBER_AIR_MINUM", Kind.Int, false, "Sumber air minum (306a)", "Drinking water source (306a)", 1, 11, Targeting: true),
        new("SUMBER_PENERANGAN", Kind.Int, false, "Sumber penerangan (307a)", "Lighting source (307a)", 1, 4, Targeting: true),
        new("DAYA_LISTRIK", Kind.Power, false, "Daya listrik (W)", "Installed power (W)", 0, 1_000_000, Targeting: true),
        new("BAHAN_BAKAR_MASAK", Kind.Int, false, "Bahan bakar memasak (308)", "Cooking fuel (308)", 1, 12, Targeting: true),
        new("FASILITAS_BAB", Kind.Int, false, "Fasilitas buang air besar (309a)", "Toilet facility (309a)", 1, 6, Targeting: true),
        new("ASET_KULKAS", Kind.Bool01, false, "Punya kulkas", "Owns a refrigerator", Targeting: true),
        new("ASET_AC", Kind.Bool01, false, "Punya AC", "Owns an air conditioner", Targeting: true),
        new("ASET_TV", Kind.Bool01, false, "Punya televisi", "Owns a television", Targeting: true),
        new("ASET_EMAS_10G", Kind.Bool01, false, "Punya emas ≥ 10 g", "Owns gold ≥ 10 g", Targeting: true),
        new("ASET_KOMPUTER", Kind.Bool01, false, "Punya komputer/laptop", "Owns a computer", Targeting: true),
        new("ASET_SEPEDA_MOTOR", Kind.Bool01, false, "Punya sepeda motor", "Owns a motorcycle", Targeting: true),
        new("ASET_MOBIL", Kind.Bool01, false, "Punya mobil", "Owns a car", Targeting: true),
        new("ASET_PERAHU_MOTOR", Kind.Bool01, false, "Punya perahu motor", "Owns a motor boat", Targeting: true),
        new("ASET_SMARTPHONE", Kind.Bool01, false, "Punya telepon pintar", "Owns a smartphone", Targeting: true),
        new("ASET_REKENING", Kind.Bool01, false, "Punya rekening bank aktif", "Has an active bank account", Targeting: true),
        new("LUAS_LAHAN", Kind.Decimal, false, "Luas lahan lain (m²)", "Other land owned (m²)", 0, 100_000_000, Targeting: true),
        new("TERNAK_SAPI", Kind.Int, false, "Jumlah sapi", "Cattle", 0, 100_000, Targeting: true),
        new("TERNAK_KAMBING", Kind.Int, false, "Jumlah kambing/domba", "Goats/sheep", 0, 100_000, Targeting: true),
        new("TERNAK_UNGGAS", Kind.Int, false, "Jumlah unggas", "Poultry", 0, 1_000_000, Targeting: true),
        new("DAGING_PER_MINGGU", Kind.Int, false, "Makan daging/susu/ayam per minggu", "Meat/milk/chicken per week", 0, 21, Targeting: true),
        new("PAKAIAN_PER_TAHUN", Kind.Int, false, "Stel pakaian baru per tahun", "New clothing sets per year", 0, 100, Targeting: true),
        new("MAKAN_PER_HARI", Kind.Int, false, "Makan per hari", "Meals per day", 1, 5, Targeting: true),
        new("MAMPU_BEROBAT", Kind.Bool01, false, "Mampu membayar berobat", "Can pay for treatment", Targeting: true),
        new("TABUNGAN_500RB", Kind.Bool01, false, "Tabungan/barang ≥ Rp500.000", "Savings or goods ≥ Rp500,000", Targeting: true),
        new("DESIL_NASIONAL", Kind.Int, false, "Desil nasional (DTSEN)", "National decile (DTSEN)", 1, 10, Targeting: true),
        new("PENGELUARAN_PERKAPITA", Kind.Long, false, "Pengeluaran per kapita per bulan (Rp)", "Monthly consumption per capita (Rp)", 0, 1_000_000_000, Targeting: true),
    ];

    /// <summary>Person columns. PINDAH and STATUS_DASAR are file-only instructions (a move; OpenSID's life status).</summary>
    public static readonly IReadOnlyList<Rule> PersonRules =
    [
        new("NIK", Kind.Nik, true, "NIK (16 angka)", "NIK (16 digits)"),
        new("NAMA", Kind.Text, true, "Nama lengkap", "Full name", MaxLength: 150),
        new("JENIS_KELAMIN", Kind.Sex, true, "Jenis kelamin (1 L, 2 P)", "Sex (1 male, 2 female)", Targeting: true),
        new("TEMPAT_LAHIR", Kind.Text, false, "Tempat lahir", "Place of birth", MaxLength: 100),
        new("TANGGAL_LAHIR", Kind.Date, true, "Tanggal lahir", "Date of birth"),
        new("HUBUNGAN_KK", Kind.Int, true, "Hubungan dengan kepala keluarga", "Relationship to the family head", 1, 11, Targeting: true),
        new("STATUS_KAWIN", Kind.Int, true, "Status kawin", "Marital status", 1, 4, Targeting: true),
        new("PENDIDIKAN", Kind.Int, true, "Pendidikan tertinggi", "Highest education", 1, 10, Targeting: true),
        new("STATUS_SEKOLAH", Kind.Int, false, "Status sekolah", "Schooling status", 0, 2, Targeting: true),
        new("BEKERJA", Kind.Bool01, false, "Bekerja minggu lalu", "Worked last week", Targeting: true),
        new("PEKERJAAN", Kind.Text, false, "Pekerjaan utama", "Main occupation", MaxLength: 100, Targeting: true),
        new("PENGHASILAN", Kind.Long, false, "Penghasilan per bulan (Rp)", "Monthly income (Rp)", 0, 10_000_000_000, Targeting: true),
        new("DISABILITAS", Kind.Int, true, "Disabilitas (0 tidak)", "Disability (0 none)", 0, 6, Targeting: true),
        new("PENYAKIT_KRONIS", Kind.Bool01, false, "Penyakit kronis", "Chronic illness", Targeting: true),
        new("HAMIL", Kind.Bool01, false, "Hamil", "Pregnant", Targeting: true),
        new("PINDAH", Kind.Bool01, false, "Pindah keluar dari keluarga (1 ya)", "Moved out of the family (1 yes)"),
        new("STATUS_DASAR", Kind.Int, false, "Status hidup: hidup, meninggal, pindah, hilang (kode status_dasar OpenSID)", "Life status: living, died, moved, missing (OpenSID status_dasar code)", 1, 9),
    ];

    /// <summary>Family fields the editor, a change request or a visit may change: all but the key (NO_KK) and the
    /// village (a family moves between villages by file, imported by the regency, so both villages see it).</summary>
    public static bool IsEditableFamilyField(string column) =>
        column is not ("NO_KK" or "KODE_DESA") && FamilyRules.Any(r => r.Column == column);

    /// <summary>Person fields the editor may change: all but the file-only instructions.</summary>
    public static bool IsEditablePersonField(string column) =>
        column is not ("PINDAH" or "STATUS_DASAR") && PersonRules.Any(r => r.Column == column);

    public static Rule? FamilyRule(string column) => FamilyRules.FirstOrDefault(r => r.Column == column);

    public static Rule? PersonRule(string column) => PersonRules.FirstOrDefault(r => r.Column == column);

    public static RegistryColumn<Family> FamilyColumn(string import) => RegistryColumns.Family.First(c => c.Import == import);

    public static RegistryColumn<Person>? PersonColumn(string import) => RegistryColumns.Person.FirstOrDefault(c => c.Import == import);

    /// <summary>How a value is read: the date rules need today (the regency's day, RegencyOptions.Today); a ';'-delimited file writes decimal commas.</summary>
    public sealed class Context
    {
        public required DateOnly Today { get; init; }
        public bool DecimalComma { get; init; }
        public Func<string, bool> VillageExists { get; init; } = _ => true;
        /// <summary>The villages the user may write (a village operator's village); null = every village.</summary>
        public Func<string, bool>? VillageAllowed { get; init; }
    }

    /// <summary>The outcome of one cell: a value, or an error code with its argument; a warning code besides.</summary>
    public readonly record struct Parsed(object? Value, string? Error, object? Arg, string? Warning, Nik.Parsed NikInfo);


    /// <summary>
    /// Codes, counts and flags boxed once and shared (a boxed value cannot change): a cell's value travels as an
    /// object, and a million-person file has about twenty million such cells, each a heap allocation when boxed anew
    /// (docs/benchmarks.md, "Values read without boxing"). Up to 2,200: every code list, count and the electricity
    /// classes below 2,200 VA.
    /// </summary>
    private static readonly object[] _boxedInts = [.. Enumerable.Range(0, 2201).Select(i => (object)i)];

    private static readonly object _boxedTrue = true;
    private static readonly object _boxedFalse = false;

    private static object Boxed(int value) => (uint)value < (uint)_boxedInts.Length ? _boxedInts[value] : value;

    /// <summary>Parses typed text for one field. Empty text is null (unknown) or REQUIRED.</summary>
    public static Parsed Parse(Rule rule, string? raw, Context context)
    {
        var cell = (raw ?? "").Trim();
        if (cell.Length == 0 && rule.Kind is not (Kind.Nik or Kind.NoKk))
        {
            return new Parsed(null, rule.Required ? "REQUIRED" : null, null, null, default);
        }
        string? error = null;
        string? warning = null;
        object? value = null;
        object? arg = null;
        Nik.Parsed nikInfo = default;
        switch (rule.Kind)
        {
            case Kind.Int:
            case Kind.Power:
                if (!long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    error = "NOT_INTEGER";
                }
                else if (i < rule.Min || i > rule.Max || (rule.Kind == Kind.Power && i is > 0 and < 2200 && i is not (450 or 900 or 1300)))
                {
                    error = "OUT_OF_RANGE";
                    arg = rule.Kind == Kind.Power ? "0, 450, 900, 1300, ≥ 2200" : rule.Range;
                }
                else
                {
                    value = Boxed((int)i);
                }
                break;
            case Kind.Long:
                if (!long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    error = "NOT_INTEGER";
                }
                else if (l < rule.Min || l > rule.Max)
                {
                    error = "OUT_OF_RANGE";
                    arg = rule.Range;
                }
                else
                {
                    value = l;
                }
                break;
            case Kind.Decimal:
                if (!TryParseDecimal(cell, context.DecimalComma, out var d))
                {
                    error = "NOT_NUMBER";
                }
                else if (d < rule.Min || d > rule.Max)
                {
                    error = rule.Column is "LINTANG" or "BUJUR" ? "COORDINATE" : "OUT_OF_RANGE";
                    arg = rule.Min.ToString(CultureInfo.InvariantCulture) + "–" + rule.Max.ToString(CultureInfo.InvariantCulture);
                }
                else
                {
                    value = d;
                }
                break;
            case Kind.Bool01:
                if (cell == "0")
                {
                    value = _boxedFalse;
                }
                else if (cell == "1")
                {
                    value = _boxedTrue;
                }
                else
                {
                    error = "NOT_01";
                }
                break;
            case Kind.Text:
                if (cell.Length > rule.MaxLength)
                {
                    error = "TEXT_TOO_LONG";
                    arg = rule.MaxLength;
                }
                else
                {
                    value = cell;
                }
                break;
            case Kind.Date:
                if (!TryParseDate(cell, out var date))
                {
                    error = "DATE_FORMAT";
                }
                else if (date > context.Today)
                {
                    error = "DATE_FUTURE";
                }
                else if (date.Year < 1900)
                {
                    error = "DATE_TOO_OLD";
                }
                else
                {
                    value = date;
                }
                break;
            case Kind.Sex:
                value = cell switch
                {
                    "1" or "L" or "l" => Boxed(1),
                    "2" or "P" or "p" => Boxed(2),
                    _ => null,
                };
                if (value is null)
                {
                    error = "SEX";
                }
                break;
            case Kind.Neighbourhood:
                if (cell.Length > 3 || cell.AsSpan().ContainsAnyExceptInRange('0', '9'))
                {
                    error = "OUT_OF_RANGE";
                    arg = "1–3 angka/digits";
                }
                else
                {
                    // Zero-padded to three digits: "2" and "002" are the same RT.
                    value = cell.Length == 3 ? cell : cell.PadLeft(3, '0');
                }
                break;
            case Kind.KodeDesa:
                var dotted = RegionCode.ToDotted(cell);
                if (dotted is null || dotted.Length != 13)
                {
                    error = "KODE_DESA_FORMAT";
                }
                else if (!context.VillageExists(dotted))
                {
                    error = "KODE_DESA_UNKNOWN";
                    arg = dotted;
                }
                else if (context.VillageAllowed is { } allowed && !allowed(dotted))
                {
                    error = "KODE_DESA_OUTSIDE_SCOPE";
                    arg = dotted;
                }
                else
                {
                    value = dotted;
                }
                break;
            case Kind.NoKk:
                error = NoKk.TryParse(cell, out var noKk, out var temporary);
                if (error is null)
                {
                    value = noKk;
                    warning = temporary ? "NO_KK_SEMENTARA" : null;
                }
                break;
            case Kind.Nik:
                error = Nik.TryParse(cell, context.Today, out var nik);
                if (error is null)
                {
                    nikInfo = nik;
                    value = nik.Value;
                    warning = nik.Temporary ? "NIK_SEMENTARA" : null;
                }
                break;
        }
        return new Parsed(error is null ? value : null, error, arg, warning, nikInfo);
    }

    /// <summary>The family row hash as the import computes it: per-column value hashes in the file layout's order.</summary>
    public static long FamilyHash(Family family)
    {
        Span<int> hashes = stackalloc int[FamilyRules.Count];
        for (var i = 0; i < FamilyRules.Count; i++)
        {
            hashes[i] = RegistryColumns.ValueHash(FamilyColumn(FamilyRules[i].Column).Read(family));
        }
        return RegistryColumns.Combine(hashes);
    }

    /// <summary>The readers of the person columns the row hash covers (those of the import format), in table order: a
    /// first load hashes every person, and going through <see cref="RegistryColumns.Person"/> cost an interface call and
    /// a test per column, more than the hash of most values.</summary>
    private static readonly Func<Person, ColumnValue>[] _personHashed = [.. RegistryColumns.Person.Where(c => c.Import is not null).Select(c => c.Read)];

    /// <summary>The person row hash: the same value as <see cref="RegistryColumns.HashOf{T}"/> over
    /// <see cref="RegistryColumns.Person"/>, 165 ns a person instead of 260 ns.</summary>
    public static long PersonHash(Person person)
    {
        Span<int> hashes = stackalloc int[_personHashed.Length];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = RegistryColumns.ValueHash(_personHashed[i](person));
        }
        return RegistryColumns.Combine(hashes);
    }

    private static bool TryParseDecimal(string cell, bool decimalComma, out double value)
    {
        value = 0;
        var separators = 0;
        for (var i = 0; i < cell.Length; i++)
        {
            var c = cell[i];
            if (c is '.' || (c is ',' && decimalComma))
            {
                separators++;
            }
            else if (!(char.IsAsciiDigit(c) || (c == '-' && i == 0)))
            {
                return false;
            }
        }
        if (separators > 1)
        {
            return false;
        }
        return double.TryParse(cell.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY (the spec); anything else is an error, never guessed.</summary>
    public static bool TryParseDate(string cell, out DateOnly date)
    {
        date = default;
        if (cell.Length != 10)
        {
            return false;
        }
        int year, month, day;
        if (cell[4] == '-' && cell[7] == '-')
        {
            if (!Digits(cell, 0, 4, out year) || !Digits(cell, 5, 2, out month) || !Digits(cell, 8, 2, out day))
            {
                return false;
            }
        }
        else if ((cell[2] == '-' && cell[5] == '-') || (cell[2] == '/' && cell[5] == '/'))
        {
            if (!Digits(cell, 0, 2, out day) || !Digits(cell, 3, 2, out month) || !Digits(cell, 6, 4, out year))
            {
                return false;
            }
        }
        else
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;

        static bool Digits(string s, int start, int length, out int number)
        {
            number = 0;
            for (var i = start; i < start + length; i++)
            {
                if (!char.IsAsciiDigit(s[i]))
                {
                    return false;
                }
                number = (number * 10) + (s[i] - '0');
            }
            return true;
        }
    }
}

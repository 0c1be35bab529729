namespace Tuntas.Targeting.Snapshot;

/// <summary>Where a field lives: on the family (one value per KK), on each member, or in the results of a targeting run.</summary>
public enum FieldScope
{
    Family,
    Person,
    Run,
}

/// <summary>How a field's values compare: numbers (and 0/1 booleans) or text compared case-insensitively with = and in.</summary>
public enum FieldType
{
    Number,
    Boolean,
    Text,
}

/// <summary>One field a rule or model may name, with its label in Bahasa Indonesia and English.</summary>
public sealed record TargetingField(string Name, FieldScope Scope, FieldType Type, string Label, string LabelEn);

/// <summary>
/// The catalogue of fields rules and models may use (ARCHITECTURE §5). Family and person fields are the registry's
/// import columns (docs/import-format.md); derived fields are computed once per snapshot from the members; run fields
/// exist only while a targeting run evaluates eligibility, after the scoring models (so a model cannot depend on
/// itself through them).
/// </summary>
public static class TargetingFields
{
    private static TargetingField F(string name, FieldType type, string label, string labelEn) => new(name, FieldScope.Family, type, label, labelEn);

    private static TargetingField P(string name, FieldType type, string label, string labelEn) => new(name, FieldScope.Person, type, label, labelEn);

    private static TargetingField R(string name, FieldType type, string label, string labelEn) => new(name, FieldScope.Run, type, label, labelEn);

    /// <summary>Family columns read from the registry as they are stored.</summary>
    public static readonly IReadOnlyList<TargetingField> FamilyColumns =
    [
        F("status_bangunan", FieldType.Number, "Status kepemilikan bangunan (301a)", "Building ownership (301a)"),
        F("luas_lantai", FieldType.Number, "Luas lantai (m²)", "Floor area (m²)"),
        F("jenis_lantai", FieldType.Number, "Jenis lantai (303)", "Floor material (303)"),
        F("jenis_dinding", FieldType.Number, "Jenis dinding (304)", "Wall material (304)"),
        F("jenis_atap", FieldType.Number, "Jenis atap (305)", "Roof material (305)"),
        F("sumber_air_minum", FieldType.Number, "Sumber air minum (306a)", "Drinking water source (306a)"),
        F("sumber_penerangan", FieldType.Number, "Sumber penerangan (307a)", "Lighting source (307a)"),
        F("daya_listrik", FieldType.Number, "Daya listrik (W)", "Installed power (W)"),
        F("bahan_bakar_masak", FieldType.Number, "Bahan bakar memasak (308)", "Cooking fuel (308)"),
        F("fasilitas_bab", FieldType.Number, "Fasilitas buang air besar (309a)", "Toilet facility (309a)"),
        F("aset_kulkas", FieldType.Boolean, "Punya kulkas", "Owns a refrigerator"),
        F("aset_ac", FieldType.Boolean, "Punya AC", "Owns an air conditioner"),
        F("aset_tv", FieldType.Boolean, "Punya televisi", "Owns a television"),
        F("aset_emas_10g", FieldType.Boolean, "Punya emas ≥ 10 g", "Owns gold ≥ 10 g"),
        F("aset_komputer", FieldType.Boolean, "Punya komputer/laptop", "Owns a computer"),
        F("aset_sepeda_motor", FieldType.Boolean, "Punya sepeda motor", "Owns a motorcycle"),
        F("aset_mobil", FieldType.Boolean, "Punya mobil", "Owns a car"),
        F("aset_perahu_motor", FieldType.Boolean, "Punya perahu motor", "Owns a motor boat"),
        F("aset_smartphone", FieldType.Boolean, "Punya telepon pintar", "Owns a smartphone"),
        F("aset_rekening", FieldType.Boolean, "Punya rekening bank aktif", "Has an active bank account"),
        F("luas_lahan", FieldType.Number, "Luas lahan lain (m²)", "Other land owned (m²)"),
        F("ternak_sapi", FieldType.Number, "Jumlah sapi", "Cattle"),
        F("ternak_kambing", FieldType.Number, "Jumlah kambing/domba", "Goats/sheep"),
        F("ternak_unggas", FieldType.Number, "Jumlah unggas", "Poultry"),
        F("daging_per_minggu", FieldType.Number, "Makan daging/susu/ayam per minggu", "Meat/milk/chicken per week"),
        F("pakaian_per_tahun", FieldType.Number, "Stel pakaian baru per tahun", "New clothing sets per year"),
        F("makan_per_hari", FieldType.Number, "Makan per hari", "Meals per day"),
        F("mampu_berobat", FieldType.Boolean, "Mampu membayar berobat", "Can pay for treatment"),
        F("tabungan_500rb", FieldType.Boolean, "Tabungan/barang ≥ Rp500.000", "Savings or goods ≥ Rp500,000"),
        F("desil_nasional", FieldType.Number, "Desil nasional (DTSEN)", "National decile (DTSEN)"),
        F("pengeluaran_perkapita", FieldType.Number, "Pengeluaran per kapita per bulan (Rp)", "Monthly consumption per capita (Rp)"),
    ];

    /// <summary>Family fields computed from the region code and the members when the snapshot is loaded.</summary>
    public static readonly IReadOnlyList<TargetingField> FamilyDerived =
    [
        F("kode_desa", FieldType.Text, "Kode desa/kelurahan", "Village code"),
        F("kode_kecamatan", FieldType.Text, "Kode kecamatan", "District code"),
        F("jumlah_anggota", FieldType.Number, "Jumlah anggota keluarga", "Family size"),
        F("luas_lantai_per_kapita", FieldType.Number, "Luas lantai per orang (m²)", "Floor area per person (m²)"),
        F("jumlah_balita", FieldType.Number, "Anak di bawah 6 tahun", "Children under 6"),
        F("jumlah_usia_sekolah", FieldType.Number, "Anak usia sekolah 7–18 tahun", "School-age children 7–18"),
        F("jumlah_lansia", FieldType.Number, "Lansia 70 tahun ke atas", "Elderly aged 70 and over"),
        F("jumlah_disabilitas", FieldType.Number, "Anggota dengan disabilitas", "Members with a disability"),
        F("jumlah_penyakit_kronis", FieldType.Number, "Anggota berpenyakit kronis", "Members with a chronic illness"),
        F("jumlah_hamil", FieldType.Number, "Anggota sedang hamil", "Pregnant members"),
        F("jumlah_bekerja", FieldType.Number, "Anggota yang bekerja", "Members who work"),
        F("penghasilan_total", FieldType.Number, "Penghasilan keluarga per bulan (Rp)", "Family monthly income (Rp)"),
        F("penghasilan_per_kapita", FieldType.Number, "Penghasilan per kapita per bulan (Rp)", "Monthly income per capita (Rp)"),
        F("rasio_tanggungan", FieldType.Number, "Rasio tanggungan (umur <15 dan ≥65 per umur 15–64)", "Dependency ratio"),
        F("kepala_umur", FieldType.Number, "Umur kepala keluarga", "Age of the family head"),
        F("kepala_perempuan", FieldType.Boolean, "Kepala keluarga perempuan", "Female family head"),
        F("kepala_pendidikan", FieldType.Number, "Pendidikan kepala keluarga", "Education of the family head"),
        F("kepala_bekerja", FieldType.Boolean, "Kepala keluarga bekerja", "Family head works"),
        F("kepala_penghasilan", FieldType.Number, "Penghasilan kepala keluarga (Rp)", "Income of the family head (Rp)"),
        F("kepala_pekerjaan", FieldType.Text, "Pekerjaan kepala keluarga", "Occupation of the family head"),
        F("kepala_status_kawin", FieldType.Number, "Status kawin kepala keluarga", "Marital status of the family head"),
    ];

    public static readonly IReadOnlyList<TargetingField> PersonColumns =
    [
        P("umur", FieldType.Number, "Umur (tahun, pada tanggal acuan)", "Age (years, on the reference date)"),
        P("jenis_kelamin", FieldType.Number, "Jenis kelamin (1 L, 2 P)", "Sex (1 male, 2 female)"),
        P("hubungan_kk", FieldType.Number, "Hubungan dengan kepala keluarga", "Relationship to the family head"),
        P("status_kawin", FieldType.Number, "Status kawin", "Marital status"),
        P("pendidikan", FieldType.Number, "Pendidikan tertinggi", "Highest education"),
        P("status_sekolah", FieldType.Number, "Status sekolah", "Schooling status"),
        P("bekerja", FieldType.Boolean, "Bekerja minggu lalu", "Worked last week"),
        P("pekerjaan", FieldType.Text, "Pekerjaan utama", "Main occupation"),
        P("penghasilan", FieldType.Number, "Penghasilan per bulan (Rp)", "Monthly income (Rp)"),
        P("disabilitas", FieldType.Number, "Disabilitas (0 tidak)", "Disability (0 none)"),
        P("penyakit_kronis", FieldType.Boolean, "Penyakit kronis", "Chronic illness"),
        P("hamil", FieldType.Boolean, "Hamil", "Pregnant"),
    ];

    /// <summary>Results of the scoring models in the same run; usable in eligibility rules only.</summary>
    public static readonly IReadOnlyList<TargetingField> RunFields =
    [
        R("desil", FieldType.Number, "Desil kabupaten (hasil penargetan)", "Regency decile (targeting result)"),
        R("skor_pmt", FieldType.Number, "Perkiraan pengeluaran per kapita (PMT, Rp)", "Predicted consumption per capita (PMT, Rp)"),
        R("skor_indeks", FieldType.Number, "Skor indeks tertimbang", "Weighted index score"),
        R("kriteria_bps", FieldType.Number, "Jumlah kriteria miskin BPS terpenuhi", "BPS poverty criteria met"),
        R("miskin_bps", FieldType.Boolean, "Miskin menurut 14 kriteria BPS", "Poor by the BPS 14 criteria"),
    ];

    private static readonly Dictionary<string, TargetingField> _byName =
        FamilyColumns.Concat(FamilyDerived).Concat(PersonColumns).Concat(RunFields)
            .ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<TargetingField> All => _byName.Values;

    public static TargetingField? Find(string name) => _byName.GetValueOrDefault(name.Trim());
}

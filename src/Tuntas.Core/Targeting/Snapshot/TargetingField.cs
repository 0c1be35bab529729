using Tuntas.Registry;

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
/// own, read from its one field catalogue (<see cref="RegistryFields"/>, docs/import-format.md); derived fields are computed once per snapshot from the members; run fields
/// exist only while a targeting run evaluates eligibility, after the scoring models (so a model cannot depend on
/// itself through them).
/// </summary>
public static class TargetingFields
{
    private static TargetingField F(string name, FieldType type, string label, string labelEn) => new(name, FieldScope.Family, type, label, labelEn);

    private static TargetingField P(string name, FieldType type, string label, string labelEn) => new(name, FieldScope.Person, type, label, labelEn);

    private static TargetingField R(string name, FieldType type, string label, string labelEn) => new(name, FieldScope.Run, type, label, labelEn);

    /// <summary>Family columns read from the registry as they are stored: the registry field catalogue's targeting fields.</summary>
    public static readonly IReadOnlyList<TargetingField> FamilyColumns = [.. RegistryFields.FamilyRules.Where(r => r.Targeting).Select(r => From(r, FieldScope.Family))];

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

    /// <summary>Age on the run's reference date (from TANGGAL_LAHIR), then the catalogue's person targeting fields.</summary>
    public static readonly IReadOnlyList<TargetingField> PersonColumns =
    [
        P("umur", FieldType.Number, "Umur (tahun, pada tanggal acuan)", "Age (years, on the reference date)"),
        .. RegistryFields.PersonRules.Where(r => r.Targeting).Select(r => From(r, FieldScope.Person)),
    ];

    private static TargetingField From(RegistryFields.Rule rule, FieldScope scope) =>
        new(rule.Sql, scope, rule.Kind switch
        {
            RegistryFields.Kind.Bool01 => FieldType.Boolean,
            RegistryFields.Kind.Text => FieldType.Text,
            _ => FieldType.Number,
        }, rule.Label, rule.LabelEn);

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

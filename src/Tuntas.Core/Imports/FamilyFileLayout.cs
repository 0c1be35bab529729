using Tuntas.Registry;

namespace Tuntas.Imports;

/// <summary>
/// The columns of the family import format (docs/import-format.md): which are required, which value range each takes.
/// One rule per column; <see cref="FamilyRowParser"/> applies them.
/// </summary>
public static class FamilyFileLayout
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

    public sealed record Rule(string Column, Kind Kind, bool Required, double Min = double.MinValue, double Max = double.MaxValue, int MaxLength = 200)
    {
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
        new("KODE_DESA", Kind.KodeDesa, true),
        new("NO_KK", Kind.NoKk, true),
        new("ALAMAT", Kind.Text, false, MaxLength: 300),
        new("RT", Kind.Neighbourhood, false),
        new("RW", Kind.Neighbourhood, false),
        new("LINTANG", Kind.Decimal, false, -11, 6),
        new("BUJUR", Kind.Decimal, false, 95, 141),
        new("STATUS_BANGUNAN", Kind.Int, true, 1, 5),
        new("LUAS_LANTAI", Kind.Decimal, true, 0.01, 100_000),
        new("JENIS_LANTAI", Kind.Int, true, 1, 9),
        new("JENIS_DINDING", Kind.Int, true, 1, 7),
        new("JENIS_ATAP", Kind.Int, true, 1, 8),
        new("SUMBER_AIR_MINUM", Kind.Int, true, 1, 11),
        new("SUMBER_PENERANGAN", Kind.Int, true, 1, 4),
        new("DAYA_LISTRIK", Kind.Power, false, 0, 1_000_000),
        new("BAHAN_BAKAR_MASAK", Kind.Int, true, 1, 12),
        new("FASILITAS_BAB", Kind.Int, true, 1, 6),
        new("ASET_KULKAS", Kind.Bool01, false),
        new("ASET_AC", Kind.Bool01, false),
        new("ASET_TV", Kind.Bool01, false),
        new("ASET_EMAS_10G", Kind.Bool01, false),
        new("ASET_KOMPUTER", Kind.Bool01, false),
        new("ASET_SEPEDA_MOTOR", Kind.Bool01, false),
        new("ASET_MOBIL", Kind.Bool01, false),
        new("ASET_PERAHU_MOTOR", Kind.Bool01, false),
        new("ASET_SMARTPHONE", Kind.Bool01, false),
        new("ASET_REKENING", Kind.Bool01, false),
        new("LUAS_LAHAN", Kind.Decimal, false, 0, 100_000_000),
        new("TERNAK_SAPI", Kind.Int, false, 0, 100_000),
        new("TERNAK_KAMBING", Kind.Int, false, 0, 100_000),
        new("TERNAK_UNGGAS", Kind.Int, false, 0, 1_000_000),
        new("DAGING_PER_MINGGU", Kind.Int, false, 0, 21),
        new("PAKAIAN_PER_TAHUN", Kind.Int, false, 0, 100),
        new("MAKAN_PER_HARI", Kind.Int, false, 1, 5),
        new("MAMPU_BEROBAT", Kind.Bool01, false),
        new("TABUNGAN_500RB", Kind.Bool01, false),
        new("DESIL_NASIONAL", Kind.Int, false, 1, 10),
        new("PENGELUARAN_PERKAPITA", Kind.Long, false, 0, 1_000_000_000),
    ];

    /// <summary>Person columns: one row each. PINDAH is Tuntas' addition: 1 = this NIK moves here from another KK.</summary>
    public static readonly IReadOnlyList<Rule> PersonRules =
    [
        new("NIK", Kind.Nik, true),
        new("NAMA", Kind.Text, true, MaxLength: 150),
        new("JENIS_KELAMIN", Kind.Sex, true),
        new("TEMPAT_LAHIR", Kind.Text, false, MaxLength: 100),
        new("TANGGAL_LAHIR", Kind.Date, true),
        new("HUBUNGAN_KK", Kind.Int, true, 1, 11),
        new("STATUS_KAWIN", Kind.Int, true, 1, 4),
        new("PENDIDIKAN", Kind.Int, true, 1, 10),
        new("STATUS_SEKOLAH", Kind.Int, false, 0, 2),
        new("BEKERJA", Kind.Bool01, false),
        new("PEKERJAAN", Kind.Text, false, MaxLength: 100),
        new("PENGHASILAN", Kind.Long, false, 0, 10_000_000_000),
        new("DISABILITAS", Kind.Int, true, 0, 6),
        new("PENYAKIT_KRONIS", Kind.Bool01, false),
        new("HAMIL", Kind.Bool01, false),
        new("PINDAH", Kind.Bool01, false),
    ];

    public static IEnumerable<Rule> AllRules => FamilyRules.Concat(PersonRules);

    /// <summary>The template's header: every column in the spec's order (family columns, then person columns).</summary>
    public static IReadOnlyList<string> TemplateHeader => [.. AllRules.Select(r => r.Column)];

    /// <summary>Registry column behind a family rule, by import name.</summary>
    internal static RegistryColumn<Family> FamilyColumn(string import) =>
        RegistryColumns.Family.First(c => c.Import == import);

    internal static RegistryColumn<Person>? PersonColumn(string import) =>
        RegistryColumns.Person.FirstOrDefault(c => c.Import == import);
}

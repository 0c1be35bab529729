namespace Tuntas.Programs;

/// <summary>A coded term with its label in Bahasa Indonesia and English.</summary>
public sealed record Term(string Code, string Label, string LabelEn);

/// <summary>
/// The closed vocabularies of the program side (DOMAIN §5 and OpenSID's program schema, DOMAIN §1.2):
/// who owns a program, who funds it, whom it targets, what it gives and how often, and how an enrollment ends.
/// </summary>
public static class ProgramTerms
{
    public static readonly IReadOnlyList<Term> OwnerKinds =
    [
        new("kementerian", "Kementerian/lembaga pusat", "Ministry or national agency"),
        new("pemprov", "Pemerintah provinsi", "Provincial government"),
        new("opd", "Perangkat daerah kabupaten (OPD)", "Regency agency (OPD)"),
        new("desa", "Pemerintah desa/kelurahan", "Village government"),
        new("perusahaan", "Perusahaan (CSR)", "Company (CSR)"),
        new("baznas", "BAZNAS/lembaga zakat", "BAZNAS or zakat body"),
        new("perguruan-tinggi", "Perguruan tinggi", "University"),
        new("masyarakat", "Organisasi masyarakat/LSM", "Community organisation or NGO"),
    ];

    public static readonly IReadOnlyList<Term> FundingSources =
    [
        new("APBN", "APBN", "National budget (APBN)"),
        new("APBD-PROV", "APBD provinsi", "Provincial budget"),
        new("APBD-KAB", "APBD kabupaten", "Regency budget"),
        new("APBDES", "APBDes (Dana Desa)", "Village budget (Dana Desa)"),
        new("CSR", "CSR perusahaan", "Corporate social responsibility"),
        new("BAZNAS", "BAZNAS/zakat", "BAZNAS/zakat"),
        new("PT", "Perguruan tinggi", "University"),
        new("SWADAYA", "Swadaya masyarakat", "Community self-help"),
        new("LAINNYA", "Lainnya", "Other"),
    ];

    public const string Person = "orang";
    public const string Family = "keluarga";

    public static readonly IReadOnlyList<Term> TargetUnits = [new(Person, "Orang", "Person"), new(Family, "Keluarga", "Family")];

    public static readonly IReadOnlyList<Term> BenefitKinds =
    [
        new("tunai", "Uang tunai", "Cash"),
        new("barang", "Barang (natura)", "In kind"),
        new("layanan", "Layanan/iuran", "Service or premium"),
    ];

    /// <summary>Benefit periods with how many fall in a year (for yearly totals).</summary>
    public static readonly IReadOnlyList<(Term Term, int PerYear)> Periods =
    [
        (new("bulan", "Per bulan", "Monthly"), 12),
        (new("triwulan", "Per triwulan", "Quarterly"), 4),
        (new("semester", "Per semester", "Half-yearly"), 2),
        (new("tahun", "Per tahun", "Yearly"), 1),
        (new("sekali", "Sekali", "Once"), 1),
    ];

    public const string Enrolled = "terdaftar";
    public const string Suspended = "ditangguhkan";
    public const string Exited = "keluar";

    public static readonly IReadOnlyList<Term> Statuses =
    [
        new(Enrolled, "Terdaftar", "Enrolled"),
        new(Suspended, "Ditangguhkan", "Suspended"),
        new(Exited, "Keluar", "Exited"),
    ];

    /// <summary>Why an enrollment ends (OpenSID users ask for exactly these, DOMAIN §1.3 #11072).</summary>
    public static readonly IReadOnlyList<Term> ExitReasons =
    [
        new("pindah", "Pindah", "Moved away"),
        new("meninggal", "Meninggal", "Died"),
        new("graduasi", "Graduasi/mampu", "Graduated (no longer poor)"),
        new("menolak", "Menolak", "Refused"),
        new("tidak-ditemukan", "Tidak ditemukan", "Not found"),
        new("tidak-memenuhi-syarat", "Tidak memenuhi syarat", "Not eligible"),
    ];

    public static bool Is(IReadOnlyList<Term> terms, string? code) => code is not null && terms.Any(t => t.Code == code);

    public static int PerYear(string period) => Periods.FirstOrDefault(p => p.Term.Code == period).PerYear is var n and > 0 ? n : 1;
}

namespace Tuntas.Registry;

/// <summary>
/// Code → label tables of the coded fields of the import format (REGSOSEK2022.K questions 301a–309a and the Dukcapil
/// KK codes; spec/IMPORT-FORMAT.md, DOMAIN §2.2), by import column. The labels are the official Indonesian terms; the
/// back office shows them beside the code, and the field forms (XForms) offer them as choices.
/// </summary>
public static class CodeLabels
{
    public static readonly IReadOnlyDictionary<int, string> StatusBangunan = Table("Milik sendiri", "Kontrak/sewa", "Bebas sewa", "Dinas", "Lainnya");
    public static readonly IReadOnlyDictionary<int, string> JenisLantai = Table("Marmer/granit", "Keramik", "Parket/vinil/karpet", "Ubin/tegel/teraso", "Kayu/papan", "Semen/bata merah", "Bambu", "Tanah", "Lainnya");
    public static readonly IReadOnlyDictionary<int, string> JenisDinding = Table("Tembok", "Plesteran anyaman bambu/kawat", "Kayu/papan/gypsum/GRC", "Anyaman bambu", "Batang kayu", "Bambu", "Lainnya");
    public static readonly IReadOnlyDictionary<int, string> JenisAtap = Table("Beton", "Genteng", "Seng", "Asbes", "Kayu/sirap", "Bambu", "Jerami/ijuk/daun/rumbia", "Lainnya");
    public static readonly IReadOnlyDictionary<int, string> SumberAirMinum = Table("Air kemasan bermerk", "Air isi ulang", "Leding", "Sumur bor/pompa", "Sumur terlindung", "Sumur tak terlindung", "Mata air terlindung", "Mata air tak terlindung", "Air permukaan (sungai/danau/waduk)", "Air hujan", "Lainnya");
    public static readonly IReadOnlyDictionary<int, string> SumberPenerangan = Table("Listrik PLN dengan meteran", "Listrik PLN tanpa meteran", "Listrik non-PLN", "Bukan listrik");
    public static readonly IReadOnlyDictionary<int, string> BahanBakarMasak = Table("Listrik", "LPG 5,5 kg", "LPG 12 kg", "LPG 3 kg", "Gas kota", "Biogas", "Minyak tanah", "Briket", "Arang", "Kayu bakar", "Lainnya", "Tidak memasak di rumah");
    public static readonly IReadOnlyDictionary<int, string> FasilitasBab = Table("Ada, digunakan hanya anggota keluarga sendiri", "Ada, digunakan bersama rumah tangga tertentu", "Ada, di MCK komunal", "Ada, di MCK umum", "Ada, tidak digunakan", "Tidak ada");
    public static readonly IReadOnlyDictionary<int, string> JenisKelamin = Table("Laki-laki", "Perempuan");
    public static readonly IReadOnlyDictionary<int, string> HubunganKk = Table("Kepala keluarga", "Suami", "Istri", "Anak", "Menantu", "Cucu", "Orang tua", "Mertua", "Famili lain", "Pembantu", "Lainnya");
    public static readonly IReadOnlyDictionary<int, string> StatusKawin = Table("Belum kawin", "Kawin", "Cerai hidup", "Cerai mati");
    public static readonly IReadOnlyDictionary<int, string> Pendidikan = Table("Tidak/belum sekolah", "Belum tamat SD/sederajat", "Tamat SD/sederajat", "SLTP/sederajat", "SLTA/sederajat", "Diploma I/II", "Akademi/Diploma III/Sarjana muda", "Diploma IV/Strata I", "Strata II", "Strata III");
    public static readonly IReadOnlyDictionary<int, string> StatusSekolah = new Dictionary<int, string> { [0] = "Tidak/belum pernah sekolah", [1] = "Masih sekolah", [2] = "Tidak bersekolah lagi" };
    public static readonly IReadOnlyDictionary<int, string> Disabilitas = new Dictionary<int, string>
    {
        [0] = "Tidak",
        [1] = "Fisik",
        [2] = "Netra",
        [3] = "Rungu/wicara",
        [4] = "Mental/jiwa",
        [5] = "Fisik dan mental",
        [6] = "Lainnya",
    };

    /// <summary>The table of an import column (STATUS_BANGUNAN … DISABILITAS), or null for a column without a code list.</summary>
    public static IReadOnlyDictionary<int, string>? Of(string column) => column switch
    {
        "STATUS_BANGUNAN" => StatusBangunan,
        "JENIS_LANTAI" => JenisLantai,
        "JENIS_DINDING" => JenisDinding,
        "JENIS_ATAP" => JenisAtap,
        "SUMBER_AIR_MINUM" => SumberAirMinum,
        "SUMBER_PENERANGAN" => SumberPenerangan,
        "BAHAN_BAKAR_MASAK" => BahanBakarMasak,
        "FASILITAS_BAB" => FasilitasBab,
        "JENIS_KELAMIN" => JenisKelamin,
        "HUBUNGAN_KK" => HubunganKk,
        "STATUS_KAWIN" => StatusKawin,
        "PENDIDIKAN" => Pendidikan,
        "STATUS_SEKOLAH" => StatusSekolah,
        "DISABILITAS" => Disabilitas,
        _ => null,
    };

    private static Dictionary<int, string> Table(params string[] labels) =>
        labels.Select((label, i) => (Code: i + 1, label)).ToDictionary(x => x.Code, x => x.label);
}

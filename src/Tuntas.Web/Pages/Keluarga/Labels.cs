namespace Tuntas.Web.Pages.Keluarga;

/// <summary>
/// Code → label tables of the coded fields of the import format (REGSOSEK2022.K questions 301a–309a and the Dukcapil
/// KK codes; spec/IMPORT-FORMAT.md, DOMAIN §2.2). The labels are the official Indonesian terms and are shown as such
/// in both UI languages, with the code beside them so that they can be checked against the questionnaire.
/// </summary>
public static class Labels
{
    public static readonly IReadOnlyDictionary<int, string> StatusBangunan = Tuntas.Registry.CodeLabels.StatusBangunan;
    public static readonly IReadOnlyDictionary<int, string> JenisLantai = Tuntas.Registry.CodeLabels.JenisLantai;
    public static readonly IReadOnlyDictionary<int, string> JenisDinding = Tuntas.Registry.CodeLabels.JenisDinding;
    public static readonly IReadOnlyDictionary<int, string> JenisAtap = Tuntas.Registry.CodeLabels.JenisAtap;
    public static readonly IReadOnlyDictionary<int, string> SumberAirMinum = Tuntas.Registry.CodeLabels.SumberAirMinum;
    public static readonly IReadOnlyDictionary<int, string> SumberPenerangan = Tuntas.Registry.CodeLabels.SumberPenerangan;
    public static readonly IReadOnlyDictionary<int, string> BahanBakarMasak = Tuntas.Registry.CodeLabels.BahanBakarMasak;
    public static readonly IReadOnlyDictionary<int, string> FasilitasBab = Tuntas.Registry.CodeLabels.FasilitasBab;
    public static readonly IReadOnlyDictionary<int, string> JenisKelamin = Tuntas.Registry.CodeLabels.JenisKelamin;
    public static readonly IReadOnlyDictionary<int, string> HubunganKk = Tuntas.Registry.CodeLabels.HubunganKk;
    public static readonly IReadOnlyDictionary<int, string> StatusKawin = Tuntas.Registry.CodeLabels.StatusKawin;
    public static readonly IReadOnlyDictionary<int, string> Pendidikan = Tuntas.Registry.CodeLabels.Pendidikan;
    public static readonly IReadOnlyDictionary<int, string> StatusSekolah = Tuntas.Registry.CodeLabels.StatusSekolah;
    public static readonly IReadOnlyDictionary<int, string> Disabilitas = Tuntas.Registry.CodeLabels.Disabilitas;

    /// <summary>"Tanah (8)"; an unknown code shows as "kode 12" rather than failing the page.</summary>
    public static string Of(IReadOnlyDictionary<int, string> table, int? code) =>
        code is null ? "—"
        : table.TryGetValue(code.Value, out var label) ? string.Create(CultureInfo.InvariantCulture, $"{label} ({code})")
        : string.Create(CultureInfo.InvariantCulture, $"kode {code}");
}

namespace Tuntas.Registry;

/// <summary>
/// A person's life status. Only <see cref="Hidup"/> members count in family size, targeting, the public status check and
/// program eligibility; the others stay in the family (and its history) as evidence. The import maps OpenSID's
/// <c>STATUS_DASAR</c> codes (tweb_penduduk.status_dasar: 1 hidup, 2 mati, 3 pindah, 4 hilang, 6 pergi, 9 tidak valid)
/// onto these (docs/import-format.md).
/// </summary>
public static class LifeStatus
{
    public const int Hidup = 1;
    public const int Meninggal = 2;
    public const int Pindah = 3;
    public const int Hilang = 4;

    public static readonly IReadOnlyList<int> All = [Hidup, Meninggal, Pindah, Hilang];

    public static string Code(int status) => status switch
    {
        Meninggal => "meninggal",
        Pindah => "pindah",
        Hilang => "hilang",
        _ => "hidup",
    };

    /// <summary>The status in English words, for the English half of a message that names it by <see cref="Code"/>.</summary>
    public static string English(int status) => status switch
    {
        Meninggal => "died",
        Pindah => "moved away",
        Hilang => "missing",
        _ => "living",
    };

    public static int? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "1" or "hidup" => Hidup,
        "2" or "meninggal" or "mati" => Meninggal,
        "3" or "pindah" => Pindah,
        "4" or "hilang" => Hilang,
        _ => null,
    };

    /// <summary>OpenSID STATUS_DASAR → life status; 6 (pergi: left without a formal move) is a move with unknown destination;
    /// 9 (tidak valid) and unknown codes are refused (null) — a wrong record is removed through verification, not by a file.</summary>
    public static int? FromStatusDasar(int code) => code switch
    {
        1 => Hidup,
        2 => Meninggal,
        3 or 6 => Pindah,
        4 => Hilang,
        _ => null,
    };

    /// <summary>Life status → OpenSID STATUS_DASAR (1 hidup, 2 mati, 3 pindah, 4 hilang): <see cref="FromStatusDasar"/>
    /// read backwards, for the exports.</summary>
    public static int ToStatusDasar(int status) => status switch
    {
        Meninggal => 2,
        Pindah => 3,
        Hilang => 4,
        _ => 1,
    };
}

namespace Tuntas.Programs;

/// <summary>
/// The header of a recipient list as it comes (docs/programs.md): Tuntas' column names or the social ministry's
/// (SIKS-NG / BNBA exports: <c>NIK_KTP</c>, <c>NAMA_PENERIMA</c>, <c>NOKK_DTKS</c>…) or OpenSID's program workbook
/// (<c>peserta</c>, <c>nama</c>, <c>no_kk</c>). Names are matched without regard to case, spaces, dots or dashes.
/// The card number, the DTKS ids and the disbursement phase are read (<see cref="RecipientListFields"/>); blank cells
/// and columns not known (<c>NO</c>, <c>NMKAB</c>, <c>BANSOS</c>…) are kept out of the way; a known column named twice
/// is an error, never a crash.
/// </summary>
public static class RecipientHeader
{
    /// <summary>The sheet of a workbook read for the list when it has one: OpenSID's program workbook keeps the program on
    /// its first sheet ("Program Bantuan") and its recipients on "Peserta". Otherwise the first sheet.</summary>
    public static IReadOnlyList<string> PreferredSheets { get; } = ["Peserta"];

    /// <summary>Rows looked at for the header below a title block.</summary>
    public const int MaxTitleRows = 20;

    private static readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal)
    {
        ["NIK"] = "NIK",
        ["NIK_KTP"] = "NIK",
        ["NIK_PENERIMA"] = "NIK",
        ["NO_NIK"] = "NIK",
        ["NIK_ART"] = "NIK",
        ["PESERTA"] = "NIK",
        ["NO_KK"] = "NO_KK",
        ["NOKK"] = "NO_KK",
        ["NOKK_DTKS"] = "NO_KK",
        ["NO_KK_DTKS"] = "NO_KK",
        ["NOMOR_KK"] = "NO_KK",
        ["NAMA"] = "NAMA",
        ["NAMA_PENERIMA"] = "NAMA",
        ["NAMA_LENGKAP"] = "NAMA",
        ["NAMA_PENERIMA_MANFAAT"] = "NAMA",
        ["NAMA_KRT"] = "NAMA",
        ["NOMINAL"] = "NOMINAL",
        ["PERIODE"] = "PERIODE",
        ["TANGGAL_SALUR"] = "TANGGAL_SALUR",
        ["SALURAN"] = "SALURAN",
        ["TANGGAL_MULAI"] = "TANGGAL_MULAI",
        // Kept on the enrollment and the payment (RecipientListFields).
        ["NOMOR_KARTU"] = "NOMOR_KARTU",
        ["NO_KARTU"] = "NOMOR_KARTU",
        ["NOKARTU"] = "NOMOR_KARTU",
        ["NOMOR_KKS"] = "NOMOR_KARTU",
        ["NO_KKS"] = "NOMOR_KARTU",
        ["NO_KARTU_KKS"] = "NOMOR_KARTU",
        ["IDARTBDT"] = "IDARTBDT",
        ["ID_ART_BDT"] = "IDARTBDT",
        ["IDSEMESTA"] = "IDSEMESTA",
        ["ID_SEMESTA"] = "IDSEMESTA",
        ["TAHAP"] = "TAHAP",
        ["TAHAP_SALUR"] = "TAHAP",
        ["TAHAP_PENYALURAN"] = "TAHAP",
    };

    public sealed record Resolved(IReadOnlyDictionary<string, int> Columns, string? Duplicate)
    {
        public bool Recognised => Duplicate is null && Columns.ContainsKey("NAMA") && (Columns.ContainsKey("NIK") || Columns.ContainsKey("NO_KK"));
    }

    public static string Normalise(string name)
    {
        var chars = name.Trim().TrimStart('\uFEFF').ToUpperInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray();
        return string.Join('_', new string(chars).Split('_', StringSplitOptions.RemoveEmptyEntries));
    }

    public static Resolved Resolve(IReadOnlyList<string> cells)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        string? duplicate = null;
        for (var i = 0; i < cells.Count; i++)
        {
            var name = Normalise(cells[i]);
            if (name.Length == 0 || !_aliases.TryGetValue(name, out var canonical))
            {
                continue;
            }
            if (!columns.TryAdd(canonical, i))
            {
                duplicate ??= cells[i].Trim();
            }
        }
        return new Resolved(columns, duplicate);
    }
}

using System.Text.RegularExpressions;

namespace Tuntas.Registry;

/// <summary>
/// How a change-history value is shown, the same on the family page and in <c>GET /api/families/{id}/history</c>:
/// values of sensitive fields (UU PDP, DOMAIN §9) are hidden from roles that may not see the fields themselves, and any
/// 16-digit identifier inside a value (NIK, NO_KK, KELUARGA_BARU's NO_KK, "pindah ke KK …") is masked.
/// </summary>
public static partial class HistoryValues
{
    public static bool IsSensitiveField(string field) => field is "DISABILITAS" or "PENYAKIT_KRONIS" or "PENGHASILAN" or "HAMIL" or "NIK";

    public static string? Show(string field, string? value, bool showSensitive) =>
        !showSensitive && IsSensitiveField(field) ? "••••"
        : value is null ? null
        : MaskIdentifiers(value);

    /// <summary>
    /// <paramref name="text"/> with every 16-digit identifier in it masked: a file's name as stored and shown (an import
    /// job, a history line's source file, the audit trail). Villages name files by the family — "KK 3314010101210001
    /// Sutrisno.csv" — and the name was kept whole and shown to roles that see identifiers masked.
    /// </summary>
    public static string MaskIdentifiers(string text) => SixteenDigits().Replace(text, match => Nik.Mask(match.Value));

    [GeneratedRegex(@"(?<!\d)\d{16}(?!\d)")]
    private static partial Regex SixteenDigits();
}

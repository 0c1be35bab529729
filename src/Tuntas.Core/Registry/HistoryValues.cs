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
        : SixteenDigits().Replace(value, match => Nik.Mask(match.Value));

    [GeneratedRegex(@"(?<!\d)\d{16}(?!\d)")]
    private static partial Regex SixteenDigits();
}

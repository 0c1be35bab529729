namespace Tuntas.Regions;

/// <summary>
/// Kemendagri region codes in their two spellings: dotted <c>33.14.01.2001</c> and plain <c>3314012001</c> (DOMAIN §4.3).
/// </summary>
public static class RegionCode
{
    /// <summary>Normalises a village, district, regency or province code to its dotted form; null when malformed.</summary>
    public static string? ToDotted(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return null;
        }
        Span<char> digits = stackalloc char[10];
        var count = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                continue;
            }
            if (c is < '0' or > '9' || count == 10)
            {
                return null;
            }
            digits[count++] = c;
        }
        var hasDots = text.Contains('.');
        return count switch
        {
            2 => new string(digits[..2]),
            4 => $"{digits[..2]}.{digits[2..4]}",
            6 => $"{digits[..2]}.{digits[2..4]}.{digits[4..6]}",
            10 => $"{digits[..2]}.{digits[2..4]}.{digits[4..6]}.{digits[6..10]}",
            _ => null,
        } is { } dotted && (!hasDots || dotted == text.ToString()) ? dotted : null;
    }

    /// <summary>The plain 10-digit form used inside NIK, NO_KK and temporary numbers.</summary>
    public static string ToPlain(string dotted) => dotted.Replace(".", "", StringComparison.Ordinal);

    public static string DistrictOf(string villageCode) => villageCode[..8];
    public static string RegencyOf(string code) => code[..5];
    public static string ProvinceOf(string code) => code[..2];

    /// <summary>Whether a dotted code is the region itself or lies inside it (33.14.01.2001 in 33.14.01; not in 33.14.0).</summary>
    public static bool IsWithin(string code, string region) =>
        code == region || (code.Length > region.Length && code[region.Length] == '.' && code.StartsWith(region, StringComparison.Ordinal));
}

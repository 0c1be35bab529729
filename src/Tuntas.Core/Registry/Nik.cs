using Tuntas.Regions;

namespace Tuntas.Registry;

/// <summary>
/// Nomor Induk Kependudukan (DOMAIN §4.1; PP 37/2007 Pasal 37): <c>PP KK CC DDMMYY SSSS</c> — 6 digits of the region of
/// first registration, the birth date with day + 40 for women, a 4-digit serial. Checked: 16 digits, the province
/// exists, day 01–31 or 41–71, month 01–12. A birth-date mismatch is never a rejection: the NIK is permanent even when
/// the recorded date is corrected later. Temporary numbers (<c>0</c> + 10-digit desa code + 5-digit serial, OpenSID's
/// convention) are accepted and flagged.
/// </summary>
public static class Nik
{
    public readonly record struct Parsed(string Value, bool Temporary, DateOnly? BirthDate, int? Sex);

    /// <summary>Validates a cell as typed by a user or Excel; returns an error code (see <see cref="IdentifierErrors"/>) or null.</summary>
    public static string? TryParse(string? cell, DateOnly today, out Parsed parsed)
    {
        parsed = default;
        var error = IdentifierText.Normalize(cell, out var digits);
        if (error is not null)
        {
            return error == IdentifierErrors.Format ? "NIK_FORMAT" : "NIK_" + error;
        }
        if (digits[0] == '0')
        {
            // Temporary number: 0 + 10-digit desa code + 5-digit serial (OpenSID). The desa part must at least name a province.
            if (!Provinces.Exists(digits.AsSpan(1, 2)))
            {
                return "NIK_PROVINSI";
            }
            parsed = new Parsed(digits, Temporary: true, BirthDate: null, Sex: null);
            return null;
        }
        if (!Provinces.Exists(digits.AsSpan(0, 2)))
        {
            return "NIK_PROVINSI";
        }
        var day = int.Parse(digits.AsSpan(6, 2), CultureInfo.InvariantCulture);
        var month = int.Parse(digits.AsSpan(8, 2), CultureInfo.InvariantCulture);
        var year2 = int.Parse(digits.AsSpan(10, 2), CultureInfo.InvariantCulture);
        var sex = day > 40 ? 2 : 1;
        var realDay = day > 40 ? day - 40 : day;
        if (realDay is < 1 or > 31 || month is < 1 or > 12)
        {
            return "NIK_TANGGAL";
        }
        // Two-digit year: the latest century that does not put the birth date in the future.
        var year = 2000 + year2;
        if (year > today.Year)
        {
            year -= 100;
        }
        DateOnly? birth = realDay <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, realDay) : null;
        if (birth is null)
        {
            return "NIK_TANGGAL";
        }
        if (birth > today)
        {
            birth = birth.Value.AddYears(-100);
        }
        parsed = new Parsed(digits, Temporary: false, birth, sex);
        return null;
    }

    /// <summary>Builds a NIK: <paramref name="districtCode6"/> + DDMMYY (day + 40 for women) + serial.</summary>
    public static string Compose(string districtCode6, DateOnly birthDate, int sex, int serial)
    {
        var day = birthDate.Day + (sex == 2 ? 40 : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{districtCode6}{day:00}{birthDate.Month:00}{birthDate.Year % 100:00}{serial:0000}");
    }

    /// <summary>Masked for display (<c>3314••••••••0003</c>): region and serial kept, birth date hidden (UU PDP).</summary>
    public static string Mask(string nik) => nik.Length == 16 ? string.Concat(nik.AsSpan(0, 4), "••••••••", nik.AsSpan(12, 4)) : "••••";

    /// <summary>
    /// A value typed for a NIK or NO_KK that is not one (<c>331401 181272 1001</c>, a doubled apostrophe, a hidden
    /// character), masked as <see cref="Mask"/> masks the identifier inside it: its first four digits kept, its last
    /// four too when it holds at least twelve, every other digit (of any script) hidden; the spaces and characters that
    /// make it wrong stay as typed, so the operator still sees the mistake without the report carrying a birth date.
    /// </summary>
    public static string MaskTyped(string text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            digits += char.IsDigit(c) ? 1 : 0;
        }
        var keepLast = digits >= 12 ? 4 : 0;
        var masked = new StringBuilder(text.Length);
        var seen = 0;
        foreach (var c in text)
        {
            if (!char.IsDigit(c))
            {
                masked.Append(c);
                continue;
            }
            masked.Append(seen < 4 || seen >= digits - keepLast ? c : '•');
            seen++;
        }
        return masked.ToString();
    }
}

/// <summary>Nomor Kartu Keluarga (DOMAIN §4.2): 16 digits (region 6 + registration date 6 + serial 4); temporary <c>0…</c> numbers flagged.</summary>
public static class NoKk
{
    public static string? TryParse(string? cell, out string value, out bool temporary)
    {
        value = "";
        temporary = false;
        var error = IdentifierText.Normalize(cell, out var digits);
        if (error is not null)
        {
            return error == IdentifierErrors.Format ? "NO_KK_FORMAT" : "NO_KK_" + error;
        }
        if (!Provinces.Exists(digits.AsSpan(digits[0] == '0' ? 1 : 0, 2)))
        {
            return "NO_KK_PROVINSI";
        }
        value = digits;
        temporary = digits[0] == '0';
        return null;
    }

    public static string Compose(string districtCode6, DateOnly registered, int serial) =>
        string.Create(CultureInfo.InvariantCulture, $"{districtCode6}{registered.Day:00}{registered.Month:00}{registered.Year % 100:00}{serial:0000}");

    public static string Mask(string noKk) => Nik.Mask(noKk);
}

public static class IdentifierErrors
{
    public const string Empty = "KOSONG";
    public const string Scientific = "NOTASI_ILMIAH";
    public const string Format = "FORMAT";
}

internal static class IdentifierText
{
    /// <summary>A long number Excel turned into scientific notation (<c>3.31401E+15</c>, or <c>3,31401E+15</c> as Excel
    /// writes it in the Indonesian locale): its digits are lost.</summary>
    public static bool IsScientific(string text) =>
        text.Contains('E', StringComparison.OrdinalIgnoreCase) && text.Any(char.IsDigit)
        && double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Excel's leading apostrophe (a number typed as text) and the spaces around a cell, removed.</summary>
    public static string Unquoted(string cell)
    {
        var text = cell.Trim();
        return text.StartsWith('\'') ? text[1..].Trim() : text;
    }

    /// <summary>Strips spaces and Excel's leading apostrophe; refuses scientific notation (<c>3.31401E+15</c>) outright.</summary>
    public static string? Normalize(string? cell, out string digits)
    {
        digits = "";
        var text = Unquoted(cell ?? "");
        if (text.Length == 0)
        {
            return IdentifierErrors.Empty;
        }
        if (IsScientific(text))
        {
            return IdentifierErrors.Scientific;
        }
        if (text.Length != 16 || !text.All(char.IsAsciiDigit))
        {
            return IdentifierErrors.Format;
        }
        digits = text;
        return null;
    }
}

/// <summary>The 38 province codes of the shipped Kemendagri table: the first check of every NIK and NO_KK.</summary>
public static class Provinces
{
    private static readonly Lazy<HashSet<int>> _codes = new(ReadProvinceCodes);

    /// <summary>A province's line is the only one whose code has two digits and no dot (<c>33,Jawa Tengah,province,</c>):
    /// found without splitting the 91,000 lines, as every first NIK of a process waits for this (docs/cli-startup.md).</summary>
    private static HashSet<int> ReadProvinceCodes()
    {
        using var stream = LoadRegions.OpenShippedRegions();
        using var reader = new StreamReader(stream);
        var codes = new HashSet<int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 3 && line[2] == ',' && char.IsAsciiDigit(line[0]) && char.IsAsciiDigit(line[1]))
            {
                codes.Add((line[0] - '0') * 10 + line[1] - '0');
            }
        }
        return codes;
    }

    public static bool Exists(ReadOnlySpan<char> twoDigits) =>
        int.TryParse(twoDigits, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && _codes.Value.Contains(code);
}

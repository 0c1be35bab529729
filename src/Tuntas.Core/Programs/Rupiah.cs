using System.Text.RegularExpressions;

namespace Tuntas.Programs;

/// <summary>
/// Reads rupiah amounts the way recipient lists write them: <c>1500000</c>, <c>1.500.000</c>, <c>Rp 1.500.000,00</c>,
/// <c>Rp1,5 jt</c>, <c>1,5 juta</c>, <c>300rb</c>, <c>300 ribu</c>. In Indonesian usage "." groups thousands and ","
/// is the decimal mark; a lone "1.5" or "1,500" is ambiguous and refused rather than guessed.
/// </summary>
public static partial class Rupiah
{
    /// <summary>An amount as a list writes it and both languages read it: <c>Rp750.000</c> ("." groups thousands).</summary>
    public static string Format(long amount) =>
        "Rp" + amount.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture).Replace(',', '.');

    /// <summary>The amount in whole rupiah, or null with the reason (Indonesian, English) when it cannot be read.</summary>
    public static (long? Value, string? Problem, string? ProblemEn) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null, null);
        }
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return (null, $"'{text}' bukan jumlah rupiah (contoh: 1500000, 1.500.000, Rp 1,5 jt).",
                $"'{text}' is not a rupiah amount (e.g. 1500000, 1.500.000, Rp 1,5 jt).");
        }
        var number = match.Groups["number"].Value;
        // 100 billion with two decimals has 14 digits; more cannot be an amount, and 29 or more overflow decimal.
        if (number.Count(char.IsAsciiDigit) > 16)
        {
            return OutOfRange(text);
        }
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        var multiplier = unit switch
        {
            "jt" or "juta" => 1_000_000m,
            "rb" or "ribu" or "k" => 1_000m,
            "m" or "miliar" or "milyar" => 1_000_000_000m,
            _ => 1m,
        };
        decimal value;
        if (GroupedThousands().IsMatch(number))
        {
            // 1.500.000 or 1.500.000,00
            var parts = number.Split(',');
            value = decimal.Parse(parts[0].Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            if (parts.Length == 2)
            {
                value += decimal.Parse("0." + parts[1], CultureInfo.InvariantCulture);
            }
        }
        else if (number.Contains('.', StringComparison.Ordinal) || (number.Contains(',', StringComparison.Ordinal) && multiplier == 1 && number.Split(',')[1].Length == 3))
        {
            return (null, $"'{text}' ambigu: tulis 1.500.000 (titik pemisah ribuan) atau 1,5 jt (koma desimal).",
                $"'{text}' is ambiguous: write 1.500.000 (dot groups thousands) or 1,5 jt (decimal comma).");
        }
        else
        {
            value = decimal.Parse(number.Replace(',', '.'), CultureInfo.InvariantCulture);
        }
        value *= multiplier;
        if (value != decimal.Truncate(value) || value > 100_000_000_000m)
        {
            return OutOfRange(text);
        }
        return ((long)value, null, null);
    }

    private static (long?, string?, string?) OutOfRange(string text) =>
        (null, $"'{text}' harus rupiah bulat antara 0 dan 100 miliar.", $"'{text}' must be whole rupiah between 0 and 100 billion.");

    [GeneratedRegex(@"^(?:rp\.?\s*)?(?<number>\d[\d.,]*)\s*(?<unit>jt|juta|rb|ribu|k|m|miliar|milyar)?\.?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")]
    private static partial Regex GroupedThousands();
}

namespace Tuntas.Linkage;

/// <summary>
/// Birth dates to <c>yyyyMMdd</c> for comparison. A fixed-width format (<c>yyyyMMdd</c>, <c>dd-MM-yyyy</c>, …) is read by
/// position, so an impossible date typed by hand ("19651313", 31 February) still compares digit by digit with the right
/// one — exactly the errors linkage must survive; other formats go through <see cref="DateTime.TryParseExact(string, string, IFormatProvider, DateTimeStyles, out DateTime)"/>.
/// </summary>
public static class BirthDates
{
    public const string DefaultFormat = "yyyy-MM-dd";

    /// <summary>True when the format names a four-digit year, a month and a day (checked before any work).</summary>
    public static bool IsUsable(string format) =>
        format.Contains("yyyy", StringComparison.Ordinal) && format.Contains('M', StringComparison.Ordinal) && format.Contains('d', StringComparison.Ordinal);

    public static string? Prepare(string? raw, string format)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var text = raw.Trim();
        var year = format.IndexOf("yyyy", StringComparison.Ordinal);
        var month = format.IndexOf("MM", StringComparison.Ordinal);
        var day = format.IndexOf("dd", StringComparison.Ordinal);
        if (text.Length == format.Length && year >= 0 && month >= 0 && day >= 0)
        {
            var digits = string.Concat(text.AsSpan(year, 4), text.AsSpan(month, 2), text.AsSpan(day, 2));
            return digits.All(char.IsAsciiDigit) ? digits : null;
        }
        return DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
            : null;
    }

    public static string Format(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool TryDate(string yyyyMMdd, out DateOnly date) =>
        DateOnly.TryParseExact(yyyyMMdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}

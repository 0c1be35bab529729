using Tuntas.Registry;

namespace Tuntas.Programs;

/// <summary>
/// The cells of a ministry's recipient list beside the recipient and the payment (docs/programs.md, "Lists as they
/// come"): the card the benefit is paid on (<c>NOMOR_KARTU</c>: KKS, KIS), the recipient's ids in BDT 2015
/// (<c>IDARTBDT</c>) and the DTKS (<c>IDSEMESTA</c>), kept on the enrollment; and the disbursement phase (<c>TAHAP</c>),
/// kept on the payment. Each is checked here, with a message in Bahasa Indonesia and English.
/// </summary>
public static class RecipientListFields
{
    public const int MaxCardLength = 32;
    public const int MaxIdLength = 40;

    /// <summary>Phases a year at most: PKH pays in four, BPNT/sembako monthly.</summary>
    public const int MaxTahap = 12;

    private static readonly string[] _roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

    /// <summary>
    /// A card number or an id as written, or null when empty; a problem when it is not one: too long, characters other
    /// than letters, digits, spaces and dashes, or a long number Excel turned into scientific notation (as it does NIKs).
    /// </summary>
    public static string? Identifier(string cell, string column, int maxLength, List<(string Column, string Id, string En)> problems)
    {
        cell = IdentifierText.Unquoted(cell);
        if (cell.Length == 0)
        {
            return null;
        }
        // The NIK's own check (IdentifierText): a card number suffers from Excel as a NIK does.
        if (IdentifierText.IsScientific(cell.Replace(',', '.')))
        {
            problems.Add((column, $"{column} tertulis dalam notasi ilmiah (Excel mengubah angka panjang); format kolom sebagai Teks lalu ketik ulang.",
                $"{column} is in scientific notation (Excel altered a long number); format the column as Text and re-enter it."));
            return null;
        }
        if (cell.Length > maxLength || !cell.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-'))
        {
            problems.Add((column, $"{column} harus huruf dan angka, paling panjang {maxLength} karakter.",
                $"{column} must be letters and digits, at most {maxLength} characters."));
            return null;
        }
        return cell;
    }

    /// <summary>
    /// The phase: <c>2</c>, <c>Tahap 2</c>, <c>II</c> or <c>Tahap II</c> (the ministry writes all four), 1 to
    /// <see cref="MaxTahap"/>; null when empty; a problem otherwise.
    /// </summary>
    public static int? Tahap(string cell, List<(string Column, string Id, string En)> problems)
    {
        if (cell.Length == 0)
        {
            return null;
        }
        var text = cell.Trim().ToUpperInvariant();
        if (text.StartsWith("TAHAP", StringComparison.Ordinal))
        {
            text = text[5..].Trim();
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= MaxTahap)
        {
            return number;
        }
        var roman = Array.IndexOf(_roman, text);
        if (roman >= 0)
        {
            return roman + 1;
        }
        problems.Add(("TAHAP", $"TAHAP harus nomor tahap penyaluran 1–{MaxTahap} (mis. 2, Tahap 2 atau II), bukan {(cell.Length > 20 ? cell[..20] + "…" : cell)}.",
            $"TAHAP must be the disbursement phase 1–{MaxTahap} (e.g. 2, Tahap 2 or II), not {(cell.Length > 20 ? cell[..20] + "…" : cell)}."));
        return null;
    }

    /// <summary>
    /// The paid month as YYYY-MM, or null when the text is not one. Excel turns a typed "2026-11" into the date 1 November
    /// 2026, which the workbook reader gives as 2026-11-01: that date is the month.
    /// </summary>
    public static string? Period(string text)
    {
        text = text.Trim();
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var typed) && typed.Day == 1)
        {
            text = text[..7];
        }
        return text.Length == 7 && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? text : null;
    }

    /// <summary>An identifier a recipient list gave (card number, IDARTBDT, IDSEMESTA) as lists, pages and histories show it
    /// by default: its last four characters, enough to tell two apart on a call (UU PDP 27/2022: least privilege).</summary>
    public static string? Mask(string? card) =>
        card is null ? null : card.Length <= 4 ? new string('•', card.Length) : new string('•', card.Length - 4) + card[^4..];
}

using System.Security.Cryptography;

namespace Tuntas.Complaints;

/// <summary>
/// Ticket numbers like <c>ADU-K7QM-X4PN</c>: 8 random characters from 31 without look-alikes (no 0/O, 1/I/L) — about
/// 40 bits, so tickets cannot be guessed or counted (a serial number would tell everyone how many complaints there are
/// and let anyone read others'). Easy to read out over the phone at the posko.
/// </summary>
public static class ComplaintTicket
{
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static string New()
    {
        Span<char> chars = stackalloc char[8];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return $"ADU-{chars[..4]}-{chars[4..]}";
    }

    /// <summary>The ticket as typed (lower case, spaces, without the prefix) in its stored form; null when it cannot be one.</summary>
    public static string? Normalize(string? text)
    {
        var letters = new string([.. (text ?? "").ToUpperInvariant().Where(char.IsAsciiLetterOrDigit)]);
        if (letters.StartsWith("ADU", StringComparison.Ordinal))
        {
            letters = letters[3..];
        }
        return letters.Length == 8 && letters.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? $"ADU-{letters[..4]}-{letters[4..]}" : null;
    }
}

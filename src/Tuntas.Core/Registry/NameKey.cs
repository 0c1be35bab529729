using System.Globalization;
using System.Text;

namespace Tuntas.Registry;

/// <summary>
/// Spelling-tolerant key of an Indonesian name, so that "Siti Nurhaliza", "Siti Nur Haliza" and "SITI NURHALIZAH" find
/// each other. Spaces and punctuation go; the old Van Ophuijsen and Soewandi spellings still on many KK cards are
/// folded into EYD (oe→u, dj→j, tj→c, j→y before a vowel is NOT folded: "Jusuf"/"Yusuf" stay apart on purpose, since
/// j is far more often a real j); common transliteration variants of Arabic names are folded (ch/kh→h, dz/z→s,
/// sy→s, ph→f, q→k, v→f, x→ks, th→t, dh→d); a trailing h and doubled letters are dropped; o→u and e→i are folded
/// because Javanese spellings swap them ("Mochamad"/"Muhammad", "Slamet"/"Slamit").
/// </summary>
public static class NameKey
{
    public static string For(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }
        var letters = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z')
            {
                letters.Append(lower);
            }
        }
        var s = letters.ToString();
        s = s.Replace("oe", "u", StringComparison.Ordinal)
             .Replace("dj", "j", StringComparison.Ordinal)
             .Replace("tj", "c", StringComparison.Ordinal)
             .Replace("ch", "h", StringComparison.Ordinal)
             .Replace("kh", "h", StringComparison.Ordinal)
             .Replace("sy", "s", StringComparison.Ordinal)
             .Replace("sj", "s", StringComparison.Ordinal)
             .Replace("ph", "f", StringComparison.Ordinal)
             .Replace("th", "t", StringComparison.Ordinal)
             .Replace("dh", "d", StringComparison.Ordinal)
             .Replace("dz", "s", StringComparison.Ordinal)
             .Replace('z', 's')
             .Replace('q', 'k')
             .Replace('v', 'f')
             .Replace("x", "ks", StringComparison.Ordinal)
             .Replace('o', 'u')
             .Replace('e', 'i');
        var folded = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (folded.Length > 0 && folded[^1] == c)
            {
                continue;
            }
            folded.Append(c);
        }
        // A silent h closing a syllable before a consonant or at the end (Muhammad/Muhamad, Nurhalizah/Nurhaliza).
        for (var i = folded.Length - 1; i >= 1; i--)
        {
            var atEnd = i == folded.Length - 1;
            var beforeConsonant = !atEnd && !IsVowel(folded[i + 1]);
            if (folded[i] == 'h' && IsVowel(folded[i - 1]) && (atEnd || beforeConsonant))
            {
                folded.Remove(i, 1);
            }
        }
        return folded.ToString();
    }

    private static bool IsVowel(char c) => c is 'a' or 'i' or 'u' or 'e' or 'o';
}

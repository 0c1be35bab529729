using Tuntas.Registry;

namespace Tuntas.Linkage;

/// <summary>
/// A name made comparable before Jaro-Winkler sees it, the way Indonesian registries differ (DOMAIN §4; Dukcapil's
/// "nama sesuai KTP" rule vs what villages type):
/// <list type="bullet">
/// <item>titles and honorifics go: H., Hj., Haji, Hajah, Ny., Nyonya, Bpk., Bapak, Ibu, Sdr., Tn., Dr., Ir., Drs., Dra.,
/// and academic suffixes after a comma (", S.Pd.");</item>
/// <item>the patronymic goes: everything from <c>bin</c>/<c>binti</c>/<c>bt</c> on ("Ahmad bin Sulaiman" = "Ahmad");</item>
/// <item>abbreviated and spelled-out forms of the prophet's name become one token: Moh., Moch., Muh., Much., Mochamad,
/// Mohamad, Muhamad, Muchammad, Mohammed → <c>muhammad</c>; M. at the start also;</item>
/// <item>old spellings are folded per token: oe→u (Soekarno/Sukarno), dj→j (Djono/Jono), tj→c (Tjipto/Cipto),
/// ch→kh (Chairul/Khairul), sj→sy, and doubled letters collapse (Sitti/Siti, Muhammad/Muhamad).</item>
/// </list>
/// Token order is kept; <see cref="SortedTokens"/> gives the order-free form the comparison also tries.
/// </summary>
public static class IndonesianName
{
    private static readonly HashSet<string> _titles = new(StringComparer.Ordinal)
    {
        "h", "hj", "haji", "hajah", "hajjah", "ny", "nyonya", "nyi", "bpk", "bapak", "pak", "ibu", "bu", "sdr", "sdri", "tn", "tuan",
        "dr", "ir", "drs", "dra", "prof", "kh", "almarhum", "alm", "almh", "mr", "mrs", "ms", "miss",
    };

    private static readonly HashSet<string> _muhammad = new(StringComparer.Ordinal)
    {
        "moh", "moch", "mochd", "muh", "much", "mhd", "mohd", "muhd", "mochamad", "mochammad", "mohamad", "mohammad", "mohamed",
        "mohammed", "muhamad", "muhammad", "muchamad", "muchammad", "muhamat", "muhammat", "mukhamad", "mukhammad", "mokhamad",
        "mochamat", "mahmad", "mamad",
    };

    private static readonly HashSet<string> _patronymic = new(StringComparer.Ordinal) { "bin", "binti", "bt", "bte", "b" };

    /// <summary>The normalised name: lower-case ASCII tokens joined by one space; empty for a blank name.</summary>
    public static string Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }
        // Academic degrees follow a comma ("Siti Aminah, S.Pd."): the part after the first comma is never the name.
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0)
        {
            name = name[..comma];
        }
        var tokens = Tokens(name);
        var kept = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            // "bin"/"binti" (and "b."/"bt.") introduce the father's name; "b" alone only counts after a given name.
            if (kept.Count > 0 && _patronymic.Contains(token) && i < tokens.Count - 1)
            {
                break;
            }
            if (_titles.Contains(token) && tokens.Count - i > 1)
            {
                continue;
            }
            if (_muhammad.Contains(token) || (token == "m" && i == 0 && tokens.Count > 1))
            {
                kept.Add("muhammad");
                continue;
            }
            kept.Add(Fold(token));
        }
        return string.Join(' ', kept);
    }

    /// <summary>The normalised tokens in ordinal order ("aminah siti" and "siti aminah" alike).</summary>
    public static string SortedTokens(string normalized)
    {
        if (normalized.IndexOf(' ', StringComparison.Ordinal) < 0)
        {
            return normalized;
        }
        var parts = normalized.Split(' ');
        Array.Sort(parts, StringComparer.Ordinal);
        return string.Join(' ', parts);
    }

    /// <summary>
    /// A phonetic key of one token for blocking: the registry's spelling-tolerant <see cref="NameKey"/> (which also folds
    /// o/u, e/i and a silent h), cut to its first four letters so a typo late in a long name still shares the block.
    /// </summary>
    public static string PhoneticKey(string token)
    {
        var key = NameKey.For(token);
        return key.Length > 4 ? key[..4] : key;
    }

    /// <summary>First and last token of a normalised name ("" when absent).</summary>
    public static (string First, string Last) FirstAndLast(string normalized)
    {
        if (normalized.Length == 0)
        {
            return ("", "");
        }
        var space = normalized.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return (normalized, "");
        }
        return (normalized[..space], normalized[(normalized.LastIndexOf(' ') + 1)..]);
    }

    private static List<string> Tokens(string name)
    {
        var tokens = new List<string>(4);
        var current = new StringBuilder(16);
        foreach (var raw in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(raw) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var c = char.ToLowerInvariant(raw);
            if (c is >= 'a' and <= 'z')
            {
                current.Append(c);
            }
            else if (c is '\'' or '`' or '’')
            {
                // Apostrophes inside Arabic-derived names (Ma'ruf, Qur'ani) are dropped, not split on.
                continue;
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }
        return tokens;
    }

    /// <summary>Van Ophuijsen/Soewandi spellings to EYD and doubled letters collapsed, in one pass over a token.</summary>
    internal static string Fold(string token)
    {
        var builder = new StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            var next = i + 1 < token.Length ? token[i + 1] : '\0';
            string? to = (c, next) switch
            {
                ('o', 'e') => "u",
                ('d', 'j') => "j",
                ('t', 'j') => "c",
                ('c', 'h') => "kh",
                ('s', 'j') => "sy",
                _ => null,
            };
            if (to is not null)
            {
                AppendUndoubled(builder, to);
                i++;
                continue;
            }
            // Old j for y before a vowel is NOT folded (Jusuf/Yusuf stay apart; see NameKey): j is far more often a real j.
            AppendUndoubled(builder, c.ToString());
        }
        return builder.ToString();
    }

    private static void AppendUndoubled(StringBuilder builder, string text)
    {
        foreach (var c in text)
        {
            if (builder.Length == 0 || builder[^1] != c)
            {
                builder.Append(c);
            }
        }
    }
}

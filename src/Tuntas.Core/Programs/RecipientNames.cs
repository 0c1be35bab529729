namespace Tuntas.Programs;

/// <summary>
/// How names on a recipient list differ from the KK without being different people: honorifics and titles in front
/// (Ny., Bpk., H., Hj., Alm. …), a patronymic behind (bin/binti), academic degrees after a comma; a list that itself
/// says the recipient has died (Alm., Almh., "(alm)"); and how a NIK differs by one typing slip.
/// </summary>
public static class RecipientNames
{
    private static readonly HashSet<string> _honorifics = new(StringComparer.OrdinalIgnoreCase)
    {
        "ny", "nyonya", "nn", "nona", "tn", "tuan", "bpk", "bp", "bapak", "pak", "ibu", "bu", "sdr", "sdri", "saudara", "saudari",
        "h", "hj", "haji", "hajjah", "hajah", "kh", "alm", "almh", "almarhum", "almarhumah", "mbah", "mbok", "dr", "drs", "dra", "ir",
    };

    /// <summary>Almarhum / almarhumah: not a title but the list's own word that the recipient has died.</summary>
    private static readonly HashSet<string> _deceased = new(StringComparer.OrdinalIgnoreCase) { "alm", "almh", "almarhum", "almarhumah" };

    /// <summary>Words after which a name is someone else's: "Siti Aminah binti Alm. Ahmad", "Suminah (janda alm.
    /// Parjo)" name a living recipient by her late father or husband.</summary>
    private static readonly HashSet<string> _someoneElse = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "binti", "janda", "duda", "istri", "isteri", "suami", "anak", "cq",
    };

    /// <summary>True when the listed name says the person has died: "Alm. Sukiman", "H. Almh. Painem" (the word among the
    /// titles in front), "Sukiman (alm)", "Sukiman Alm." (the last word, when no bin/binti/janda… comes before it). The
    /// registry may still hold them as living; the line is then not enrolled but reported (an inclusion error).</summary>
    public static bool SaysDeceased(string name)
    {
        var words = name.Split([' ', '.', ',', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var word in words)
        {
            if (_deceased.Contains(word))
            {
                return true;
            }
            if (!_honorifics.Contains(word))
            {
                break;
            }
        }
        return words.Length > 1 && _deceased.Contains(words[^1]) && !words.Any(_someoneElse.Contains);
    }

    /// <summary>The name without honorifics in front, bin/binti and what follows, or degrees after a comma.</summary>
    public static string Plain(string name)
    {
        var text = name.Split(',')[0];
        var words = text.Split([' ', '.'], StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && _honorifics.Contains(words[0]))
        {
            words.RemoveAt(0);
        }
        // A name of only dots or a leading comma leaves no word: nothing to look behind (FindIndex(1, …) would throw).
        var patronymic = words.Count < 2 ? -1 : words.FindIndex(1, w => w.Equals("bin", StringComparison.OrdinalIgnoreCase) || w.Equals("binti", StringComparison.OrdinalIgnoreCase));
        if (patronymic > 0)
        {
            words.RemoveRange(patronymic, words.Count - patronymic);
        }
        return string.Join(' ', words);
    }

    /// <summary>Every 16-digit number one substituted digit or one swap of neighbouring digits away.</summary>
    public static IEnumerable<string> OneTypoAway(string nik)
    {
        if (nik.Length != 16)
        {
            yield break;
        }
        var digits = nik.ToCharArray();
        for (var i = 0; i < 16; i++)
        {
            var original = digits[i];
            for (var d = '0'; d <= '9'; d++)
            {
                if (d != original)
                {
                    digits[i] = d;
                    yield return new string(digits);
                }
            }
            digits[i] = original;
            if (i < 15 && digits[i] != digits[i + 1])
            {
                (digits[i], digits[i + 1]) = (digits[i + 1], digits[i]);
                yield return new string(digits);
                (digits[i], digits[i + 1]) = (digits[i + 1], digits[i]);
            }
        }
    }
}

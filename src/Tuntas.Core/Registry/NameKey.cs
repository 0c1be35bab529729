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
    // Letters the skeleton drops (Skeleton below).
    private static readonly System.Buffers.SearchValues<char> _skeletonDropped = System.Buffers.SearchValues.Create("aiueoyj");

    /// <summary>The key; one pass over the name (it runs for every person of every import, so it avoids allocations).</summary>
    public static string For(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }
        if (!Ascii.IsValid(name))
        {
            name = StripDiacritics(name);
        }
        Span<char> letters = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        var n = 0;
        foreach (var c in name)
        {
            var lower = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            if (lower is >= 'a' and <= 'z')
            {
                letters[n++] = lower;
            }
        }
        // Folding at most doubles a letter (x → ks); a long text (a search box can hold anything) goes on the heap.
        Span<char> folded = n <= 256 ? stackalloc char[(n * 2) + 1] : new char[(n * 2) + 1];
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            var c = letters[i];
            var to = i + 1 < n ? Digraph(c, letters[i + 1]) : null;
            if (to is not null)
            {
                i++;
            }
            else if (Letter(c) is { } single)
            {
                to = single;
            }
            else
            {
                Emit(folded, ref m, c);
                continue;
            }
            foreach (var t in to)
            {
                Emit(folded, ref m, t);
            }
        }
        // A silent h closing a syllable before a consonant or at the end (Muhammad/Muhamad, Nurhalizah/Nurhaliza).
        Span<char> result = n <= 256 ? stackalloc char[m] : new char[m];
        var r = 0;
        for (var i = 0; i < m; i++)
        {
            var c = folded[i];
            var silentH = c == 'h' && i >= 1 && IsVowel(folded[i - 1]) && (i == m - 1 || !IsVowel(folded[i + 1]));
            if (silentH || (r > 0 && result[r - 1] == c))
            {
                continue;
            }
            result[r++] = c;
        }
        return new string(result[..r]);
    }

    /// <summary>
    /// The consonant skeleton of a <see cref="For">name key</see>: the key without a, i, u, e, o, y and j. Vowels are what
    /// clerks and old spellings change most ("Dien"/"Dian", "Lestary"/"Lestari"), and j/y swap in the pre-1972 spelling
    /// ("Wardojo" for "Wardoyo", "Sujono"/"Suyono"), so names one of those changes apart share a skeleton; the search
    /// ranks them afterwards by their distance. Persons carry it as <c>persons.nama_kerangka</c>, which the database
    /// derives with a SQL expression that must remove the same letters (a generated column on SQLite, migration 0044; a
    /// trigger on PostgreSQL, migration 0045), except in a first load on PostgreSQL, which writes this one.
    /// </summary>
    public static string Skeleton(string key)
    {
        if (key.AsSpan().IndexOfAny(_skeletonDropped) < 0)
        {
            return key;
        }
        // A first load computes it for every person: one pass into a stack buffer, one string.
        Span<char> kept = key.Length <= 256 ? stackalloc char[key.Length] : new char[key.Length];
        var length = 0;
        foreach (var c in key)
        {
            if (!_skeletonDropped.Contains(c))
            {
                kept[length++] = c;
            }
        }
        return new string(kept[..length]);
    }

    /// <summary>The last three letters of a skeleton (all of a shorter one): <c>persons.nama_kerangka_akhir</c>.</summary>
    public static string SkeletonEnd(string skeleton) => skeleton.Length <= 3 ? skeleton : skeleton[^3..];

    /// <summary>Appends a letter unless it doubles the previous one (doubled letters are spelling noise: Muhammad/Muhamad).</summary>
    private static void Emit(Span<char> buffer, ref int length, char c)
    {
        if (length > 0 && buffer[length - 1] == c)
        {
            return;
        }
        buffer[length++] = c;
    }

    /// <summary>The digraphs folded (string constants: nothing is allocated). Each pair is matched at a position
    /// before the single-letter folds; no two pairs share both letters, so their order does not matter.</summary>
    private static string? Digraph(char first, char second) => (first, second) switch
    {
        ('o', 'e') => "u",
        ('d', 'j') => "j",
        ('t', 'j') => "c",
        ('c', 'h') => "h",
        ('k', 'h') => "h",
        ('s', 'y') => "s",
        ('s', 'j') => "s",
        ('p', 'h') => "f",
        ('t', 'h') => "t",
        ('d', 'h') => "d",
        ('d', 'z') => "s",
        _ => null,
    };

    /// <summary>The single-letter folds (string constants: nothing is allocated).</summary>
    private static string? Letter(char c) => c switch
    {
        'z' => "s",
        'q' => "k",
        'v' => "f",
        'x' => "ks",
        'o' => "u",
        'e' => "i",
        _ => null,
    };

    private static string StripDiacritics(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static bool IsVowel(char c) => c is 'a' or 'i' or 'u' or 'e' or 'o';
}

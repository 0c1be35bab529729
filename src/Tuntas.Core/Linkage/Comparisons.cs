namespace Tuntas.Linkage;

/// <summary>The kinds a linkage config maps columns to (docs/linkage.md); each has one prepared form and one comparison.</summary>
public enum FieldKind
{
    FullName,
    GivenName,
    Surname,
    BirthDate,
    Sex,
    Nik,
    NoKk,
    IdNumber,
    Address,
    StreetNumber,
    Locality,
    Postcode,
    Region,
}

/// <summary>
/// Field comparisons of the Fellegi-Sunter model: each returns an agreement level, higher = closer, 0 = disagree, and
/// <see cref="Missing"/> when either side is empty (a missing value is no evidence either way, as in Splink and fastLink).
/// The levels are ordinal bands like Splink's comparison levels; their m/u probabilities are estimated, never set by hand.
/// Values arrive prepared (<see cref="Prepare"/>): names normalised, dates as <c>yyyyMMdd</c>, identifiers as digits.
/// </summary>
public static class Comparisons
{
    public const int Missing = -1;

    /// <summary>NIK levels (<see cref="Levels"/>), ordered by how much of the number agrees: region and birth date agree in full at <see cref="NikSerial"/>.</summary>
    public const int NikDifferent = 0, NikTemporary = 1, NikDateSwapped = 2, NikTypo = 3, NikSerial = 4, NikEqual = 5;

    /// <summary>Level labels per kind, highest level last (shown in docs/linkage.md and the duplicate queue).</summary>
    public static IReadOnlyList<string> Levels(FieldKind kind) => kind switch
    {
        FieldKind.FullName or FieldKind.GivenName or FieldKind.Surname => ["different", "jaro-winkler ≥ 0.80", "jaro-winkler ≥ 0.92 or same sound", "equal"],
        FieldKind.BirthDate => ["different", "same year", "one digit or one day off", "day and month swapped", "equal"],
        FieldKind.Nik => ["different", "temporary vs real of its kecamatan", "same region, day and month of birth swapped", "one digit wrong or two swapped", "same region and birth date, serial one digit apart", "equal"],
        FieldKind.IdNumber or FieldKind.StreetNumber or FieldKind.Postcode => ["different", "one digit wrong or two swapped", "equal"],
        FieldKind.Address => ["different", "jaro-winkler ≥ 0.80", "jaro-winkler ≥ 0.92", "equal"],
        FieldKind.Locality => ["different", "jaro-winkler ≥ 0.90", "equal"],
        _ => ["different", "equal"],
    };

    /// <summary>The comparable form of a raw cell, or null when empty. Dates are prepared by <see cref="BirthDates"/>.</summary>
    public static string? Prepare(FieldKind kind, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var text = raw.Trim();
        string value = kind switch
        {
            FieldKind.FullName or FieldKind.GivenName or FieldKind.Surname => IndonesianName.Normalize(text),
            FieldKind.Nik or FieldKind.NoKk or FieldKind.IdNumber or FieldKind.Postcode => Digits(text),
            FieldKind.Sex => NormalizeSex(text),
            _ => Collapse(text),
        };
        return value.Length == 0 ? null : value;
    }

    public static int Compare(FieldKind kind, string? a, string? b)
    {
        if (a is null || b is null)
        {
            return Missing;
        }
        return kind switch
        {
            FieldKind.FullName => FullName(a, b),
            FieldKind.GivenName or FieldKind.Surname => Name(a, b),
            FieldKind.BirthDate => BirthDate(a, b),
            FieldKind.Nik => Nik(a, b),
            FieldKind.IdNumber or FieldKind.StreetNumber or FieldKind.Postcode => a == b ? 2 : WithinOneEdit(a, b) ? 1 : 0,
            FieldKind.Address => Band(a == b, JaroWinkler(a, b), 0.92, 0.80),
            FieldKind.Locality => a == b ? 2 : JaroWinkler(a, b) >= 0.90 ? 1 : 0,
            _ => a == b ? 1 : 0,
        };
    }

    private static int Name(string a, string b)
    {
        if (a == b)
        {
            return 3;
        }
        if (IndonesianName.PhoneticKey(a) == IndonesianName.PhoneticKey(b) && Registry.NameKey.For(a) == Registry.NameKey.For(b))
        {
            return 2;
        }
        return Band(false, JaroWinkler(a, b), 0.92, 0.80);
    }

    /// <summary>
    /// Whole names: equal; alike — the same tokens in another order (KK and KTP differ), the same name key, the same letters
    /// without spaces (Nur Haliza / Nurhaliza), or Jaro-Winkler ≥ 0.92 as written with the first and the last tokens each
    /// alike (one-word names: one letter added or dropped); else Jaro-Winkler ≥ 0.80 (the better of the names as written and with tokens sorted) or different. Sorted tokens alone
    /// never make two names alike: two given names before one family name (Hafiz Alfarizi / Zidan Alfarizi) sort to a long
    /// common prefix.
    /// </summary>
    private static int FullName(string a, string b)
    {
        if (a == b)
        {
            return 3;
        }
        var sortedA = IndonesianName.SortedTokens(a);
        var sortedB = IndonesianName.SortedTokens(b);
        if (sortedA == sortedB || Registry.NameKey.For(a) == Registry.NameKey.For(b) || a.Replace(" ", "", StringComparison.Ordinal) == b.Replace(" ", "", StringComparison.Ordinal))
        {
            return 2;
        }
        var written = JaroWinkler(a, b);
        // One-word names (common in Java) that differ in one consonant or in the order of two letters are other names
        // (Sukarni, Suwarni, Sumarni: JW 0.92; Suratno, Sutarno: 0.96), and a sound key's first letters (Sukardi, Sukamto)
        // are not enough; a clerk's variant of one word adds or drops a letter (Sukini/Sukhini, Tukiyem/Tukiem) or folds
        // to the same name key (Sifa/Syifa, above).
        var oneWord = !a.Contains(' ', StringComparison.Ordinal) && !b.Contains(' ', StringComparison.Ordinal);
        if (oneWord ? a.Length != b.Length && WithinOneEdit(a, b) : written >= 0.92 && TokensAlike(a, b))
        {
            return 2;
        }
        return Math.Max(written, JaroWinkler(sortedA, sortedB)) >= 0.80 ? 1 : 0;
    }

    /// <summary>The first tokens alike and the last tokens alike (Jaro-Winkler ≥ 0.80 or one sound key): one name, spelt twice.</summary>
    private static bool TokensAlike(string a, string b)
    {
        var (firstA, lastA) = IndonesianName.FirstAndLast(a);
        var (firstB, lastB) = IndonesianName.FirstAndLast(b);
        static bool Alike(string x, string y) => x == y || JaroWinkler(x, y) >= 0.80 || IndonesianName.PhoneticKey(x) == IndonesianName.PhoneticKey(y);
        return Alike(firstA, firstB) && Alike(lastA.Length > 0 ? lastA : firstA, lastB.Length > 0 ? lastB : firstB);
    }

    private static int Band(bool equal, double similarity, double high, double low) =>
        equal ? 3 : similarity >= high ? 2 : similarity >= low ? 1 : 0;

    /// <summary>
    /// Birth dates as <c>yyyyMMdd</c>: equal; day and month swapped (a DD/MM vs MM/DD entry); one digit wrong, two digits
    /// swapped or one day apart; same year; else different.
    /// </summary>
    internal static int BirthDate(string a, string b)
    {
        if (a == b)
        {
            return 4;
        }
        if (a.Length == 8 && b.Length == 8)
        {
            if (a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4)) && a.AsSpan(4, 2).SequenceEqual(b.AsSpan(6, 2)) && a.AsSpan(6, 2).SequenceEqual(b.AsSpan(4, 2)))
            {
                return 3;
            }
            if (WithinOneEdit(a, b) || OneDayApart(a, b))
            {
                return 2;
            }
            if (a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4)))
            {
                return 1;
            }
        }
        return 0;
    }

    /// <summary>
    /// NIK (DOMAIN §4.1: 6 digits of the kecamatan of registration, ddMMyy with women's day + 40, a 4-digit serial):
    /// equal; one digit wrong or two adjacent digits swapped in the region or birth-date part (the usual typing errors);
    /// the same region and birth date with serials one digit apart — a typo, or two people born the same day in the same
    /// kecamatan, whose serials run 0001, 0002, … (DOMAIN §4.1), so it has its own weight; the same region with day and
    /// month of the date part swapped (a NIK issued from a birth date entered as MM/DD, any serial); a temporary number
    /// (OpenSID's <c>0</c> + 10-digit desa code + 5-digit serial, DOMAIN §1.2) beside a real one registered in that desa's
    /// kecamatan — the real NIK usually replaces the temporary later; else different. Two different temporary numbers say
    /// nothing (placeholders): missing.
    /// </summary>
    internal static int Nik(string a, string b)
    {
        if (a == b)
        {
            return NikEqual;
        }
        var temporaryA = a.Length == 16 && a[0] == '0';
        var temporaryB = b.Length == 16 && b[0] == '0';
        if (temporaryA && temporaryB)
        {
            return Missing;
        }
        if (temporaryA != temporaryB)
        {
            var (temporary, real) = temporaryA ? (a, b) : (b, a);
            return real.Length == 16 && temporary.AsSpan(1, 6).SequenceEqual(real.AsSpan(0, 6)) ? NikTemporary : NikDifferent;
        }
        if (!WithinOneEdit(a, b))
        {
            return DatePartSwapped(a, b) ? NikDateSwapped : NikDifferent;
        }
        return a.Length == 16 && b.Length == 16 && a.AsSpan(0, 12).SequenceEqual(b.AsSpan(0, 12)) ? NikSerial : NikTypo;
    }

    /// <summary>Two real NIKs of one region whose date parts are the same date with day and month swapped (same sex code).</summary>
    private static bool DatePartSwapped(string a, string b)
    {
        if (a.Length != 16 || b.Length != 16 || !a.AsSpan(0, 6).SequenceEqual(b.AsSpan(0, 6)) || !a.AsSpan(10, 2).SequenceEqual(b.AsSpan(10, 2)))
        {
            return false;
        }
        static int Two(string s, int at) => (s[at] - '0') * 10 + (s[at + 1] - '0');
        int dayA = Two(a, 6), dayB = Two(b, 6);
        if (dayA > 40 != dayB > 40)
        {
            return false;
        }
        dayA = dayA > 40 ? dayA - 40 : dayA;
        dayB = dayB > 40 ? dayB - 40 : dayB;
        return dayA != Two(a, 8) && dayA == Two(b, 8) && dayB == Two(a, 8);
    }

    /// <summary>One substitution, one insertion/deletion, or one swap of adjacent characters (Damerau distance ≤ 1).</summary>
    public static bool WithinOneEdit(string a, string b)
    {
        if (a.Length == b.Length)
        {
            var first = -1;
            var differences = 0;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    if (++differences == 1)
                    {
                        first = i;
                    }
                    else if (differences > 2)
                    {
                        return false;
                    }
                }
            }
            if (differences <= 1)
            {
                return true;
            }
            return first + 1 < a.Length && a[first] == b[first + 1] && a[first + 1] == b[first] && a.AsSpan(first + 2).SequenceEqual(b.AsSpan(first + 2));
        }
        if (Math.Abs(a.Length - b.Length) != 1)
        {
            return false;
        }
        var (longer, shorter) = a.Length > b.Length ? (a, b) : (b, a);
        var j = 0;
        var skipped = false;
        for (var i = 0; i < longer.Length && j < shorter.Length; i++)
        {
            if (longer[i] == shorter[j])
            {
                j++;
            }
            else if (skipped)
            {
                return false;
            }
            else
            {
                skipped = true;
            }
        }
        return true;
    }

    private static bool OneDayApart(string a, string b) =>
        BirthDates.TryDate(a, out var x) && BirthDates.TryDate(b, out var y) && Math.Abs(x.DayNumber - y.DayNumber) == 1;

    /// <summary>Jaro-Winkler similarity (Winkler 1990), the registry's one implementation (prefix scale 0.1, four characters).</summary>
    public static double JaroWinkler(string a, string b) => Registry.JaroWinkler.Similarity(a, b);

    private static string Digits(string text)
    {
        var text2 = text.StartsWith('\'') ? text[1..] : text;
        return new string([.. text2.Where(char.IsAsciiDigit)]);
    }

    /// <summary>1/L/M/laki-laki/male → 1; 2/P/F/perempuan/female → 2 (Dukcapil codes, as in the import format).</summary>
    private static string NormalizeSex(string text) => text.Trim().ToUpperInvariant() switch
    {
        "1" or "L" or "LK" or "LAKI-LAKI" or "LAKI LAKI" or "M" or "MALE" or "PRIA" => "1",
        "2" or "P" or "PR" or "PEREMPUAN" or "F" or "FEMALE" or "WANITA" => "2",
        var other => other,
    };

    /// <summary>Lower-case, letters and digits only, single spaces: "Jl. Merdeka  No.5" → "jl merdeka no 5".</summary>
    private static string Collapse(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }
                builder.Append(c);
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return builder.ToString();
    }
}

namespace Tuntas.Demo;

/// <summary>
/// Given names for synthetic Central Java families (mostly Javanese and Muslim). Naming follows generation: people born
/// before about 1975 often carry one Javanese word (Paimin, Tukiyem, Sumarni), later cohorts two-part names
/// (Budi Santoso, Sri Wahyuni), and children born after about 2000 Arabic or "modern" names (Muhammad Rizky, Nabila
/// Putri). Javanese has no family names: children do not inherit the father's name. Lists compiled by hand from
/// common names on public village (desa) information boards; they are demo data, not a census.
/// </summary>
internal static class IndonesianNames
{
    // One-word Javanese names typical of older generations (often with the Su-/Pa-/Tu- prefixes and -in/-em endings).
    private static readonly string[] _maleOld =
    [
        "Paimin", "Sukardi", "Suparno", "Wagiman", "Sukijan", "Tukimin", "Sarno", "Karno", "Parno", "Sutrisno",
        "Sumarno", "Sugiyono", "Suyanto", "Sunarto", "Slamet", "Warsito", "Marjuki", "Kasiman", "Sadimin", "Painu",
        "Ngadimin", "Mulyono", "Sukirno", "Tarmuji", "Wardoyo", "Suwarno", "Jumadi", "Rusdi", "Darmanto", "Kasno",
        "Sukimin", "Wiyono", "Harjono", "Sumadi", "Supardi", "Sugeng", "Sudarmo", "Martono", "Giyanto", "Sukarjo",
        "Wakijo", "Sarijo", "Paiman", "Daliman", "Sutarno", "Kardi", "Poniman", "Samijo", "Tugiman", "Sardi",
        "Suroto", "Jaiman", "Mardi", "Ngatimin", "Sahid", "Sutardi", "Kamto", "Wiryo", "Suratno", "Sukamto",
    ];

    private static readonly string[] _femaleOld =
    [
        "Tukiyem", "Painem", "Sumarni", "Sumiyati", "Ngatini", "Wagiyem", "Suparmi", "Sukini", "Parmi", "Sarinah",
        "Tumini", "Karsinah", "Jumiyem", "Paini", "Sutini", "Wartini", "Marsini", "Suyatmi", "Ngadiyem", "Kasiyem",
        "Sulastri", "Tuginem", "Rubiyem", "Partini", "Sukarni", "Warsini", "Suwarni", "Sriyati", "Mujiyem", "Satinem",
        "Poniyem", "Jumini", "Lasmi", "Kamisah", "Sainem", "Tukinem", "Darmi", "Ginah", "Yatmi", "Wasini",
        "Sutinah", "Sumirah", "Kartini", "Sarmi", "Pariyem", "Siyam", "Lagiyem", "Suprapti", "Karmini", "Suminah",
    ];

    // First and second parts of two-part names, born roughly 1960–2000.
    private static readonly string[] _maleFirst =
    [
        "Agus", "Budi", "Eko", "Joko", "Dwi", "Tri", "Ahmad", "Muhammad", "Bambang", "Heru", "Hadi", "Sri", "Teguh",
        "Yusuf", "Arif", "Edi", "Rudi", "Hendro", "Wahyu", "Bayu", "Didik", "Anton", "Andi", "Dedi", "Sigit", "Adi",
        "Puji", "Imam", "Nur", "Iwan", "Totok", "Bowo", "Yudi", "Rahmat", "Abdul", "Ari", "Catur", "Purwanto", "Fajar", "Dani",
    ];

    private static readonly string[] _maleLast =
    [
        "Santoso", "Setiawan", "Prasetyo", "Nugroho", "Wibowo", "Saputra", "Pratama", "Hidayat", "Susanto", "Purnomo",
        "Kurniawan", "Gunawan", "Widodo", "Haryanto", "Sugiarto", "Wijaya", "Riyanto", "Suprapto", "Hartono", "Siswanto",
        "Raharjo", "Wahyudi", "Cahyono", "Utomo", "Mulyadi", "Firmansyah", "Hermawan", "Priyanto", "Handoko", "Setyawan",
        "Saifudin", "Rohman", "Maulana", "Kusuma", "Nurdin", "Arifin", "Syaifullah", "Yulianto", "Sutanto", "Wicaksono",
    ];

    private static readonly string[] _femaleFirst =
    [
        "Sri", "Siti", "Dewi", "Nur", "Tri", "Dwi", "Eka", "Endang", "Rina", "Yuli", "Ani", "Wahyu", "Ratna", "Dian",
        "Indah", "Lina", "Sari", "Fitri", "Ika", "Rini", "Nining", "Sumi", "Umi", "Puji", "Retno", "Tutik", "Wiwik",
        "Yanti", "Erna", "Eni", "Suci", "Anik", "Lilik", "Heni", "Evi", "Novi", "Ida", "Nanik", "Titik", "Endah",
    ];

    private static readonly string[] _femaleLast =
    [
        "Wahyuni", "Rahayu", "Lestari", "Handayani", "Aminah", "Fatimah", "Wulandari", "Purwanti", "Susanti", "Mulyani",
        "Setyowati", "Suryani", "Rahmawati", "Kurniasih", "Hidayati", "Yuliani", "Astuti", "Puspitasari", "Haryati",
        "Utami", "Nurhaliza", "Khasanah", "Ningsih", "Sulistyowati", "Maryati", "Winarni", "Widayati", "Sundari", "Suryati",
        "Anggraini", "Safitri", "Kusumawati", "Nurhayati", "Zulaikha", "Mardiyah", "Pratiwi", "Muawanah", "Lestiani",
        "Rohmah", "Aisyah",
    ];

    // Names given to children born after about 2000 (Arabic and "modern" Indonesian names).
    private static readonly string[] _maleYoungFirst =
    [
        "Muhammad", "Ahmad", "Rizky", "Aditya", "Fajar", "Dimas", "Bagus", "Rafi", "Arka", "Galih", "Ilham", "Yoga",
        "Reza", "Fahri", "Alif", "Naufal", "Daffa", "Rehan", "Farhan", "Zidan", "Hafiz", "Raka", "Bima", "Satria",
        "Rangga", "Gilang", "Aldi", "Kevin", "Dafa", "Azka", "Abdullah", "Fikri",
    ];

    private static readonly string[] _maleYoungLast =
    [
        "Pratama", "Saputra", "Ramadhan", "Maulana", "Putra", "Firmansyah", "Hidayat", "Akbar", "Alfarizi", "Nugraha",
        "Setiawan", "Rizqi", "Fauzan", "Prasetya", "Wijaya", "Alfian", "Kurniawan", "Syahputra", "Adi Nugroho", "Habibi",
    ];

    private static readonly string[] _femaleYoungFirst =
    [
        "Nabila", "Aisyah", "Zahra", "Keisya", "Alya", "Anisa", "Putri", "Salsabila", "Nayla", "Aulia", "Dinda",
        "Fitria", "Intan", "Laila", "Nadia", "Rahma", "Syifa", "Vina", "Amelia", "Cantika", "Dewi", "Khanza", "Najwa",
        "Azzahra", "Citra", "Ayu", "Siti", "Nur", "Della", "Elsa", "Kirana", "Hana",
    ];

    private static readonly string[] _femaleYoungLast =
    [
        "Putri", "Rahmawati", "Azzahra", "Ramadhani", "Safitri", "Nur Aini", "Kurniasari", "Maharani", "Lestari",
        "Anggraini", "Puspita", "Wulandari", "Khoirunnisa", "Salsabila", "Febriani", "Nurhaliza", "Aprilia", "Oktaviani",
        "Cahyani", "Fitriani",
    ];

    /// <summary>Total given-name entries, reported in the folder README.</summary>
    public static int Count => _maleOld.Length + _femaleOld.Length + _maleFirst.Length + _maleLast.Length + _femaleFirst.Length +
        _femaleLast.Length + _maleYoungFirst.Length + _maleYoungLast.Length + _femaleYoungFirst.Length + _femaleYoungLast.Length;

    /// <summary>A full name for a person of <paramref name="sex"/> (1 male, 2 female) born in <paramref name="birthYear"/>.</summary>
    public static string Draw(Random rng, int sex, int birthYear)
    {
        var male = sex == 1;
        // Share of one-word names falls from ~80 % (born 1940) to ~5 % (born 2010).
        var oneWord = Math.Clamp(0.8 - (birthYear - 1940) * 0.0107, 0.05, 0.85);
        if (rng.NextDouble() < oneWord)
        {
            return Pick(rng, male ? _maleOld : _femaleOld);
        }
        if (birthYear >= 2000 && rng.NextDouble() < 0.75)
        {
            var first = Pick(rng, male ? _maleYoungFirst : _femaleYoungFirst);
            var last = Pick(rng, male ? _maleYoungLast : _femaleYoungLast);
            return last == first ? first : $"{first} {last}";
        }
        var a = Pick(rng, male ? _maleFirst : _femaleFirst);
        var b = Pick(rng, male ? _maleLast : _femaleLast);
        // Some two-part names are "first + old Javanese name" (Sri Sumarni, Agus Sutrisno).
        if (rng.NextDouble() < 0.15)
        {
            b = Pick(rng, male ? _maleOld : _femaleOld);
        }
        return a == b ? a : $"{a} {b}";
    }

    private static string Pick(Random rng, string[] list) => list[rng.Next(list.Length)];

    // Spelling variants seen when one person is registered twice (old Van Ophuijsen spelling "oe"/"dj"/"tj", Arabic
    // transliterations, split or joined name parts). Pairs are tried in both directions.
    private static readonly (string A, string B)[] _variants =
    [
        ("Muhammad", "Mochamad"), ("Muhammad", "Mohammad"), ("Muhammad", "Muhamad"), ("Ahmad", "Achmad"),
        ("Nurhaliza", "Nur Haliza"), ("Nurhayati", "Nur Hayati"), ("Nur Aini", "Nuraini"), ("Siti", "Sity"),
        ("Su", "Soe"), ("Ju", "Djoe"), ("Tj", "C"), ("Dj", "J"), ("Aisyah", "Aisah"), ("Fatimah", "Fatimatus"),
        ("Rizky", "Rizki"), ("Yusuf", "Yusup"), ("Rahmat", "Rachmat"), ("Hidayat", "Hidayah"), ("Saifudin", "Syaifuddin"),
        ("Khasanah", "Hasanah"), ("Syifa", "Sifa"), ("Rohman", "Rachman"), ("Sri ", "Sri"), ("Dwi ", "Dwi"), ("Eko ", "Eko"),
        ("iyem", "iem"), ("iyati", "iati"), ("yanto", "janto"), ("Wahyu", "Wahju"), ("Yuli", "Juli"), ("Dewi", "Dewie"),
    ];

    /// <summary>A different spelling of <paramref name="name"/> as a second registration might carry it.</summary>
    public static string SpellingVariant(string name, Random rng)
    {
        var start = rng.Next(_variants.Length);
        for (var k = 0; k < _variants.Length; k++)
        {
            var (a, b) = _variants[(start + k) % _variants.Length];
            if (name.Contains(a, StringComparison.Ordinal))
            {
                return ReplaceFirst(name, a, b);
            }
            if (name.Contains(b, StringComparison.Ordinal))
            {
                return ReplaceFirst(name, b, a);
            }
        }
        // Fallback: a doubled consonant or an 'h' after the first vowel, the commonest clerk's slip.
        var vowel = name.IndexOfAny(['a', 'i', 'u', 'e', 'o']);
        return vowel > 0 && vowel < name.Length - 1 ? name.Insert(vowel + 1, "h") : name + "h";
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }

    private static readonly string[] _muhammad = ["Muhammad", "Mochamad", "Mohammad", "Muhamad", "Moh.", "M.", "Moch."];

    /// <summary>
    /// The name a second registration of the same person carries, with the pattern's label: Muhammad ↔ Mochamad / Moh. /
    /// M., Siti ↔ Sitti, the old spelling (u → oe as in Soekarno, j → dj as in Djono), a title added (H. / Hj.), the
    /// father's name added (bin / binti …), a spelling variant — or the name as it was.
    /// </summary>
    public static (string Name, string Pattern) DuplicateName(string name, int sex, int age, Random rng)
    {
        var tokens = name.Split(' ');
        // The name-specific patterns are rarer (few names start with Muhammad or Siti): taken whenever they apply.
        var start = Array.IndexOf(_muhammad, tokens[0]) >= 0 || tokens[0] is "Siti" or "Sitti" ? 0 : rng.Next(7);
        for (var k = 0; k < 7; k++)
        {
            switch ((start + k) % 7)
            {
                case 0 when Array.IndexOf(_muhammad, tokens[0]) >= 0:
                    var other = _muhammad[(Array.IndexOf(_muhammad, tokens[0]) + 1 + rng.Next(_muhammad.Length - 1)) % _muhammad.Length];
                    return (string.Join(' ', [other, .. tokens[1..]]), "muhammad");
                case 1 when tokens[0] is "Siti" or "Sitti":
                    return (string.Join(' ', [tokens[0] == "Siti" ? "Sitti" : "Siti", .. tokens[1..]]), "siti");
                case 2 when OldSpelling(name) is { } old:
                    return (old, "ejaan-lama");
                case 3 when age >= 25:
                    return ((sex == 2 ? "Hj. " : "H. ") + name, "gelar-haji");
                case 4:
                    return (name + (sex == 2 ? " binti " : " bin ") + Pick(rng, _maleOld), "bin");
                case 5:
                    return (SpellingVariant(name, rng), "ejaan");
                case 6:
                    return (name, "nama-sama");
            }
        }
        return (name, "nama-sama");
    }

    /// <summary>The Van Ophuijsen spelling of a name (Sukarno → Soekarno, Joko → Djoko), or null when nothing changes.</summary>
    private static string? OldSpelling(string name)
    {
        for (var i = 1; i < name.Length; i++)
        {
            if (name[i] == 'u' && !"aeiou".Contains(char.ToLowerInvariant(name[i - 1]), StringComparison.Ordinal))
            {
                return string.Concat(name.AsSpan(0, i), "oe", name.AsSpan(i + 1));
            }
        }
        var j = name.IndexOf('J', StringComparison.Ordinal);
        return j >= 0 ? string.Concat(name.AsSpan(0, j), "Dj", name.AsSpan(j + 1)) : null;
    }
}

using System.Reflection;

namespace Tuntas.Users;

/// <summary>
/// What a new password must be (OWASP ASVS 2.1.1, 2.1.7; NIST SP 800-63B §5.1.1.2): at least
/// <see cref="MinLength"/> characters, at most <see cref="MaxLength"/> (the hasher's work stays bounded), and not a
/// password that attackers try first — a list of common and breached passwords shipped with Tuntas
/// (<c>Users/Data/common-passwords.txt</c>, with Indonesian ones: <i>bismillah</i>, <i>sayang</i>, <i>indonesia</i>…),
/// plus, when <c>Security:BreachedPasswordsFile</c> names one, a larger list kept by the regency — nor one made of the
/// user name, the product's or the regency's words, or one repeated or sequential run of characters. No composition
/// rules (they make passwords worse, not stronger).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    private static readonly Lazy<HashSet<string>> _common = new(LoadShipped);
    private static HashSet<string>? _breached;

    /// <summary>A file of one password per line (e.g. a breach corpus), checked besides the shipped list.</summary>
    public static void UseBreachedList(string? path)
    {
        _breached = path is { Length: > 0 } && File.Exists(path)
            ? new HashSet<string>(File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0), StringComparer.OrdinalIgnoreCase)
            : null;
    }

    public static Problem? Check(string? password, string? userName = null)
    {
        var value = password ?? "";
        if (value.Length < MinLength)
        {
            return new Problem("Password", "PASSWORD_SHORT",
                string.Create(CultureInfo.InvariantCulture, $"Kata sandi minimal {MinLength} karakter; frasa beberapa kata lebih mudah diingat."),
                string.Create(CultureInfo.InvariantCulture, $"Password must be at least {MinLength} characters; a phrase of a few words is easier to remember."));
        }
        if (value.Length > MaxLength)
        {
            return new Problem("Password", "PASSWORD_LONG",
                string.Create(CultureInfo.InvariantCulture, $"Kata sandi paling panjang {MaxLength} karakter."),
                string.Create(CultureInfo.InvariantCulture, $"Password must be at most {MaxLength} characters."));
        }
        if (IsGuessable(value, userName))
        {
            return new Problem("Password", "PASSWORD_COMMON",
                "Kata sandi ini termasuk yang paling sering dipakai atau bocor, atau mudah ditebak dari nama pengguna; pilih yang lain.",
                "This password is among the most used or breached ones, or is easy to guess from the user name; choose another.");
        }
        return null;
    }

    private static bool IsGuessable(string password, string? userName)
    {
        var lower = password.ToLowerInvariant();
        if (_common.Value.Contains(lower) || _breached?.Contains(password) == true)
        {
            return true;
        }
        // The same word with digits or symbols around it ("Password2026!", "sragen123456") is still that word.
        var core = new string([.. lower.Where(char.IsLetter)]);
        if (core.Length >= 4 && _common.Value.Contains(core))
        {
            return true;
        }
        var distinct = lower.Distinct().Count();
        if (distinct <= 3)
        {
            return true;
        }
        var name = (userName ?? "").ToLowerInvariant();
        if (name.Length >= 3 && (lower.Contains(name, StringComparison.Ordinal) || core == new string([.. name.Where(char.IsLetter)])))
        {
            return true;
        }
        return IsRun(lower);
    }

    /// <summary>"abcdefghijkl", "123456789012", "qwertyuiopas": one keyboard or alphabet run.</summary>
    private static bool IsRun(string value)
    {
        var steps = 0;
        for (var i = 1; i < value.Length; i++)
        {
            if (Math.Abs(value[i] - value[i - 1]) == 1)
            {
                steps++;
            }
        }
        return steps >= value.Length - 3 || "qwertyuiopasdfghjklzxcvbnm".Contains(value, StringComparison.Ordinal)
            || "1234567890qwertyuiop".Contains(value, StringComparison.Ordinal);
    }

    private static HashSet<string> LoadShipped()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Tuntas.Users.common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }
        return set;
    }
}

using System.Text.RegularExpressions;
using Tuntas.Regions;

namespace Tuntas.Imports.Profiles;

/// <summary>
/// The village an OpenSID or DTKS file is named after, for a regency operator importing the files of many villages at
/// once (docs/import-profiles.md, "Many villages' files"). Those files carry no village code of their own; the
/// registry's own export names each village's file by its code (<c>opensid-penduduk-3314012001.xlsx</c>), and a folder
/// of files collected from the villages is named the same way. A code is read from the name only when it is
/// unambiguous and names a village of the shipped Kemendagri region table (DOMAIN §4.3), so a date, a time stamp
/// (<c>1503202410</c>: 15 is a province) or a telephone number in a name is not taken for one.
/// </summary>
public static partial class VillageInFileName
{
    /// <summary>Ten digits (<c>3314012001</c>) or the dotted form (<c>33.14.01.2001</c>), standing apart: at the start or
    /// end of the name or beside a separator (<c>-</c>, <c>_</c>, a space), never inside a longer number or a run of
    /// letters and digits, such as a random name's hexadecimal (<c>a3314012001b</c>).</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z.])(?:[0-9]{10}|[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})(?![0-9A-Za-z]|\.[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    /// <summary>A code glued to letters (<c>desa3314012003</c>), still not part of a longer number.</summary>
    [GeneratedRegex(@"(?<![0-9.])(?:[0-9]{10}|[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})(?![0-9]|\.[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex GluedPattern();

    /// <summary>The dotted village code in <paramref name="fileName"/>, or null when it names none or more than one.</summary>
    public static string? Find(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }
        string? found = null;
        foreach (Match match in CodePattern().Matches(NameOf(fileName)))
        {
            if (RegionCode.ToDotted(match.Value) is not { Length: 13 } dotted || !_villages.Value.Contains(dotted))
            {
                continue;
            }
            if (found is not null && found != dotted)
            {
                return null;
            }
            found = dotted;
        }
        return found;
    }

    /// <summary>
    /// The name seems to carry a code but names no one village: two villages, a code standing apart that the region
    /// table does not hold, or a village's code glued to letters. Ten digits glued to letters that are no village are
    /// not taken for one: a random name's hexadecimal has such runs (a test file's GUID was told its name was unclear).
    /// </summary>
    public static bool Unclear(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || Find(fileName) is not null)
        {
            return false;
        }
        var name = NameOf(fileName);
        return CodePattern().IsMatch(name)
            || GluedPattern().Matches(name).Any(m => RegionCode.ToDotted(m.Value) is { Length: 13 } dotted && _villages.Value.Contains(dotted));
    }

    private static string NameOf(string fileName) => Path.GetFileNameWithoutExtension(fileName.Replace('\\', '/'));

    /// <summary>The villages of the shipped region table (<c>Regions/Data/regions_all.csv</c>), read once: a village line's
    /// code is the only one of 13 characters.</summary>
    private static readonly Lazy<HashSet<string>> _villages = new(() =>
    {
        using var reader = new StreamReader(LoadRegions.OpenShippedRegions());
        var villages = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 14 && line[13] == ',' && line[2] == '.')
            {
                villages.Add(line[..13]);
            }
        }
        return villages;
    });
}

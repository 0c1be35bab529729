using System.Text.RegularExpressions;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Imports.Profiles;

/// <summary>
/// The village an OpenSID or DTKS file is named after, for a regency operator importing the files of many villages at
/// once (docs/import-profiles.md, "Many villages' files"). Those files carry no village code of their own; the
/// registry's own export names each village's file by its code (<c>opensid-penduduk-3314012001.xlsx</c>), and a folder
/// of files collected from the villages is named the same way. A code is read from the name only when it is
/// unambiguous and shaped like a Kemendagri village code (DOMAIN §4.3: a province of the shipped table, the village's
/// first digit 1 kelurahan, 2 desa, 3 desa adat), so a date or a telephone number in a name is not taken for one.
/// </summary>
public static partial class VillageInFileName
{
    /// <summary>Ten digits (<c>3314012001</c>) or the dotted form (<c>33.14.01.2001</c>), standing apart: at the start or
    /// end of the name or beside a separator (<c>-</c>, <c>_</c>, a space), never inside a longer number or a run of
    /// letters and digits, such as a random name's hexadecimal (<c>a3314012001b</c>).</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z.])(?:[0-9]{10}|[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})(?![0-9A-Za-z]|\.[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    /// <summary>The dotted village code in <paramref name="fileName"/>, or null when it names none or more than one.</summary>
    public static string? Find(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }
        var name = Path.GetFileNameWithoutExtension(fileName.Replace('\\', '/'));
        string? found = null;
        foreach (Match match in CodePattern().Matches(name))
        {
            if (RegionCode.ToDotted(match.Value) is not { Length: 13 } dotted || !Provinces.Exists(dotted.AsSpan(0, 2)) || dotted[9] is not ('1' or '2' or '3'))
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
}

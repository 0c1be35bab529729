using System.Runtime.InteropServices;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Imports;

/// <summary>
/// A misnamed village file into a village the registry does not hold yet: no registered family can show that it is
/// another village's, and the whole file would be registered in the wrong village. Its residents' NIKs can: Dukcapil
/// issues a NIK in the kecamatan where one is registered (Permendagri 7/2019, digits 1-6), so most of a village's NIKs
/// carry its own kecamatan, and a file whose NIKs mostly carry one other kecamatan is most likely that kecamatan's
/// village's file (docs/import-profiles.md, "A misnamed file into an empty village").
/// <para>
/// Whether that stops the import depends on who chose the village. Named by a person (the upload form, <c>--village</c>,
/// the operator's own village) it is a warning (<c>VILLAGE_NIK_KECAMATAN</c>): a kecamatan split after the NIKs were
/// issued (pemekaran) leaves a whole village on the old code, and the person has said which village it is. Read from the
/// file's name alone — the many files of a regency operator's upload, which nobody previews — it is a refusal
/// (<c>VILLAGE_FILE_NAME_NIK_KECAMATAN</c>): nothing is written until someone gives the village.
/// </para>
/// </summary>
/// <param name="Village">The village the file goes to, dotted (33.14.01.2001).</param>
/// <param name="FromFileName">The village was read from the file's name, not given.</param>
/// <param name="FileName">The file's name as uploaded, for the message.</param>
public sealed class NikKecamatanCheck(string village, bool fromFileName, string? fileName)
{
    public string Village { get; } = village;

    public bool FromFileName { get; } = fromFileName;

    /// <summary>Dukcapil NIKs by the kecamatan that issued them (the NIK's first six digits as a number).</summary>
    private readonly Dictionary<int, int> _counts = [];

    /// <summary>What the NIKs say: <paramref name="Issued"/> of <paramref name="Total"/> carry <paramref name="Other"/>,
    /// not <paramref name="Own"/>, the village's kecamatan (both dotted, 33.14.01).</summary>
    public sealed record Finding(int Issued, int Total, string Other, string Own);

    /// <summary>Counts one NIK (sixteen digits as a number); a temporary NIK begins with 0 and was issued by no one.</summary>
    public void Count(long nik)
    {
        if (nik >= 1_000_000_000_000_000L && nik <= 9_999_999_999_999_999L)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_counts, (int)(nik / 10_000_000_000L), out _)++;
        }
    }

    /// <summary>Counts a NIK as written in a file; anything that is not sixteen digits is not counted.</summary>
    public void Count(string? nik)
    {
        var digits = nik.AsSpan().Trim();
        if (digits.Length == 16 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            Count(value);
        }
    }

    /// <summary>The other kecamatan when fewer than a fifth of at least five Dukcapil NIKs carry the village's own and
    /// more than half carry that one; null when the NIKs agree with the village or are too few to tell.</summary>
    public Finding? Judge()
    {
        if (Village.Length != 13
            || !int.TryParse(Village.AsSpan(0, 8).ToString().Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture, out var own))
        {
            return null;
        }
        var (total, other, issued) = (0, 0, 0);
        foreach (var (kecamatan, count) in _counts)
        {
            total += count;
            (other, issued) = kecamatan != own && count > issued ? (kecamatan, count) : (other, issued);
        }
        return total < 5 || _counts.GetValueOrDefault(own) * 5 >= total || issued * 2 <= total
            ? null
            : new Finding(issued, total, Dotted(other), Dotted(own));
        static string Dotted(int digits) => RegionCode.ToDotted(digits.ToString("000000", CultureInfo.InvariantCulture)) ?? digits.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The finding as the import and the preview report it: a refusal when the village came from the file's name,
    /// a warning otherwise; each kecamatan with its name when the region table has it.</summary>
    public ImportIssue Issue(Finding finding, IReadOnlyDictionary<string, string> names)
    {
        var (other, own) = (Named(finding.Other), Named(finding.Own));
        return FromFileName
            ? ImportMessages.Issue(1, "KODE_DESA", Village, "VILLAGE_FILE_NAME_NIK_KECAMATAN", finding.Issued, finding.Total, other, own, Village,
                Path.GetFileName(fileName ?? ""))
            : ImportMessages.Issue(1, "KODE_DESA", Village, "VILLAGE_NIK_KECAMATAN", finding.Issued, finding.Total, other, own, Village);
        string Named(string code) => names.TryGetValue(code, out var name) ? $"{code} ({name})" : code;
    }

    /// <summary>
    /// The preview's judgement (<see cref="PreviewImport"/> reads the file only): the finding when none of the file's
    /// families is registered — as the import, which compares registered families with the village instead
    /// (<c>VILLAGE_MISMATCH</c>) — or null. Reads whether the NO_KKs exist and two region names; no personal data.
    /// </summary>
    public async Task<ImportIssue?> ForPreviewAsync(TuntasDb db, IReadOnlyCollection<string> noKks, CancellationToken cancellationToken)
    {
        if (Judge() is not { } finding)
        {
            return null;
        }
        foreach (var chunk in noKks.Chunk(500))
        {
            if (await db.Families.AnyAsync(f => chunk.Contains(f.NoKk), cancellationToken))
            {
                return null;
            }
        }
        string[] codes = [finding.Other, finding.Own];
        var names = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        return Issue(finding, names);
    }
}

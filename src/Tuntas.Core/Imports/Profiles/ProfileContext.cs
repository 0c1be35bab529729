using Tuntas.Imports.Tabular;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Imports.Profiles;

/// <summary>
/// What one import shares with the layout that reads its file (<see cref="OpenSidPendudukLayout"/>,
/// <see cref="OpenSidDtksLayout"/>, <see cref="Bdt2015Layout"/>), over both passes: the village (OpenSID's and the DTKS's
/// files have none), the registry's place of a NIK (the BDT's files name persons by NIK only) and the temporary NIKs
/// given to NIK <c>0</c>. OpenSID's own format for them is <c>0</c> + the 10-digit village code + a
/// 5-digit serial (Penduduk_model::nik_sementara); a person already registered with a temporary NIK under the same
/// NO_KK, name and birth date keeps it (OpenSID matches on name, birth place and date), so a re-import is unchanged.
/// </summary>
/// <param name="village">The village given with the file (the upload form, --village, the API), in either spelling.</param>
/// <param name="fileName">The file's name as the user knows it: when no village is given, the village it is named after
/// (<see cref="VillageInFileName"/>).</param>
public sealed class ProfileContext(string? village, string? fileName = null)
{
    /// <summary>The village, dotted (33.14.01.2001), or null when neither the form, --village nor the file's name gave a
    /// valid one.</summary>
    public string? Village { get; } = string.IsNullOrWhiteSpace(village) ? VillageInFileName.Find(fileName)
        : RegionCode.ToDotted(village.Trim()) is { Length: 13 } dotted ? dotted : null;
    public string? VillageGiven { get; } = village;

    /// <summary>The village was read from the file's name, not given: said once as a warning
    /// (<c>VILLAGE_FROM_FILE_NAME</c>, <see cref="VillageNote"/>), so that a dry run shows which village a file goes to.</summary>
    public bool VillageFromFileName => string.IsNullOrWhiteSpace(VillageGiven) && Village is not null;

    private readonly string? _fileName = fileName;

    /// <summary>What the file's name says about the village: that the village was read from it
    /// (<c>VILLAGE_FROM_FILE_NAME</c>), or that it names another village than the one given
    /// (<c>VILLAGE_NOT_FILE_NAME</c>: most likely the wrong file, or a mistyped code); null when it says nothing.</summary>
    public ImportIssue? VillageNote() =>
        VillageFromFileName ? ImportMessages.Issue(1, null, Village, "VILLAGE_FROM_FILE_NAME", Village, Path.GetFileName(_fileName))
        : Village is not null && VillageInFileName.Find(_fileName) is { } named && named != Village
            ? ImportMessages.Issue(1, "--village", Village, "VILLAGE_NOT_FILE_NAME", Village, Path.GetFileName(_fileName), named)
        : null;

    /// <summary>The importer's area (a village operator's village), or null for the regency: a file of one village
    /// outside it is refused once, at its header, not on each of its rows (<see cref="VillageIssue"/>).</summary>
    public Func<string, bool>? VillageAllowed { get; init; }

    /// <summary>Whether the Kemendagri region table holds the village (set by the import, and by the preview from its
    /// caller's read): a mistyped or retired code is refused once, at its header, as <c>KODE_DESA_UNKNOWN</c>, where
    /// the preview showed nothing and the import then refused every row of the file with it. Null: not checked.</summary>
    public Func<string, bool>? VillageExists { get; set; }

    /// <summary>The check of <see cref="VillageAllowed"/> for an importer's region code, or null for none (the regency).</summary>
    public static Func<string, bool>? Within(string? regionScope) =>
        regionScope is { Length: > 0 } scope ? village => RegionCode.IsWithin(village, scope) : null;

    /// <summary>What is wrong with the village given for a file that carries none (OpenSID's, the DTKS's): missing
    /// (<c>VILLAGE_REQUIRED</c>; <c>VILLAGE_NAME_UNCLEAR</c> when the file's name seems to carry a code but names no one
    /// village), given but not a village code (<c>VILLAGE_CODE_INVALID</c>: "3301" is not "no code"), not in the region
    /// table (<c>KODE_DESA_UNKNOWN</c>), or outside the importer's area (<c>KODE_DESA_OUTSIDE_SCOPE</c>).</summary>
    public ImportIssue? VillageIssue() =>
        Village is null && !string.IsNullOrWhiteSpace(VillageGiven) ? ImportMessages.Issue(1, "--village", VillageGiven.Trim(), "VILLAGE_CODE_INVALID", VillageGiven.Trim())
        : Village is null && VillageInFileName.Unclear(_fileName) ? ImportMessages.Issue(1, null, Path.GetFileName(_fileName), "VILLAGE_NAME_UNCLEAR", Path.GetFileName(_fileName))
        : Village is null ? ImportMessages.Issue(1, null, VillageGiven, "VILLAGE_REQUIRED")
        : VillageExists is { } exists && !exists(Village) ? ImportMessages.Issue(1, "--village", Village, "KODE_DESA_UNKNOWN", Village)
        : VillageAllowed is { } allowed && !allowed(Village) ? ImportMessages.Issue(1, "--village", Village, "KODE_DESA_OUTSIDE_SCOPE", Village)
        : null;

    /// <summary>
    /// The registry's family of a NIK, within the importer's area; null for a NIK it does not hold there. Set by the
    /// import for a layout that updates registered persons only (BDT 2015); null in a preview, which reads the file only.
    /// </summary>
    public Func<string, Bdt2015Layout.Place?>? Registered { get; set; }
    /// <summary>
    /// The registry's disability code (a Tuntas cell) of a NIK of the file's village, null for one it does not hold
    /// there: an OpenSID file's empty <c>cacat_id</c> keeps it. Set by the import for OpenSID's file; null in a preview.
    /// </summary>
    public Func<string, string?>? RegisteredDisability { get; set; }
    /// <summary>
    /// The registry's occupation text of a NIK of the file's village: when it names the same OpenSID code as the file's
    /// label ("Petani" beside <c>PETANI/PEKEBUN</c>, <see cref="OpenSidPendudukLayout.EverydayOccupations"/>), the text is
    /// kept, so a village's file exported from the registry and imported back changes nothing. Null in a preview.
    /// </summary>
    public Func<string, string?>? RegisteredOccupation { get; set; }

    /// <summary>
    /// Whether the registry's education (PENDIDIKAN) of a NIK of the file's village is 1, tidak/belum sekolah: a DTKS
    /// 415 = 23 without 412 then keeps it (<see cref="OpenSidDtksLayout"/>). Set by the import for a DTKS workbook; null
    /// in a preview, which reads the file only.
    /// </summary>
    public Func<string, bool>? RegisteredNeverSchooled { get; set; }

    public string? Village10 => Village?.Replace(".", "", StringComparison.Ordinal);
    private readonly Dictionary<string, string> _temporary = new(StringComparer.Ordinal);
    private int _lastSerial;
    private Func<IEnumerable<string>>? _fileNiks;

    /// <summary>
    /// How to read the NIK cells of the whole file, done once, at the first NIK 0: OpenSID's own temporary NIKs of
    /// the village may come later in the same file, and a NIK given here must not be one of them (it was, and the
    /// file was refused as NIK_DUPLICATE pointing at the row that had written 0). Files without a NIK 0 never pay it.
    /// </summary>
    public void ReadsFileNiksWith(Func<IEnumerable<string>> read) => _fileNiks = read;

    /// <summary>A temporary NIK already in the registry (from <see cref="ImportFamilies"/>' preload), of any village; only
    /// the file's village's own count for its next serial.</summary>
    public void Known(string nik, string noKk, string name, DateOnly? birth)
    {
        _temporary.TryAdd(Key(noKk, name, birth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? ""), nik);
        if (nik.Length == 16 && Village10 is { } village && nik.AsSpan(1, 10).SequenceEqual(village)
            && int.TryParse(nik.AsSpan(11, 5), NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            _lastSerial = Math.Max(_lastSerial, serial);
        }
    }

    public string TemporaryNik(string noKk, string name, string birth)
    {
        if (_fileNiks is { } read)
        {
            _fileNiks = null;
            foreach (var cell in read())
            {
                var given = cell.Trim().TrimStart('\'');
                if (given.Length == 16 && given[0] == '0' && Village10 is { } village && given.AsSpan(1, 10).SequenceEqual(village)
                    && int.TryParse(given.AsSpan(11, 5), NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
                {
                    _lastSerial = Math.Max(_lastSerial, serial);
                }
            }
        }
        var key = Key(noKk, name, RegistryFields.TryParseDate(birth, out var date) ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : birth);
        if (!_temporary.TryGetValue(key, out var nik))
        {
            nik = "0" + Village10 + (++_lastSerial).ToString("00000", CultureInfo.InvariantCulture);
            _temporary[key] = nik;
        }
        return nik;
    }

    private static string Key(string noKk, string name, string birth) => noKk + "|" + OpenSidPendudukLayout.Normalise(name) + "|" + birth;
}

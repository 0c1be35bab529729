using Tuntas.Imports.Tabular;

namespace Tuntas.Imports.Profiles;

/// <summary>
/// A file of another layout presented in the Tuntas layout, row by row (docs/import-profiles.md): the import checks
/// the translated rows as it checks a Tuntas file, and reports in the file's own words through
/// <see cref="SourceColumns"/>.
/// </summary>
public abstract class ProfileReader : TabularReader
{
    /// <summary>Header findings of the file itself (unknown, repeated columns; no village).</summary>
    public List<ImportIssue> HeaderIssues { get; } = [];

    /// <summary>Every column of the file as its user names it (a DTKS workbook's as "sheet!code"), for the preview's
    /// list of columns that are not read.</summary>
    public List<string> FileColumns { get; } = [];

    /// <summary>Tuntas column → the file's column it was read from, for reports in the file's own words.</summary>
    public Dictionary<string, string> SourceColumns { get; } = new(StringComparer.Ordinal);

    /// <summary>File columns read without a Tuntas column of their own (OpenSID's <c>dusun</c> joins ALAMAT; the DTKS
    /// member sheet's <c>No KK</c> joins a member to its family), named as in <see cref="FileColumns"/>.</summary>
    public HashSet<string> AlsoRead { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A column of <see cref="FileColumns"/> in the naming of <see cref="SourceColumns"/> (a DTKS header
    /// "403 NIK" is read as question 403).</summary>
    public virtual string SourceName(string fileColumn) => fileColumn;

    /// <summary>Whether the import reads this column of <see cref="FileColumns"/> at all: the preview lists the others
    /// as "not read".</summary>
    public bool Reads(string fileColumn) =>
        AlsoRead.Contains(fileColumn) || SourceColumns.ContainsValue(SourceName(fileColumn));

    /// <summary>Required Tuntas person columns the layout does not carry: an existing person keeps the registry's value,
    /// a new one gets the field's "none" value (DISABILITAS 0), documented per profile.</summary>
    public virtual IReadOnlySet<string> DefaultedColumns { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Warnings about rows the layout passed over (a BDT 2015 row of a person the registry does not hold),
    /// taken by the import as it reads; a second pass of the same file raises them again and they are then ignored.</summary>
    public List<ImportIssue> Notices { get; } = [];

    /// <summary>Errors of rows the layout could not hand on (a BDT 2015 NIK in Excel's scientific notation: its digits
    /// are lost, so the person cannot even be looked up): the import refuses the file for them, naming row and column,
    /// where a row it merely passes over is a <see cref="Notices"/> warning.</summary>
    public List<ImportIssue> Refusals { get; } = [];

    /// <summary>How many rows of the file the layout passed over (<see cref="Notices"/>).</summary>
    public long PassedOver { get; protected set; }

    /// <summary>
    /// Codes of the layout that stand for more than one registry value: column → the translated value → every registry
    /// value it stands for (the DTKS's one D1/D2/D3 certificate is PENDIDIKAN 6 or 7). Where the registry already holds
    /// one of them, the import keeps the registry's finer value instead of overwriting it with the coarse one
    /// (docs/import-profiles.md, "Coarser codes").
    /// </summary>
    public virtual IReadOnlyDictionary<string, IReadOnlyDictionary<int, int[]>> Folds { get; } = new Dictionary<string, IReadOnlyDictionary<int, int[]>>();

    /// <summary>
    /// Columns whose empty cell says nothing: an existing family or person keeps the registry's value, a new one gets the
    /// field unknown. OpenSID's own importer writes no empty cell ("jangan masukkan atau update isian yang kosong",
    /// <c>Impor_model::tulis_tweb_penduduk</c>), so a village's file with an occupation outside OpenSID's list, or no
    /// coordinates, does not blank what the registry holds (docs/import-profiles.md, "Empty cells").
    /// </summary>
    /// <remarks>Column → which of the registry's values an empty cell keeps (OpenSID's: any; the DTKS's 307b1: only
    /// those it has no answer for).</remarks>
    public virtual IReadOnlyDictionary<string, Func<object, bool>> KeptWhenEmpty { get; } = new Dictionary<string, Func<object, bool>>(StringComparer.Ordinal);

    /// <summary>For <see cref="KeptWhenEmpty"/>: every value the registry holds.</summary>
    protected static bool AnyValue(object registry) => true;

    /// <summary>Text columns the layout spells in its own case (OpenSID's occupation labels are capitals): where the file
    /// says the same as the registry but for case, the registry's spelling stays and nothing changes.</summary>
    public virtual IReadOnlySet<string> SameIgnoringCase { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>A cell as the layouts read it: trimmed, Excel's text apostrophe and the invisible characters Dukcapil
    /// and OpenSID exports carry (zero-width space, no-break space, BOM) removed.</summary>
    protected static string Clean(string raw)
    {
        var text = raw.Trim().TrimStart('\'');
        if (text.AsSpan().IndexOfAny('\u200B', '\u00A0', '\uFEFF') >= 0)
        {
            text = text.Replace("\u200B", "", StringComparison.Ordinal).Replace("\uFEFF", "", StringComparison.Ordinal)
                .Replace('\u00A0', ' ').Trim();
        }
        return text;
    }

    /// <summary>A cell's value as a finding echoes it: at most 60 characters.</summary>
    protected static string Shorten(string text) => text.Length > 60 ? text[..60] : text;

    /// <summary>Decimals may be written with a comma: the file is a <c>;</c>-delimited CSV (Excel in the Indonesian
    /// locale), as for a Tuntas file.</summary>
    public virtual bool DecimalComma => false;

    /// <summary>The current row carries a family and no person (a family of the DTKS family sheet without members).</summary>
    public virtual bool FamilyOnlyRow => false;
}

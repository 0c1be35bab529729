namespace Tuntas.Targeting.Snapshot;

/// <summary>
/// Distinct texts of a text field (villages, occupations), each with a small code: a text comparison becomes a number
/// comparison over the column. Matching ignores case and repeated spaces ("buruh  tani" = "Buruh Tani").
/// </summary>
public sealed class TextTable
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Values { get; } = [];

    public int Add(string text)
    {
        var key = Normalize(text);
        if (!_codes.TryGetValue(key, out var code))
        {
            code = Values.Count;
            _codes.Add(key, code);
            Values.Add(text.Trim());
        }
        return code;
    }

    /// <summary>The code of a text, or -1 when no family has it (then "=" is false for every family, never an error).</summary>
    public int Find(string text) => _codes.GetValueOrDefault(Normalize(text), -1);

    private static string Normalize(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>
/// The registry as columns in memory (ARCHITECTURE §5): one array per field, families in id order, members grouped by
/// family (<see cref="PersonStart"/>), missing values read as NaN, each column stored narrow (<see cref="Column"/>).
/// Rules and models are evaluated a whole column at a time over it, which is what makes a million-family run take
/// seconds. Immutable once loaded.
/// </summary>
public sealed class RegistrySnapshot
{
    public required DateOnly AsOf { get; init; }
    public required long[] FamilyIds { get; init; }
    /// <summary>Members of family f are persons PersonStart[f] .. PersonStart[f + 1] − 1.</summary>
    public required int[] PersonStart { get; init; }
    /// <summary>Family index of each person.</summary>
    public required int[] PersonFamily { get; init; }
    /// <summary>Per family: hash of its row and its members' rows as imported, to tell "the data changed" in run comparisons.</summary>
    public required long[] DataHash { get; init; }
    /// <summary>Hex SHA-256 over every family's id and <see cref="DataHash"/>: the registry state a run used.</summary>
    public required string RegistryHash { get; init; }
    public required Dictionary<string, Column> Columns { get; init; }
    public required Dictionary<string, TextTable> Tables { get; init; }

    public int FamilyCount => FamilyIds.Length;
    public int PersonCount => PersonFamily.Length;

    public Column Column(string field) => Columns[field];

    /// <summary>Village code of family f.</summary>
    public string KodeDesa(int family) => Tables["kode_desa"].Values[(int)Columns["kode_desa"][family]];

    public int Members(int family) => PersonStart[family + 1] - PersonStart[family];
}

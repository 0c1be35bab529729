using Tuntas.Targeting.Snapshot;

namespace Tuntas.Linkage;

/// <summary>
/// The registry's persons as a linkage table, read in one forward pass (the targeting snapshot's fast row reader): NIK,
/// name, birth date, sex, NO_KK, village and address. Only persons inside the caller's <see cref="AccessScope"/>.
/// The columns a linkage config may name on the registry side (<c>--registry</c>) are the import format's:
/// <see cref="Columns"/>.
/// </summary>
public sealed class RegistryPersons
{
    /// <summary>Registry columns (import-format names) → what they hold.</summary>
    public static readonly IReadOnlyList<string> Columns = ["NIK", "NAMA", "TANGGAL_LAHIR", "JENIS_KELAMIN", "NO_KK", "KODE_DESA", "ALAMAT"];

    /// <summary>The fields used to find duplicates inside the registry (docs/linkage.md), in this order.</summary>
    public static readonly IReadOnlyList<(FieldKind Kind, string Column)> DuplicateFields =
    [
        (FieldKind.FullName, "NAMA"), (FieldKind.BirthDate, "TANGGAL_LAHIR"), (FieldKind.Sex, "JENIS_KELAMIN"), (FieldKind.Nik, "NIK"),
        (FieldKind.NoKk, "NO_KK"), (FieldKind.Region, "KODE_DESA"),
    ];

    private RegistryPersons(LinkageTable table, long[] personIds, long[] familyIds, string[] villages)
    {
        Table = table;
        PersonIds = personIds;
        FamilyIds = familyIds;
        Villages = villages;
    }

    public LinkageTable Table { get; }
    public long[] PersonIds { get; }
    public long[] FamilyIds { get; }
    public string[] Villages { get; }

    /// <summary>Loads the persons with the given (kind, registry column) fields; ids are NIKs.</summary>
    public static async Task<RegistryPersons> LoadAsync(TuntasDatabase database, AccessScope scope,
        IReadOnlyList<(FieldKind Kind, string Column)> fields, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var personIds = new List<long>();
        var familyIds = new List<long>();
        var villages = new List<string>();
        var values = fields.Select(_ => new List<string?>()).ToArray();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        using var rows = RowSource.Open(connection,
            "SELECT p.id, p.family_id, p.nik, p.nama, p.tanggal_lahir, p.jenis_kelamin, f.no_kk, f.kode_desa, f.alamat " +
            "FROM persons p JOIN families f ON f.id = p.family_id ORDER BY p.id");
        var raw = new string?[Columns.Count];
        // Villages and NO_KKs repeat across persons: one shared instance each keeps a million rows in a few hundred MB.
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Share(string? value) => value is null ? null : shared.TryGetValue(value, out var s) ? s : shared[value] = value;
        while (rows.Next())
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Columns in order: PostgreSQL's reader is sequential.
            var personId = rows.Int64(0);
            var familyId = rows.Int64(1);
            var nik = rows.Text(2) ?? "";
            raw[1] = rows.Text(3);
            raw[2] = BirthDates.Format(rows.Date(4));
            raw[3] = ((long)rows.Number(5)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            raw[4] = rows.Text(6);
            var village = rows.Text(7) ?? "";
            raw[6] = rows.Text(8);
            if (!scope.Covers(familyId, village))
            {
                continue;
            }
            personIds.Add(personId);
            familyIds.Add(familyId);
            villages.Add(Share(village)!);
            ids.Add(nik);
            raw[0] = nik;
            raw[5] = village;
            for (var f = 0; f < fields.Count; f++)
            {
                var column = IndexOf(fields[f].Column);
                var value = fields[f].Kind == FieldKind.BirthDate ? raw[column] : Comparisons.Prepare(fields[f].Kind, raw[column]);
                if (fields[f].Kind == FieldKind.Nik && value == nik)
                {
                    value = nik; // one instance for the id and the compared value
                }
                values[f].Add(fields[f].Kind is FieldKind.Region or FieldKind.NoKk or FieldKind.BirthDate or FieldKind.Sex ? Share(value) : value);
            }
        }
        var table = new LinkageTable([.. fields.Select(f => f.Kind)], [.. ids], [.. values.Select(v => v.ToArray())]);
        return new RegistryPersons(table, [.. personIds], [.. familyIds], [.. villages]);
    }

    public static int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}

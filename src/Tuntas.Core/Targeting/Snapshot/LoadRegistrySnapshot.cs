using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Targeting.Snapshot;

/// <summary>
/// Reads families and persons once, in two plain streaming queries run side by side on two connections (no EF, no
/// joins), into a <see cref="RegistrySnapshot"/>, then computes the derived family fields (TargetingFields.FamilyDerived).
/// Ages are full years on <c>asOf</c>, so a run is reproducible on any later day. The two queries see one registry
/// state: the registry's change marker (<see cref="RegistryMarkerAsync"/>) is read before and after, and the load is
/// repeated if an import committed in between.
/// </summary>
public sealed class LoadRegistrySnapshot(TuntasDatabase database)
{
    // Person number columns of the targeting catalogue; the occupation (text) and age (from the birth date) are read apart.
    private static readonly string[] _personSql =
        [.. TargetingFields.PersonColumns.Where(f => f.Type != FieldType.Text && f.Name != "umur").Select(f => f.Name)];

    // NOT NULL in the schema (the catalogue's required fields): read without a NULL check. Every other column may be
    // unknown (housing from an OpenSID or DTKS file without the REGSOSEK answers) and is read as NaN, never as 0.
    private static readonly HashSet<string> _required =
        new(RegistryFields.FamilyRules.Concat(RegistryFields.PersonRules).Where(r => r.Required).Select(r => r.Sql), StringComparer.Ordinal);

    // Each column is collected narrow as it is read (ColumnBuilder): a row never exists as doubles, so the load's peak is
    // the narrow columns plus the per-member family id and hash, not a double per value.
    private sealed record FamilyRows(long[] Ids, long[] Hash, ColumnBuilder[] Values, ColumnBuilder Village, ColumnBuilder District,
        TextTable Villages, TextTable Districts, int Count);

    private sealed record PersonRows(long[] FamilyId, long[] Hash, ColumnBuilder?[] Values, TextTable Occupations, int Count);

    public async Task<RegistrySnapshot> RunAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = await RegistryMarkerAsync(database, cancellationToken);
            var familyTask = Task.Run(() => ReadFamilies(cancellationToken), cancellationToken);
            var personTask = Task.Run(() => ReadPersons(asOf, cancellationToken), cancellationToken);
            var (families, persons) = (await familyTask, await personTask);
            if (attempt < 3 && await RegistryMarkerAsync(database, cancellationToken) != before)
            {
                continue; // an import committed while reading: read again so families and members belong together
            }
            return Build(families, persons, asOf);
        }
    }

    /// <summary>
    /// Changes whenever the registry does: every import that adds or changes a family or member writes its history
    /// (family_changes), so the newest history id and the row counts identify a registry state cheaply (index lookups).
    /// </summary>
    public static async Task<string> RegistryMarkerAsync(TuntasDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT MAX(id) FROM family_changes), (SELECT MAX(id) FROM families), (SELECT MAX(id) FROM persons)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return string.Join('|', Enumerable.Range(0, 3).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)));
    }

    private FamilyRows ReadFamilies(CancellationToken cancellationToken)
    {
        using var connection = database.OpenConnectionAsync(cancellationToken).GetAwaiter().GetResult();
        var fields = TargetingFields.FamilyColumns.Select(f => f.Name).ToArray();
        var capacity = (int)Count(connection, "families");
        var ids = new long[capacity];
        var hash = new long[capacity];
        var values = fields.Select(_ => new ColumnBuilder(capacity)).ToArray();
        var (village, district) = (new ColumnBuilder(capacity), new ColumnBuilder(capacity));
        var (villages, districts) = (new TextTable(), new TextTable());
        var n = 0;
        using var rows = RowSource.Open(connection, $"SELECT id, kode_desa, row_hash, {string.Join(", ", fields)} FROM families f " +
            // A family none of whose members is living (all died or moved away) is no longer a target (docs/registry.md#life-events);
            // the partial index on non-living members makes the first test a probe of a tiny index.
            "WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.family_id = f.id AND p.status_hidup <> 1) " +
            "OR EXISTS (SELECT 1 FROM persons p WHERE p.family_id = f.id AND p.status_hidup = 1) ORDER BY id");
        // One lookup per village text: 1 M families share about 200 villages, each coded once with its kecamatan.
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        var villageCodes = new Dictionary<string, (int Village, int District)>(ReferenceEqualityComparer.Instance);
        var required = fields.Select(_required.Contains).ToArray();
        while (n < capacity && rows.Next())
        {
            ids[n] = rows.Int64(0);
            var kodeDesa = rows.SharedText(1, shared)!;
            if (!villageCodes.TryGetValue(kodeDesa, out var codes))
            {
                codes = (villages.Add(kodeDesa), districts.Add(RegionCode.DistrictOf(kodeDesa)));
                villageCodes[kodeDesa] = codes;
            }
            village.Set(n, codes.Village);
            district.Set(n, codes.District);
            hash[n] = rows.Int64(2);
            for (var c = 0; c < values.Length; c++)
            {
                values[c].Set(n, required[c] ? rows.Required(c + 3) : rows.Number(c + 3));
            }
            if ((n & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            n++;
        }
        return new FamilyRows(ids, hash, values, village, district, villages, districts, n);
    }

    private PersonRows ReadPersons(DateOnly asOf, CancellationToken cancellationToken)
    {
        using var connection = database.OpenConnectionAsync(cancellationToken).GetAwaiter().GetResult();
        var capacity = (int)Math.Min(int.MaxValue - 64, Count(connection, "persons"));
        var family = new long[capacity];
        var hash = new long[capacity];
        // umur, pekerjaan, then the catalogue's number columns (_personSql), in this order.
        var values = new ColumnBuilder?[_personSql.Length + 2];
        for (var c = 0; c < values.Length; c++) values[c] = new ColumnBuilder(capacity);
        var (age, occupation) = (values[0]!, values[1]!);
        var occupations = new TextTable();
        var n = 0;
        using var rows = RowSource.Open(connection, $"SELECT family_id, row_hash, tanggal_lahir, pekerjaan, {string.Join(", ", _personSql)} FROM persons WHERE status_hidup = 1");
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        var occupationCodes = new Dictionary<string, int>(ReferenceEqualityComparer.Instance);
        var required = _personSql.Select(_required.Contains).ToArray();
        while (n < capacity && rows.Next())
        {
            family[n] = rows.Int64(0);
            hash[n] = rows.Int64(1);
            age.Set(n, AgeOn(rows.Date(2), asOf));
            if (rows.SharedText(3, shared) is { } text)
            {
                if (!occupationCodes.TryGetValue(text, out var code))
                {
                    code = occupations.Add(text);
                    occupationCodes[text] = code;
                }
                occupation.Set(n, code);
            }
            else
            {
                occupation.Set(n, double.NaN);
            }
            for (var c = 0; c < _personSql.Length; c++)
            {
                values[c + 2]!.Set(n, required[c] ? rows.Required(c + 4) : rows.Number(c + 4));
            }
            if ((n & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            n++;
        }
        return new PersonRows(family, hash, values, occupations, n);
    }

    private static RegistrySnapshot Build(FamilyRows families, PersonRows persons, DateOnly asOf)
    {
        var familyCount = families.Count;
        var ids = families.Ids.Length == familyCount ? families.Ids : families.Ids[..familyCount];
        var hash = families.Hash.Length == familyCount ? families.Hash : families.Hash[..familyCount];
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        var fields = TargetingFields.FamilyColumns.Select(f => f.Name).ToArray();
        for (var c = 0; c < fields.Length; c++)
        {
            columns[fields[c]] = families.Values[c].Build(familyCount);
        }
        columns["kode_desa"] = families.Village.Build(familyCount);
        columns["kode_kecamatan"] = families.District.Build(familyCount);
        var tables = new Dictionary<string, TextTable>(StringComparer.Ordinal)
        {
            ["kode_desa"] = families.Villages,
            ["kode_kecamatan"] = families.Districts,
            ["pekerjaan"] = persons.Occupations,
        };
        tables["kepala_pekerjaan"] = tables["pekerjaan"];

        // Members to their family's index; a member whose family is not in this snapshot is left out.
        var indexOf = FamilyIndex(ids);
        var n = persons.Count;
        var familyIndex = new int[n];
        var start = new int[familyCount + 1];
        for (var i = 0; i < n; i++)
        {
            var f = indexOf(persons.FamilyId[i]);
            familyIndex[i] = f;
            if (f >= 0)
            {
                start[f + 1]++;
                hash[f] += StableHash.Mix(persons.Hash[i]); // order-independent over members
            }
        }
        for (var f = 0; f < familyCount; f++)
        {
            start[f + 1] += start[f];
        }
        // Group members by family (a counting sort keeps the database's order within each family). When the database
        // already hands the members over grouped, in family order (a registry as imported), nothing is moved.
        var next = start[..^1];
        var kept = start[familyCount];
        var order = new int[kept];
        var moved = kept != n;
        for (var i = 0; i < n; i++)
        {
            if (familyIndex[i] >= 0)
            {
                var at = next[familyIndex[i]]++;
                order[at] = i;
                moved |= at != i;
            }
        }
        var grouped = new int[kept];
        for (var i = 0; i < kept; i++)
        {
            grouped[i] = familyIndex[order[i]];
        }
        string[] personNames = ["umur", "pekerjaan", .. _personSql];
        for (var c = 0; c < personNames.Length; c++)
        {
            // One column at a time, the read one let go at once: the grouped copy is the only second column alive.
            columns[personNames[c]] = persons.Values[c]!.Build(kept, moved ? order : null);
            persons.Values[c] = null;
        }
        var snapshot = new RegistrySnapshot
        {
            AsOf = asOf,
            FamilyIds = ids,
            PersonStart = start,
            PersonFamily = grouped,
            DataHash = hash,
            RegistryHash = RegistryHashOf(ids, hash, asOf),
            Columns = columns,
            Tables = tables,
        };
        DerivedFields.Compute(snapshot);
        return snapshot;
    }

    private static Func<long, int> FamilyIndex(long[] ids)
    {
        var max = ids.Length == 0 ? 0 : ids[^1];
        if (max < 4L * ids.Length + 1024)
        {
            var dense = new int[max + 1];
            Array.Fill(dense, -1);
            for (var i = 0; i < ids.Length; i++)
            {
                dense[ids[i]] = i;
            }
            return id => id >= 0 && id < dense.Length ? dense[id] : -1;
        }
        var sparse = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            sparse[ids[i]] = i;
        }
        return id => sparse.GetValueOrDefault(id, -1);
    }

    private static long Count(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        command.CommandTimeout = 0;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static int AgeOn(DateOnly birth, DateOnly asOf)
    {
        var age = asOf.Year - birth.Year;
        return asOf.Month < birth.Month || (asOf.Month == birth.Month && asOf.Day < birth.Day) ? age - 1 : age;
    }

    private static string RegistryHashOf(long[] ids, long[] hashes, DateOnly asOf)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> buffer = stackalloc byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, asOf.DayNumber);
        sha.AppendData(buffer[..4]);
        for (var i = 0; i < ids.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer, ids[i]);
            BinaryPrimitives.WriteInt64LittleEndian(buffer[8..], hashes[i]);
            sha.AppendData(buffer);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

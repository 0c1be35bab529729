using System.Data.Common;

namespace Tuntas.Imports;

/// <summary>
/// The registry's keys and row hashes as the import compares a file against them: families by NO_KK, persons by NIK,
/// each as parallel arrays sorted by key and found by binary search. 24 bytes a family and 33 a person, where the
/// dictionaries of tuples they replace cost about 90 and 52 (the target: a re-import of 5.5 million persons within 1 GB, docs/benchmarks.md).
/// Read inside the import's transaction, after its lock.
/// </summary>
internal sealed class RegistryKeys
{
    private long[] _familyNoKk = [];
    private long[] _familyId = [];
    private long[] _familyHash = [];
    /// <summary>Family indexes ordered by id, to name the NO_KK of a family id (moves, history).</summary>
    private int[] _familyById = [];
    private long[] _personNik = [];
    private long[] _personId = [];
    private long[] _personFamilyId = [];
    private long[] _personHash = [];
    private byte[] _personStatus = [];

    /// <summary>The registry holds a family (whether or not its keys were read: <see cref="ReadForFileAsync"/>).</summary>
    public bool HasFamilies { get; private set; }

    /// <summary>The registry holds a person.</summary>
    public bool HasPersons { get; private set; }

    public long MaxFamilyId { get; private set; }

    public long MaxPersonId { get; private set; }

    public readonly record struct Family(long Id, long Hash);

    public readonly record struct Person(long Id, long FamilyId, long Hash, int Status);

    public bool TryGetFamily(long noKk, out Family family)
    {
        var i = Array.BinarySearch(_familyNoKk, noKk);
        family = i >= 0 ? new Family(_familyId[i], _familyHash[i]) : default;
        return i >= 0;
    }

    public bool ContainsFamily(long noKk) => Array.BinarySearch(_familyNoKk, noKk) >= 0;

    public bool TryGetPerson(long nik, out Person person)
    {
        var i = Array.BinarySearch(_personNik, nik);
        person = i >= 0 ? new Person(_personId[i], _personFamilyId[i], _personHash[i], _personStatus[i]) : default;
        return i >= 0;
    }

    /// <summary>The NO_KK of a registry family, 16 digits; null for an id the registry does not hold.</summary>
    public string? NoKkOf(long familyId)
    {
        int lo = 0, hi = _familyById.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var id = _familyId[_familyById[mid]];
            if (id == familyId)
            {
                return _familyNoKk[_familyById[mid]].ToString("0000000000000000", CultureInfo.InvariantCulture);
            }
            if (id < familyId)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return null;
    }

    /// <summary>Every person whose keys were read (every registered person, or those <see cref="ReadForFileAsync"/> read):
    /// NIK, id and family id, in NIK order.</summary>
    public IEnumerable<(long Nik, long Id, long FamilyId)> Persons()
    {
        for (var i = 0; i < _personNik.Length; i++)
        {
            yield return (_personNik[i], _personId[i], _personFamilyId[i]);
        }
    }

    public static async Task<RegistryKeys> ReadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var keys = new RegistryKeys();
        var families = await CountAsync(connection, transaction, "families", cancellationToken);
        keys._familyNoKk = new long[families];
        keys._familyId = new long[families];
        keys._familyHash = new long[families];
        var n = 0;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, no_kk, row_hash FROM families";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // A dry run holds no lock: the table may have grown since it was counted.
                if (n == keys._familyNoKk.Length)
                {
                    Grow(ref keys._familyNoKk, ref keys._familyId, ref keys._familyHash);
                }
                keys._familyId[n] = reader.GetInt64(0);
                keys._familyNoKk[n] = long.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
                keys._familyHash[n] = reader.GetInt64(2);
                keys.MaxFamilyId = Math.Max(keys.MaxFamilyId, keys._familyId[n]);
                n++;
            }
        }
        Trim(n, ref keys._familyNoKk, ref keys._familyId, ref keys._familyHash);
        SortBy(keys._familyNoKk, n, keys._familyId, keys._familyHash);
        keys._familyById = new int[n];
        var ids = new long[n];
        for (var i = 0; i < n; i++)
        {
            keys._familyById[i] = i;
            ids[i] = keys._familyId[i];
        }
        Array.Sort(ids, keys._familyById);

        var persons = await CountAsync(connection, transaction, "persons", cancellationToken);
        keys._personNik = new long[persons];
        keys._personId = new long[persons];
        keys._personFamilyId = new long[persons];
        keys._personHash = new long[persons];
        keys._personStatus = new byte[persons];
        n = 0;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, nik, family_id, row_hash, status_hidup FROM persons";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (n == keys._personNik.Length)
                {
                    Grow(ref keys._personNik, ref keys._personId, ref keys._personFamilyId, ref keys._personHash);
                    Array.Resize(ref keys._personStatus, keys._personNik.Length);
                }
                keys._personId[n] = reader.GetInt64(0);
                keys._personNik[n] = long.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
                keys._personFamilyId[n] = reader.GetInt64(2);
                keys._personHash[n] = reader.GetInt64(3);
                keys._personStatus[n] = Convert.ToByte(reader.GetValue(4), CultureInfo.InvariantCulture);
                keys.MaxPersonId = Math.Max(keys.MaxPersonId, keys._personId[n]);
                n++;
            }
        }
        Trim(n, ref keys._personNik, ref keys._personId, ref keys._personFamilyId, ref keys._personHash);
        var order = SortBy(keys._personNik, n, keys._personId, keys._personFamilyId, keys._personHash);
        var status = new byte[n];
        for (var i = 0; i < n; i++)
        {
            status[i] = keys._personStatus[order[i]];
        }
        keys._personStatus = status;
        keys.HasFamilies = keys._familyNoKk.Length > 0;
        keys.HasPersons = keys._personNik.Length > 0;
        return keys;
    }

    /// <summary>
    /// The keys a file small beside the registry can look up, instead of the whole registry's (docs/import-profiles.md,
    /// "Many villages' files"): the families of its NO_KKs, the persons of its NIKs and every member of those families
    /// (members the file leaves out are named), and the families of those persons (a NIK registered in another family is
    /// a move, named by that family's NO_KK). Read by index, each list as one parameter: a village's file of 500 persons
    /// costs a few lookups, where reading a regency's million keys took about a second a file, two hundred files a
    /// regency. <see cref="HasFamilies"/>, <see cref="HasPersons"/> and the highest ids are the whole registry's.
    /// </summary>
    public static async Task<RegistryKeys> ReadForFileAsync(TuntasDatabase database, DbConnection connection, DbTransaction transaction,
        IReadOnlyCollection<long> niks, IReadOnlyCollection<long> noKks, CancellationToken cancellationToken)
    {
        var keys = new RegistryKeys();
        var dialect = database.Dialect;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT (SELECT MAX(id) FROM families), (SELECT MAX(id) FROM persons)";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            keys.MaxFamilyId = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
            keys.MaxPersonId = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
            keys.HasFamilies = !reader.IsDBNull(0);
            keys.HasPersons = !reader.IsDBNull(1);
        }
        var families = new Dictionary<long, (long NoKk, long Hash)>();
        var persons = new Dictionary<long, (long Nik, long FamilyId, long Hash, byte Status)>();
        await ReadFamiliesAsync("no_kk", dialect.Keys(noKks.Select(Key).ToList()));
        await ReadPersonsAsync("nik", dialect.Keys(niks.Select(Key).ToList()));
        await ReadPersonsAsync("family_id", dialect.Ids(families.Keys.ToList()));
        await ReadFamiliesAsync("id", dialect.Ids(persons.Values.Select(p => p.FamilyId).Where(id => !families.ContainsKey(id)).Distinct().ToList()));

        var n = families.Count;
        keys._familyNoKk = new long[n];
        keys._familyId = new long[n];
        keys._familyHash = new long[n];
        var i = 0;
        foreach (var (id, (noKk, hash)) in families)
        {
            (keys._familyId[i], keys._familyNoKk[i], keys._familyHash[i]) = (id, noKk, hash);
            i++;
        }
        SortBy(keys._familyNoKk, n, keys._familyId, keys._familyHash);
        keys._familyById = new int[n];
        var ids = new long[n];
        for (i = 0; i < n; i++)
        {
            keys._familyById[i] = i;
            ids[i] = keys._familyId[i];
        }
        Array.Sort(ids, keys._familyById);

        n = persons.Count;
        keys._personNik = new long[n];
        keys._personId = new long[n];
        keys._personFamilyId = new long[n];
        keys._personHash = new long[n];
        var unsortedStatus = new byte[n];
        i = 0;
        foreach (var (id, person) in persons)
        {
            (keys._personId[i], keys._personNik[i], keys._personFamilyId[i], keys._personHash[i], unsortedStatus[i]) = (id, person.Nik, person.FamilyId, person.Hash, person.Status);
            i++;
        }
        var order = SortBy(keys._personNik, n, keys._personId, keys._personFamilyId, keys._personHash);
        keys._personStatus = new byte[n];
        for (i = 0; i < n; i++)
        {
            keys._personStatus[i] = unsortedStatus[order[i]];
        }
        return keys;

        Task ReadFamiliesAsync(string column, object values) =>
            ReadRowsAsync($"SELECT id, no_kk, row_hash FROM families WHERE {column} IN ({dialect.SelectIds("@values")})", values,
                reader => families[reader.GetInt64(0)] = (long.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetInt64(2)));

        Task ReadPersonsAsync(string column, object values) =>
            ReadRowsAsync($"SELECT id, nik, family_id, row_hash, status_hidup FROM persons WHERE {column} IN ({dialect.SelectIds("@values")})", values,
                reader => persons[reader.GetInt64(0)] = (long.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetInt64(2), reader.GetInt64(3),
                    Convert.ToByte(reader.GetValue(4), CultureInfo.InvariantCulture)));

        async Task ReadRowsAsync(string sql, object values, Action<DbDataReader> read)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.AddParameter("@values", values);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read(reader);
            }
        }
    }

    /// <summary>A NIK or NO_KK key as the registry stores it: 16 digits, leading zeros kept (temporary numbers).</summary>
    private static string Key(long key) => key.ToString("0000000000000000", CultureInfo.InvariantCulture);

    private static void Grow(ref long[] a, ref long[] b, ref long[] c)
    {
        var size = Math.Max(16, a.Length * 2);
        Array.Resize(ref a, size);
        Array.Resize(ref b, size);
        Array.Resize(ref c, size);
    }

    private static void Grow(ref long[] a, ref long[] b, ref long[] c, ref long[] d)
    {
        Grow(ref a, ref b, ref c);
        Array.Resize(ref d, a.Length);
    }

    private static void Trim(int count, ref long[] a, ref long[] b, ref long[] c)
    {
        if (a.Length != count)
        {
            Array.Resize(ref a, count);
            Array.Resize(ref b, count);
            Array.Resize(ref c, count);
        }
    }

    private static void Trim(int count, ref long[] a, ref long[] b, ref long[] c, ref long[] d)
    {
        Trim(count, ref a, ref b, ref c);
        if (d.Length != count)
        {
            Array.Resize(ref d, count);
        }
    }

    private static async Task<int> CountAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Sorts <paramref name="keys"/> and applies the same order to each of <paramref name="columns"/>; returns the
    /// order (the original index of each sorted position).</summary>
    private static int[] SortBy(long[] keys, int count, params long[][] columns)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }
        Array.Sort(keys, order, 0, count);
        var buffer = new long[count];
        foreach (var column in columns)
        {
            for (var i = 0; i < count; i++)
            {
                buffer[i] = column[order[i]];
            }
            buffer.AsSpan().CopyTo(column);
        }
        return order;
    }
}

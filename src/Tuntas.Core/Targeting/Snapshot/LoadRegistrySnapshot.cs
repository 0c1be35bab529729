using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Tuntas.Data;
using Tuntas.Regions;

namespace Tuntas.Targeting.Snapshot;

/// <summary>
/// Reads families and persons once, in two plain streaming queries (no EF tracking, no joins), into a
/// <see cref="RegistrySnapshot"/>, then computes the derived family fields (TargetingFields.FamilyDerived). Ages are
/// full years on <c>asOf</c>, so a run is reproducible on any later day.
/// </summary>
public sealed class LoadRegistrySnapshot(TuntasDatabase database)
{
    private static readonly string[] _personSql =
        ["jenis_kelamin", "hubungan_kk", "status_kawin", "pendidikan", "status_sekolah", "bekerja", "penghasilan", "disabilitas", "penyakit_kronis", "hamil"];

    public async Task<RegistrySnapshot> RunAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var familyFields = TargetingFields.FamilyColumns.Select(f => f.Name).ToArray();
        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var tables = new Dictionary<string, TextTable>(StringComparer.Ordinal)
        {
            ["kode_desa"] = new(),
            ["kode_kecamatan"] = new(),
            ["pekerjaan"] = new(),
        };
        tables["kepala_pekerjaan"] = tables["pekerjaan"];

        var familyCount = (int)await CountAsync(connection, "families", cancellationToken);
        var ids = new long[familyCount];
        var noKk = new string[familyCount];
        var hash = new long[familyCount];
        var village = new double[familyCount];
        var district = new double[familyCount];
        var familyValues = familyFields.Select(_ => new double[familyCount]).ToArray();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT id, no_kk, kode_desa, row_hash, {string.Join(", ", familyFields)} FROM families ORDER BY id";
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var readers = Enumerable.Range(0, familyFields.Length).Select(i => NumberReader(reader, i + 4)).ToArray();
            var villageCodes = new Dictionary<string, int>(StringComparer.Ordinal);
            var n = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (n == familyCount)
                {
                    break; // rows added after the count belong to the next run
                }
                ids[n] = reader.GetInt64(0);
                noKk[n] = reader.GetString(1);
                var kodeDesa = reader.GetString(2);
                if (!villageCodes.TryGetValue(kodeDesa, out var code))
                {
                    code = tables["kode_desa"].Add(kodeDesa);
                    villageCodes.Add(kodeDesa, code);
                    tables["kode_kecamatan"].Add(RegionCode.DistrictOf(kodeDesa));
                }
                village[n] = code;
                district[n] = tables["kode_kecamatan"].Find(RegionCode.DistrictOf(kodeDesa));
                hash[n] = reader.GetInt64(3);
                for (var c = 0; c < readers.Length; c++)
                {
                    familyValues[c][n] = readers[c](n);
                }
                n++;
            }
            if (n < familyCount)
            {
                Array.Resize(ref ids, n);
                Array.Resize(ref noKk, n);
                Array.Resize(ref hash, n);
                familyCount = n;
            }
        }
        for (var c = 0; c < familyFields.Length; c++)
        {
            columns[familyFields[c]] = familyValues[c][..familyCount];
        }
        columns["kode_desa"] = village[..familyCount];
        columns["kode_kecamatan"] = district[..familyCount];

        var persons = await ReadPersonsAsync(connection, ids, hash, asOf, tables["pekerjaan"], cancellationToken);
        foreach (var (name, values) in persons.Columns)
        {
            columns[name] = values;
        }
        var snapshot = new RegistrySnapshot
        {
            AsOf = asOf,
            FamilyIds = ids,
            NoKk = noKk,
            PersonStart = persons.Start,
            PersonFamily = persons.Family,
            DataHash = hash,
            RegistryHash = RegistryHashOf(ids, hash, asOf),
            Columns = columns,
            Tables = tables,
        };
        DerivedFields.Compute(snapshot);
        return snapshot;
    }

    private sealed record PersonColumns(int[] Start, int[] Family, Dictionary<string, double[]> Columns);

    private async Task<PersonColumns> ReadPersonsAsync(DbConnection connection, long[] familyIds, long[] familyHash, DateOnly asOf,
        TextTable occupations, CancellationToken cancellationToken)
    {
        var indexOf = FamilyIndex(familyIds);
        var capacity = (int)Math.Min(int.MaxValue - 64, await CountAsync(connection, "persons", cancellationToken));
        var family = new int[capacity];
        var age = new double[capacity];
        var occupation = new double[capacity];
        var values = _personSql.Select(_ => new double[capacity]).ToArray();
        var n = 0;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT family_id, row_hash, tanggal_lahir, pekerjaan, {string.Join(", ", _personSql)} FROM persons";
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var readers = Enumerable.Range(0, _personSql.Length).Select(i => NumberReader(reader, i + 4)).ToArray();
            var birthText = reader.GetFieldType(2) == typeof(string);
            var occupationCodes = new Dictionary<string, int>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken) && n < capacity)
            {
                var f = indexOf(reader.GetInt64(0));
                if (f < 0)
                {
                    continue; // a family added after the snapshot's family query
                }
                family[n] = f;
                familyHash[f] += StableHash.Mix(reader.GetInt64(1)); // order-independent over members
                var birth = birthText ? ParseIsoDate(reader.GetString(2)) : reader.GetFieldValue<DateOnly>(2);
                age[n] = AgeOn(birth, asOf);
                if (reader.IsDBNull(3))
                {
                    occupation[n] = double.NaN;
                }
                else
                {
                    var text = reader.GetString(3);
                    if (!occupationCodes.TryGetValue(text, out var code))
                    {
                        code = occupations.Add(text);
                        occupationCodes.Add(text, code);
                    }
                    occupation[n] = code;
                }
                for (var c = 0; c < readers.Length; c++)
                {
                    values[c][n] = readers[c](n);
                }
                n++;
            }
        }

        // Group members by family (a counting sort keeps the database's order within each family).
        var start = new int[familyIds.Length + 1];
        for (var i = 0; i < n; i++)
        {
            start[family[i] + 1]++;
        }
        for (var f = 0; f < familyIds.Length; f++)
        {
            start[f + 1] += start[f];
        }
        var next = start[..^1];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[next[family[i]]++] = i;
        }
        double[] Permute(double[] source)
        {
            var target = new double[n];
            for (var i = 0; i < n; i++)
            {
                target[i] = source[order[i]];
            }
            return target;
        }
        var grouped = new int[n];
        for (var i = 0; i < n; i++)
        {
            grouped[i] = family[order[i]];
        }
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal)
        {
            ["umur"] = Permute(age),
            ["pekerjaan"] = Permute(occupation),
        };
        for (var c = 0; c < _personSql.Length; c++)
        {
            result[_personSql[c]] = Permute(values[c]);
        }
        return new PersonColumns(start, grouped, result);
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

    /// <summary>A reader for one numeric column whatever the provider stores (SQLite integers for booleans, PostgreSQL boolean).</summary>
    private static Func<int, double> NumberReader(DbDataReader reader, int ordinal)
    {
        var type = reader.GetFieldType(ordinal);
        if (type == typeof(bool))
        {
            return _ => reader.IsDBNull(ordinal) ? double.NaN : reader.GetBoolean(ordinal) ? 1 : 0;
        }
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return _ => reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);
        }
        if (type == typeof(int) || type == typeof(short))
        {
            return _ => reader.IsDBNull(ordinal) ? double.NaN : reader.GetInt32(ordinal);
        }
        return _ => reader.IsDBNull(ordinal) ? double.NaN : reader.GetInt64(ordinal);
    }

    private static async Task<long> CountAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static DateOnly ParseIsoDate(string text) =>
        new(int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture), int.Parse(text.AsSpan(5, 2), CultureInfo.InvariantCulture),
            int.Parse(text.AsSpan(8, 2), CultureInfo.InvariantCulture));

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

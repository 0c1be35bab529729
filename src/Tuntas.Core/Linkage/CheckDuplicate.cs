using System.Data.Common;
using Tuntas.Registry;

namespace Tuntas.Linkage;

/// <summary>
/// Is this one person (a new row of an import, a member added or corrected in the editor, a field submission) likely
/// someone the registry already holds under another NIK? A warning, never a refusal (<c>DUPLICATE_SUSPECT</c>, with the
/// matched NIK masked and the score): the reviewer decides in the duplicates queue (docs/linkage.md).
/// <para>
/// Candidates come from three indexed look-ups, the one-person form of the registry blocking: the NIKs one substitution
/// or one adjacent swap away; the same name key (as written and Indonesian-normalised) born within a year; the same
/// birth date or the one with day and month swapped. Each candidate is compared with the registry comparisons
/// (<see cref="Comparisons"/>) and scored with fixed Fellegi-Sunter weights (below) — EM cannot be fitted on one
/// person, and the weights are set from the registry runs' estimates, rounded, with the same name guard. A person with
/// the same NIK is not a suspect here: that is the same record (update, move or NIK_OTHER_FAMILY).
/// </para>
/// </summary>
public static class CheckDuplicate
{
    public const string Code = "DUPLICATE_SUSPECT";

    /// <summary>Reported at or above this match probability (the registry run's default, docs/linkage.md).</summary>
    public const double MinScore = LinkageEngine.DefaultMinScore;

    public sealed record Person(string Nik, string Nama, DateOnly TanggalLahir, int JenisKelamin, string? KodeDesa, long? PersonId = null, long? FamilyId = null);

    /// <param name="KodeDesa">The matched person's village: whether the reader's scope covers it decides what the warning
    /// may say (<see cref="Describe(Match, Access.AccessScope)"/>).</param>
    public sealed record Match(long PersonId, long FamilyId, string Nik, string Nama, double Score, string? KodeDesa = null);

    // Log2 odds per level, lowest level first (the levels of Comparisons.Levels). Prior: 1 in 100 blocked candidates is
    // the same person (log2 0.01/0.99 ≈ −6.6). With these, name alike + birth date equal + a second NIK in the same desa
    // scores 0.97; the same with the birth date one day off 0.65 (not reported); a NIK one digit wrong with name and
    // birth date equal 0.999; two people of one name a generation apart, twins, a son named after his father: < 0.01.
    private const double Prior = -6.6;
    private static readonly double[] _name = [-6, -1, 3, 4];
    private static readonly double[] _birth = [-7, -3, 2, 5, 6];
    private static readonly double[] _sex = [-4, 0.5];
    private static readonly double[] _nik = [-1, 3, 2, 8, 1, 0];
    private static readonly double[] _desa = [-0.5, 2];

    /// <summary>The best registry match of <paramref name="person"/> at or above <see cref="MinScore"/>, or null.</summary>
    public static async Task<Match?> FindAsync(DbConnection connection, DbTransaction? transaction, Person person, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Query(person, Data.SqlDialect.Of(connection), (name, value) => Add(command.CreateParameter(), command.Parameters, name, value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await BestAsync(reader, person, cancellationToken);
    }

    /// <summary>Persons checked in one round trip to the database (<see cref="FindManyAsync"/>).</summary>
    private const int PersonsPerBatch = 200;

    /// <summary>
    /// <see cref="FindAsync"/> for many persons (an import's new persons), each with the same query, sent
    /// <see cref="PersonsPerBatch"/> at a time where the driver takes a batch (PostgreSQL): one round trip for each
    /// person cost about half a millisecond of the client's time, most of a village file's import of new persons
    /// (docs/benchmarks.md, "Many villages' files"). SQLite, in the process, runs them one by one.
    /// </summary>
    public static async Task<Match?[]> FindManyAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<Person> persons,
        CancellationToken cancellationToken)
    {
        var matches = new Match?[persons.Count];
        if (!connection.CanCreateBatch)
        {
            for (var i = 0; i < persons.Count; i++)
            {
                matches[i] = await FindAsync(connection, transaction, persons[i], cancellationToken);
            }
            return matches;
        }
        var dialect = Data.SqlDialect.Of(connection);
        for (var first = 0; first < persons.Count; first += PersonsPerBatch)
        {
            var count = Math.Min(PersonsPerBatch, persons.Count - first);
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            for (var i = first; i < first + count; i++)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = Query(persons[i], dialect, (name, value) => Add(command.CreateParameter(), command.Parameters, name, value));
                batch.BatchCommands.Add(command);
            }
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            for (var i = first; i < first + count; i++)
            {
                matches[i] = await BestAsync(reader, persons[i], cancellationToken);
                await reader.NextResultAsync(cancellationToken);
            }
        }
        return matches;
    }

    /// <summary>The one-person query: three indexed look-ups joined by UNION (each branch on its own index; an OR across
    /// columns may scan). <paramref name="add"/> adds a parameter and returns its placeholder.</summary>
    private static string Query(Person person, Data.SqlDialect dialect, Func<string, object, string> add)
    {
        var nik = person.Nik;
        var normalized = IndonesianName.Normalize(person.Nama);
        var keys = new[] { NameKey.For(person.Nama), NameKey.For(normalized) }.Distinct().ToArray();
        var date = person.TanggalLahir;
        var swapped = date.Day <= 12 && date.Day != date.Month ? new DateOnly(date.Year, date.Day, date.Month) : date;
        // The NIKs one substitution or one adjacent swap away, as a mistyped NIK would be (the recipient lists' "Maksud
        // Anda"). All of them as one parameter: as 159 named parameters, SQLite spent more time finding each name among
        // the others (a linear search, at parse and at bind) than answering the query.
        List<string> variants = nik.All(char.IsAsciiDigit) ? [.. Programs.RecipientNames.OneTypoAway(nik)] : [];
        const string Select = "SELECT p.id, p.family_id, p.nik, p.nama, p.tanggal_lahir, p.jenis_kelamin, f.kode_desa FROM persons p JOIN families f ON f.id = p.family_id WHERE ";
        var byName = $"p.nama_kunci IN ({add("k0", keys[0])}, {add("k1", keys[^1])}) AND p.tanggal_lahir BETWEEN {add("lo", date.AddYears(-1))} AND {add("hi", date.AddYears(1))}";
        var byDate = $"p.tanggal_lahir IN ({add("d0", date)}, {add("d1", swapped)})";
        var byNik = variants.Count > 0 ? $"{Select}p.nik IN ({dialect.SelectIds(add("n", dialect.Keys(variants)))}) UNION " : "";
        return byNik + Select + byName + " UNION " + Select + byDate;
    }

    /// <summary>The best-scoring candidate of one result set at or above <see cref="MinScore"/>.</summary>
    private static async Task<Match?> BestAsync(DbDataReader reader, Person person, CancellationToken cancellationToken)
    {
        Match? best = null;
        var prepared = Prepare(person.Nik, IndonesianName.Normalize(person.Nama), person.TanggalLahir, person.JenisKelamin, person.KodeDesa);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            var otherNik = reader.GetString(2);
            if (otherNik == person.Nik || id == person.PersonId)
            {
                continue;
            }
            var nama = reader.GetString(3);
            var birth = reader.GetFieldValue<object>(4) switch
            {
                DateOnly d => d,
                DateTime t => DateOnly.FromDateTime(t),
                var v => DateOnly.ParseExact(Convert.ToString(v, CultureInfo.InvariantCulture)!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            var other = Prepare(otherNik, IndonesianName.Normalize(nama), birth, Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture), reader.IsDBNull(6) ? null : reader.GetString(6));
            var score = Score(prepared, other);
            if (score >= MinScore && (best is null || score > best.Score))
            {
                best = new Match(id, reader.GetInt64(1), otherNik, nama, Math.Round(score, 4), reader.IsDBNull(6) ? null : reader.GetString(6));
            }
        }
        return best;
    }

    /// <summary>The warning every entry point shows: the matched person's NIK masked, the name and the score.</summary>
    public static (string Message, string MessageEn) Describe(Match match)
    {
        var score = match.Score.ToString("0.00", CultureInfo.InvariantCulture);
        return ($"Mungkin orang yang sama dengan NIK {Nik.Mask(match.Nik)} ({match.Nama}), skor {score}; periksa di antrean Duplikat.",
            $"Possibly the same person as NIK {Nik.Mask(match.Nik)} ({match.Nama}), score {score}; check the Duplicates queue.");
    }

    /// <summary>
    /// The warning as <paramref name="scope"/> may read it. The check looks at the whole registry, so a village operator's
    /// dry run of a made-up person (a name and a birth date, a NIK one digit off) would otherwise name, with a masked NIK,
    /// whoever of another village matched: a look-up of the regency's residents by name outside the operator's village
    /// (UU PDP 27/2022, least privilege). Outside the scope the warning says only that a likely match is registered
    /// elsewhere, and the regency's coordinator sees who in the Duplicates queue.
    /// </summary>
    public static (string Message, string MessageEn) Describe(Match match, Access.AccessScope scope)
    {
        if (scope.IsRegencyWide || (match.KodeDesa is { } desa && scope.Covers(match.FamilyId, desa)))
        {
            return Describe(match);
        }
        var score = match.Score.ToString("0.00", CultureInfo.InvariantCulture);
        return ($"Mungkin orang yang sama dengan seseorang yang sudah terdaftar di luar wilayah Anda, skor {score}; koordinator kabupaten memeriksanya di antrean Duplikat.",
            $"Possibly the same person as someone registered outside your region, score {score}; the regency's coordinator checks it in the Duplicates queue.");
    }

    private sealed record Prepared(string? Nik, string? Name, string? Birth, string? Sex, string? Desa);

    private static Prepared Prepare(string nik, string normalizedName, DateOnly birth, int sex, string? desa) => new(
        Comparisons.Prepare(FieldKind.Nik, nik), normalizedName.Length == 0 ? null : normalizedName, BirthDates.Format(birth),
        Comparisons.Prepare(FieldKind.Sex, sex.ToString(CultureInfo.InvariantCulture)), Comparisons.Prepare(FieldKind.Region, desa));

    private static double Score(Prepared a, Prepared b)
    {
        var name = Comparisons.Compare(FieldKind.FullName, a.Name, b.Name);
        var nik = Comparisons.Compare(FieldKind.Nik, a.Nik, b.Nik);
        // The name guard of the registry run (FindRegistryDuplicates): names not alike are two persons.
        if (name is >= 0 and < 2)
        {
            return 0;
        }
        var weight = Prior + Weight(_name, name) + Weight(_birth, Comparisons.Compare(FieldKind.BirthDate, a.Birth, b.Birth))
            + Weight(_sex, Comparisons.Compare(FieldKind.Sex, a.Sex, b.Sex)) + Weight(_nik, nik) + Weight(_desa, Comparisons.Compare(FieldKind.Region, a.Desa, b.Desa));
        return 1 / (1 + Math.Pow(2, -weight));
    }

    private static double Weight(double[] weights, int level) => level < 0 ? 0 : weights[level];

    private static string Add(DbParameter parameter, DbParameterCollection parameters, string name, object value)
    {
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        parameters.Add(parameter);
        return "@" + name;
    }
}

using Tuntas.Registry;

namespace Tuntas.Linkage;

/// <summary>
/// Suspected duplicate persons in the registry (<c>tuntas duplicates find</c>, the back-office queue, <c>GET
/// /api/duplicates</c>): the registry deduplicated against itself on name, birth date, sex, NIK, NO_KK and village
/// (<see cref="RegistryPersons.DuplicateFields"/>), scored by the Fellegi-Sunter model fitted on this registry, best
/// first. Pairs a reviewer has decided are never proposed again. Only persons inside the caller's scope take part.
/// </summary>
public sealed class FindRegistryDuplicates(TuntasDatabase database)
{
    public sealed record Input(AccessScope Scope, double? MinScore = null, int? Limit = null);

    /// <summary>One agreement per field: the level's label and whether it is the top level (full agreement).</summary>
    public sealed record FieldAgreement(string Level, bool Agrees, double Weight);

    public sealed record Pair(long PersonIdA, long PersonIdB, string NikA, string NikB, string NamaA, string NamaB,
        long FamilyIdA, long FamilyIdB, string KodeDesaA, string KodeDesaB, double Score, IReadOnlyDictionary<string, FieldAgreement> Fields)
    {
        /// <summary>The pair as a reader sees it: NIKs masked unless revealed to a role that verifies identities (UU PDP 27/2022).</summary>
        public Pair Shown(bool reveal) => reveal ? this : this with { NikA = Nik.Mask(NikA), NikB = Nik.Mask(NikB) };
    }

    public sealed record Outcome(IReadOnlyList<Pair> Pairs, int Persons, long Candidates, double MinScore, FellegiSunter? Model, long ExcludedByDecision)
    {
        /// <summary>Pairs of families that share suspected members (the same KK registered twice, or a member in two KKs).</summary>
        public IReadOnlyList<FamilyPair> FamilyPairs { get; init; } = [];
    }

    /// <summary>
    /// Two families with members suspected to be the same persons: how many, their pairs' mean score, best first (most
    /// shared members, then score). Two or more shared members is the same household registered twice (a KK reissued,
    /// the old one kept); one is a person listed in two KKs.
    /// </summary>
    public sealed record FamilyPair(long FamilyIdA, long FamilyIdB, string NoKkA, string NoKkB, string KodeDesaA, string KodeDesaB,
        int SharedMembers, double Score, IReadOnlyList<(long PersonIdA, long PersonIdB)> Members)
    {
        /// <summary>The family pair as a reader sees it: NO_KK masked unless revealed.</summary>
        public FamilyPair Shown(bool reveal) => reveal ? this : this with { NoKkA = NoKk.Mask(NoKkA), NoKkB = NoKk.Mask(NoKkB) };
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var registry = await RegistryPersons.LoadAsync(database, input.Scope, RegistryPersons.DuplicateFields, cancellationToken);
        HashSet<(long, long)> decided;
        await using (var db = database.CreateDb())
        {
            decided = [.. (await db.DuplicateDecisions.AsNoTracking().Select(d => new { d.FirstPersonId, d.SecondPersonId }).ToListAsync(cancellationToken))
                .Select(d => (d.FirstPersonId, d.SecondPersonId))];
        }
        if (registry.Table.Count < 2)
        {
            return new Outcome([], registry.Table.Count, 0, input.MinScore ?? LinkageEngine.DefaultMinScore, null, 0);
        }
        long excluded = 0;
        var result = await Task.Run(() => LinkageEngine.Run(registry.Table, null, input.MinScore, cancellationToken, (i, j, pattern) =>
        {
            if (Twins(registry.Table, i, j, pattern) || NamesDisagree(pattern) || NikFollowsBirthDate(registry.Table, i, j, pattern)
                || NikFollowsKecamatan(registry, i, j, pattern) || NikFollowsSex(registry.Table, i, j, pattern) || TwoDesa(pattern))
            {
                return true;
            }
            var key = Ordered(registry.PersonIds[i], registry.PersonIds[j]);
            if (decided.Contains(key))
            {
                Interlocked.Increment(ref excluded);
                return true;
            }
            return false;
        }), cancellationToken);
        var names = await NamesAsync(registry, result.Pairs, cancellationToken);
        var pairs = result.Pairs.Take(input.Limit ?? int.MaxValue).Select(p =>
        {
            var fields = new Dictionary<string, FieldAgreement>(StringComparer.Ordinal);
            for (var f = 0; f < RegistryPersons.DuplicateFields.Count; f++)
            {
                var level = FellegiSunter.LevelOf(p.Pattern, f);
                var labels = Comparisons.Levels(RegistryPersons.DuplicateFields[f].Kind);
                fields[RegistryPersons.DuplicateFields[f].Column] = level < 0
                    ? new FieldAgreement("missing", false, 0)
                    : new FieldAgreement(labels[level], level == labels.Count - 1, Math.Round(result.Model.Weight(f, level), 2));
            }
            var t = registry.Table;
            return new Pair(registry.PersonIds[p.A], registry.PersonIds[p.B], t.Ids[p.A], t.Ids[p.B], names[p.A], names[p.B],
                registry.FamilyIds[p.A], registry.FamilyIds[p.B], registry.Villages[p.A], registry.Villages[p.B], Math.Round(p.Score, 4), fields);
        }).ToList();
        return new Outcome(pairs, registry.Table.Count, result.Candidates, result.MinScore, result.Model, excluded) { FamilyPairs = Families(registry, result.Pairs) };
    }

    /// <summary>
    /// Twins guard: two members of one family born on the same day whose names do not agree are twins, whatever their
    /// NIKs say — twins' NIKs share region and birth date and differ in the serial, exactly like a one-digit typo
    /// (DOMAIN §4.1), and twins' names often rhyme (Hasan/Husain). Such a pair is proposed only when the given names —
    /// the first name token — sound the same.
    /// </summary>
    private static bool Twins(LinkageTable table, int i, int j, long pattern)
    {
        if (FellegiSunter.LevelOf(pattern, _noKkField) != 1 || FellegiSunter.LevelOf(pattern, _birthDateField) != 4)
        {
            return false;
        }
        var a = IndonesianName.FirstAndLast(table.Values[_nameField][i] ?? "").First;
        var b = IndonesianName.FirstAndLast(table.Values[_nameField][j] ?? "").First;
        return Registry.NameKey.For(a) != Registry.NameKey.For(b);
    }

    /// <summary>
    /// Name guard: a pair whose names are not alike (Jaro-Winkler below 0.92 and no common sound key, after the Indonesian
    /// normalisation) is not proposed unless the NIKs are equal. The NIK encodes the birth date, so "NIK one digit apart"
    /// and "same birth date" are not independent evidence as Fellegi-Sunter assumes: serials start at 0001 on every
    /// day in every kecamatan, so two strangers born the same day in neighbouring kecamatan have NIKs one digit apart.
    /// Every spelling pattern of a real duplicate (Muhammad/Moh., Siti/Sitti, Soekarno/Sukarno, Hj., bin …) stays
    /// above the guard after normalisation; the Indonesian demo set measures it (docs/benchmarks.md).
    /// </summary>
    private static bool NamesDisagree(long pattern)
    {
        var name = FellegiSunter.LevelOf(pattern, _nameField);
        return name >= 0 && name < _nameLevels - 2 && FellegiSunter.LevelOf(pattern, _nikField) != Comparisons.NikEqual;
    }

    /// <summary>
    /// Two NIKs one digit apart whose difference is only the two birth dates, each NIK encoding its own person's date:
    /// that is two persons born on different days (serials start at 0001 every day), not a typo — the birth date
    /// comparison already weighed the dates. A typo leaves the NIK disagreeing with its own TANGGAL_LAHIR.
    /// </summary>
    private static bool NikFollowsBirthDate(LinkageTable table, int i, int j, long pattern)
    {
        var birth = FellegiSunter.LevelOf(pattern, _birthDateField);
        if (FellegiSunter.LevelOf(pattern, _nikField) != Comparisons.NikTypo || birth >= _birthLevels - 2)
        {
            return false;
        }
        return Encodes(table.Values[_nikField][i], table.Values[_birthDateField][i]) && Encodes(table.Values[_nikField][j], table.Values[_birthDateField][j]);
    }

    /// <summary>
    /// The same for the region part: two NIKs one digit apart in the kecamatan code, each NIK issued in its own person's
    /// kecamatan (the desa's first six digits) — two persons of neighbouring kecamatan born the same day, each with serial
    /// 0001, not a typo.
    /// </summary>
    private static bool NikFollowsKecamatan(RegistryPersons registry, int i, int j, long pattern)
    {
        if (FellegiSunter.LevelOf(pattern, _nikField) != Comparisons.NikTypo)
        {
            return false;
        }
        var a = registry.Table.Values[_nikField][i];
        var b = registry.Table.Values[_nikField][j];
        if (a is not { Length: 16 } || b is not { Length: 16 } || a.AsSpan(0, 6).SequenceEqual(b.AsSpan(0, 6)))
        {
            return false;
        }
        static bool IssuedIn(string nik, string desa) => Regions.RegionCode.ToPlain(desa) is { Length: >= 6 } plain && nik.AsSpan(0, 6).SequenceEqual(plain.AsSpan(0, 6));
        return IssuedIn(a, registry.Villages[i]) && IssuedIn(b, registry.Villages[j]);
    }

    /// <summary>
    /// The same for the sex: two NIKs one digit apart in the day's tens, one a woman's (day + 40) and one a man's, each
    /// matching its own person's JENIS_KELAMIN — a man and a woman born the same day in one kecamatan, not a typo.
    /// </summary>
    private static bool NikFollowsSex(LinkageTable table, int i, int j, long pattern)
    {
        if (FellegiSunter.LevelOf(pattern, _nikField) != Comparisons.NikTypo || FellegiSunter.LevelOf(pattern, _sexField) != 0)
        {
            return false;
        }
        var a = table.Values[_nikField][i];
        var b = table.Values[_nikField][j];
        if (a is not { Length: 16 } || b is not { Length: 16 } || a[6] == b[6])
        {
            return false;
        }
        static bool Encodes(string nik, string? sex) => (nik[6] >= '4') == (sex == "2");
        return Encodes(a, table.Values[_sexField][i]) && Encodes(b, table.Values[_sexField][j]);
    }

    /// <summary>
    /// Two desa: when no typo ties the two numbers (NIKs different, a second serial of the same day, a date part issued
    /// from swapped day and month, a temporary number, or no NIK) the evidence that two records are one person is name,
    /// birth date and sex — which strangers of one kecamatan share often enough (Siti, Sri, Muhammad; a day's births) that
    /// the model's independent weights overrate it. Such a pair is proposed only within one desa, where a person is
    /// registered twice (a second KK, a temporary number beside the real one). Across two desa a pair needs two lines of
    /// evidence: NIKs one typo apart and birth dates equal or within a typo (a NIK that no longer encodes its holder's
    /// corrected birth date is otherwise one digit from a stranger's). A re-registration in another desa under a new NIK
    /// is caught at the entry point (<see cref="CheckDuplicate"/>).
    /// </summary>
    private static bool TwoDesa(long pattern) =>
        FellegiSunter.LevelOf(pattern, _regionField) == 0
        && (FellegiSunter.LevelOf(pattern, _nikField) is not (Comparisons.NikTypo or Comparisons.NikEqual) || FellegiSunter.LevelOf(pattern, _birthDateField) is >= 0 and < 2);

    /// <summary>Whether a real NIK's date part (ddMMyy, women's day + 40) is the birth date yyyyMMdd.</summary>
    private static bool Encodes(string? nik, string? birth)
    {
        if (nik is not { Length: 16 } || birth is not { Length: 8 })
        {
            return false;
        }
        var day = (nik[6] - '0') * 10 + (nik[7] - '0');
        day = day > 40 ? day - 40 : day;
        return day == (birth[6] - '0') * 10 + (birth[7] - '0') && nik[8] == birth[4] && nik[9] == birth[5] && nik[10] == birth[2] && nik[11] == birth[3];
    }

    private static readonly int _birthLevels = Comparisons.Levels(FieldKind.BirthDate).Count;
    private static readonly int _nameLevels = Comparisons.Levels(FieldKind.FullName).Count;
    private static readonly int _nikField = Field(FieldKind.Nik);
    private static readonly int _nameField = Field(FieldKind.FullName);
    private static readonly int _birthDateField = Field(FieldKind.BirthDate);
    private static readonly int _noKkField = Field(FieldKind.NoKk);
    private static readonly int _sexField = Field(FieldKind.Sex);
    private static readonly int _regionField = Field(FieldKind.Region);

    private static int Field(FieldKind kind)
    {
        for (var f = 0; f < RegistryPersons.DuplicateFields.Count; f++)
        {
            if (RegistryPersons.DuplicateFields[f].Kind == kind)
            {
                return f;
            }
        }
        throw new InvalidOperationException(kind + " is not a duplicate field");
    }

    private static List<FamilyPair> Families(RegistryPersons registry, IReadOnlyList<LinkageEngine.ScoredPair> pairs)
    {
        var noKk = registry.Table.Values[_noKkField];
        return [.. pairs.Where(p => registry.FamilyIds[p.A] != registry.FamilyIds[p.B])
            .Select(p => registry.FamilyIds[p.A] < registry.FamilyIds[p.B] ? (A: p.A, B: p.B, p.Score) : (A: p.B, B: p.A, p.Score))
            .GroupBy(p => (registry.FamilyIds[p.A], registry.FamilyIds[p.B]))
            .Select(g =>
            {
                var (a, b, _) = g.First();
                return new FamilyPair(g.Key.Item1, g.Key.Item2, noKk[a] ?? "", noKk[b] ?? "", registry.Villages[a], registry.Villages[b],
                    g.Count(), Math.Round(g.Average(p => p.Score), 4), [.. g.Select(p => (registry.PersonIds[p.A], registry.PersonIds[p.B]))]);
            })
            .OrderByDescending(f => f.SharedMembers).ThenByDescending(f => f.Score).ThenBy(f => f.FamilyIdA)];
    }

    public static (long A, long B) Ordered(long x, long y) => x < y ? (x, y) : (y, x);

    /// <summary>Names as written (the table holds them normalised), read only for the persons in reported pairs.</summary>
    private async Task<Dictionary<int, string>> NamesAsync(RegistryPersons registry, IReadOnlyList<LinkageEngine.ScoredPair> pairs, CancellationToken cancellationToken)
    {
        var indexes = pairs.SelectMany(p => new[] { p.A, p.B }).Distinct().ToList();
        var byId = new Dictionary<long, string>();
        await using var db = database.CreateDb();
        foreach (var chunk in indexes.Select(i => registry.PersonIds[i]).Chunk(500))
        {
            foreach (var row in await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.Id)).Select(p => new { p.Id, p.Nama }).ToListAsync(cancellationToken))
            {
                byId[row.Id] = row.Nama;
            }
        }
        return indexes.ToDictionary(i => i, i => byId.GetValueOrDefault(registry.PersonIds[i], ""));
    }
}

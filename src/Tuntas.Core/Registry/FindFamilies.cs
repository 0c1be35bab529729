namespace Tuntas.Registry;

/// <summary>
/// Finds families from one search box. Sixteen digits (spaces and Excel's apostrophe ignored) are an identifier: an
/// exact, indexed lookup of <c>persons.nik</c> and <c>families.no_kk</c>. Anything else is a name, found in steps that
/// each read a bounded range of one index (docs/registry.md, "Search"):
/// <list type="number">
/// <item>the spelling-tolerant <see cref="NameKey"/>: the key itself and every key it begins (a range
/// <c>k ≤ nama_kunci &lt; k || '~'</c>; PostgreSQL keeps these columns in the C collation for that), so "Siti Nur
/// Haliza" and a typed beginning ("dian suk") find;</item>
/// <item>the key's consonant skeleton (<see cref="NameKey.Skeleton"/>, indexed <c>persons.nama_kerangka</c>), equal or
/// begun: vowels, y and j forgiven ("Dian Sukiny", "Dien Sukini", "sri lestary", "Wardojo" for "Wardoyo");</item>
/// <item>a consonant typo: one edit leaves either the skeleton's first half or its end intact, so persons whose skeleton
/// begins with the query's first half, or ends with its last three letters (<c>nama_kerangka_akhir</c>).</item>
/// </list>
/// Each step reads at most <see cref="StepCandidates"/> persons in index order; steps 3 and 4 run only when 1 and 2 have not
/// found more families than asked for. A candidate is kept when its key begins
/// with the query's key or is within <see cref="AllowedEdits"/> edits of it (optimal string alignment, <see
/// cref="NameDistance"/>), ranked by edits then Jaro-Winkler similarity, and folded into families: the first
/// <see cref="Input.Limit"/> are returned with the number of further families found. The query is never logged (it may be a NIK).
/// </summary>
public sealed class FindFamilies(TuntasDb db)
{
    /// <summary>Persons read by one retrieval step at most.</summary>
    public const int StepCandidates = 200;

    public const int MaxLimit = 50;

    /// <param name="Query">NIK, NO_KK or a (part of a) name.</param>
    /// <param name="RegionCode">Only families of this kecamatan or village (a Kemendagri code), or null.</param>
    /// <param name="Scope">The caller's <see cref="AccessScope"/>: only families it may see by name are searched.</param>
    public sealed record Input(string Query, string? RegionCode = null, int Limit = 20, AccessScope? Scope = null);

    public enum MatchKind { Nik, NoKk, Name }

    public sealed record Hit(
        long FamilyId, string NoKkMasked, string KodeDesa, string? DesaName, string? HeadName,
        string MatchedName, string? MatchedNikMasked, int MemberCount, MatchKind MatchedBy, double Score);

    /// <param name="More">Families found beyond <see cref="Hits"/>.</param>
    /// <param name="MoreIsAtLeast">True when a retrieval step stopped at <see cref="StepCandidates"/>: there may be
    /// more than <paramref name="More"/>, and narrowing by kecamatan or village will find them.</param>
    public sealed record Outcome(IReadOnlyList<Hit> Hits, bool ByIdentifier, int More = 0, bool MoreIsAtLeast = false);

    private sealed record Candidate(long PersonId, long FamilyId, string Nik, string Nama, string NamaKunci);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(input.Limit, 1, MaxLimit);
        var region = string.IsNullOrWhiteSpace(input.RegionCode) ? null : input.RegionCode.Trim();
        var scope = ScopedFamilies(region, input.Scope ?? AccessScope.Regency);
        if (AsIdentifier(input.Query) is { } digits)
        {
            return new Outcome(await ByIdentifierAsync(digits, scope, cancellationToken), ByIdentifier: true);
        }
        var key = NameKey.For(input.Query);
        if (key.Length == 0)
        {
            return new Outcome([], ByIdentifier: false);
        }
        var skeleton = NameKey.Skeleton(key);
        var steps = new List<IQueryable<Person>>
        {
            // 1. The key and the keys it begins; 2. the skeleton and the skeletons it begins.
            Scoped(db.Persons.FromSql($"SELECT * FROM persons WHERE nama_kunci >= {key} AND nama_kunci < {key + "~"}"), scope)
                .OrderBy(p => p.NamaKunci),
        };
        if (skeleton.Length > 0)
        {
            steps.Add(Scoped(db.Persons.FromSql($"SELECT * FROM persons WHERE nama_kerangka >= {skeleton} AND nama_kerangka < {skeleton + "~"}"), scope)
                .OrderBy(p => p.NamaKerangka));
        }
        // 3. One consonant wrong, added or dropped: the first half or the end of the skeleton is intact. Below four
        // consonants the halves are too short to narrow anything.
        if (skeleton.Length >= 4)
        {
            var half = skeleton[..((skeleton.Length + 1) / 2)];
            var end = NameKey.SkeletonEnd(skeleton);
            // Both ranges are read in index order, the edit distance judges them afterwards. No length filter in SQL:
            // PostgreSQL then misjudges the rows and sorts the whole range instead of stopping after the first rows of the
            // index (measured at 1,000,000 persons: 109 ms).
            steps.Add(Scoped(db.Persons.FromSql($"SELECT * FROM persons WHERE nama_kerangka >= {half} AND nama_kerangka < {half + "~"}"), scope)
                .OrderBy(p => p.NamaKerangka));
            steps.Add(Scoped(db.Persons.AsNoTracking().Where(p => p.NamaKerangkaAkhir == end), scope)
                .OrderBy(p => p.NamaKerangkaAkhir).ThenBy(p => p.NamaKerangka));
        }
        var candidates = new Dictionary<long, Candidate>();
        var capped = false;
        List<(Candidate Candidate, double Score)> families = [];
        for (var i = 0; i < steps.Count; i++)
        {
            var rows = await steps[i].AsNoTracking().Take(StepCandidates)
                .Select(p => new Candidate(p.Id, p.FamilyId, p.Nik, p.Nama, p.NamaKunci))
                .ToListAsync(cancellationToken);
            capped |= rows.Count == StepCandidates;
            foreach (var row in rows)
            {
                candidates.TryAdd(row.PersonId, row);
            }
            // The typo steps (3 and 4) only run when the key and the skeleton have not already filled the page: a name
            // spelt as registered costs two index ranges, and what the typo steps would add is counted as "more".
            if (i == 1 || i == steps.Count - 1)
            {
                families = [.. Rank(input.Query, key, candidates.Values).GroupBy(x => x.Candidate.FamilyId).Select(g => g.First())];
                if (families.Count > limit && i < steps.Count - 1)
                {
                    capped = true;
                    break;
                }
            }
        }
        var best = families.Take(limit).ToList();
        var rowsById = await FamilyRowsAsync([.. best.Select(b => b.Candidate.FamilyId)], cancellationToken);
        var hits = best
            .Where(b => rowsById.ContainsKey(b.Candidate.FamilyId))
            .Select(b => ToHit(rowsById[b.Candidate.FamilyId], b.Candidate.Nama, b.Candidate.Nik, MatchKind.Name, b.Score))
            .ToList();
        return new Outcome(hits, ByIdentifier: false, families.Count - best.Count, capped);
    }

    /// <summary>
    /// Edits a name of this key may differ by and still be found: none up to three letters (a typed beginning is
    /// matched as a prefix), one up to six ("Dien"/"Dian"), two beyond — Damerau's single-error classes, of which
    /// 80 % of misspellings have one (Damerau 1964).
    /// </summary>
    public static int AllowedEdits(string key) => key.Length <= 3 ? 0 : key.Length <= 6 ? 1 : 2;

    /// <summary>
    /// The candidates that are the name asked for, closest first: the same key, then by edits and Jaro-Winkler similarity,
    /// then by name. Edits are counted on the keys as written and again on the names without titles, patronymic and
    /// variants of Muhammad (<see cref="Linkage.IndonesianName.Normalize"/>), so "Hj. Sri Lestari" is one edit from
    /// "sri lestary"; a key that begins with the query's counts none (a typed beginning), and a longer key is also
    /// compared by its beginning (a misspelt beginning: "dien suk").
    /// </summary>
    private static List<(Candidate Candidate, double Score)> Rank(string query, string key, IEnumerable<Candidate> candidates)
    {
        var allowed = AllowedEdits(key);
        var plainQuery = Plain(query);
        var normalKey = NameKey.For(Linkage.IndonesianName.Normalize(query));
        return [.. candidates
            .Select(c =>
            {
                var edits = Math.Min(Edits(key, c.NamaKunci), normalKey.Length == 0 ? int.MaxValue : Edits(normalKey, NameKey.For(Linkage.IndonesianName.Normalize(c.Nama))));
                var score = Math.Max(JaroWinkler.Similarity(key, c.NamaKunci), JaroWinkler.Similarity(plainQuery, Plain(c.Nama)));
                return (Candidate: c, Edits: edits, Score: score);
            })
            .Where(x => x.Edits <= allowed)
            .OrderBy(x => x.Candidate.NamaKunci == key ? 0 : 1)
            .ThenBy(x => x.Edits)
            .ThenByDescending(x => x.Score)
            .ThenBy(x => x.Candidate.Nama, StringComparer.Ordinal)
            .ThenBy(x => x.Candidate.PersonId)
            .Select(x => (x.Candidate, x.Score))];

        static int Edits(string typed, string registered) =>
            registered.StartsWith(typed, StringComparison.Ordinal) ? 0
                : Math.Min(NameDistance.Edits(typed, registered), registered.Length > typed.Length ? NameDistance.Edits(typed, registered[..typed.Length]) : int.MaxValue);
    }

    /// <summary>The 16 digits of a NIK/NO_KK typed with spaces, dots or Excel's apostrophe; null when the query is not one.</summary>
    public static string? AsIdentifier(string? query)
    {
        var text = (query ?? "").Trim().TrimStart('\'');
        if (text.Length == 0 || !text.All(c => char.IsAsciiDigit(c) || c is ' ' or '.' or '-'))
        {
            return null;
        }
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return digits.Length == 16 ? digits : null;
    }

    private async Task<List<Hit>> ByIdentifierAsync(string digits, IQueryable<Family>? scope, CancellationToken cancellationToken)
    {
        var person = await Scoped(db.Persons.AsNoTracking().Where(p => p.Nik == digits), scope)
            .Select(p => new Candidate(p.Id, p.FamilyId, p.Nik, p.Nama, p.NamaKunci))
            .FirstOrDefaultAsync(cancellationToken);
        var familyByKk = await (scope ?? db.Families).AsNoTracking()
            .Where(f => f.NoKk == digits)
            .Select(f => (long?)f.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var ids = new List<long>();
        if (person is not null)
        {
            ids.Add(person.FamilyId);
        }
        if (familyByKk is { } kkId && !ids.Contains(kkId))
        {
            ids.Add(kkId);
        }
        var families = await FamilyRowsAsync(ids, cancellationToken);
        var hits = new List<Hit>();
        if (person is not null && families.TryGetValue(person.FamilyId, out var ofPerson))
        {
            hits.Add(ToHit(ofPerson, person.Nama, person.Nik, MatchKind.Nik, 1));
        }
        if (familyByKk is { } id && families.TryGetValue(id, out var byKk) && (person is null || person.FamilyId != id))
        {
            hits.Add(ToHit(byKk, byKk.HeadName ?? "", null, MatchKind.NoKk, 1));
        }
        return hits;
    }

    /// <summary>The families the search may return (the region asked for, within the caller's scope), or null for all.</summary>
    private IQueryable<Family>? ScopedFamilies(string? region, AccessScope scope)
    {
        if (region is null && scope.IsRegencyWide)
        {
            return null;
        }
        var families = scope.Apply(db.Families);
        if (region is null)
        {
            return families;
        }
        var below = region + ".";
        return families.Where(f => f.KodeDesa == region || f.KodeDesa.StartsWith(below));
    }

    private static IQueryable<Person> Scoped(IQueryable<Person> persons, IQueryable<Family>? scope) =>
        scope is null ? persons : persons.Where(p => scope.Any(f => f.Id == p.FamilyId));

    private sealed record FamilyRow(long Id, string NoKk, string KodeDesa, string? DesaName, string? HeadName, int Members);

    private async Task<Dictionary<long, FamilyRow>> FamilyRowsAsync(List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var rows = await db.Families.AsNoTracking()
            .Where(f => ids.Contains(f.Id))
            .Select(f => new FamilyRow(
                f.Id, f.NoKk, f.KodeDesa,
                db.Regions.Where(r => r.Code == f.KodeDesa).Select(r => r.Name).FirstOrDefault(),
                db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1 && p.StatusHidup == LifeStatus.Hidup).Select(p => p.Nama).FirstOrDefault(),
                db.Persons.Count(p => p.FamilyId == f.Id && p.StatusHidup == LifeStatus.Hidup)))
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id);
    }

    private static Hit ToHit(FamilyRow family, string matchedName, string? matchedNik, MatchKind kind, double score) =>
        new(family.Id, NoKk.Mask(family.NoKk), family.KodeDesa, family.DesaName, family.HeadName, matchedName,
            matchedNik is null ? null : Nik.Mask(matchedNik), family.Members, kind, score);

    /// <summary>Lower-cased letters only, so "Siti Nur-Haliza" and "siti nurhaliza" compare on their letters.</summary>
    private static string Plain(string? name) =>
        new([.. (name ?? "").Where(char.IsLetter).Select(char.ToLowerInvariant)]);
}

/// <summary>
/// Jaro-Winkler similarity (Winkler 1990, "String Comparator Metrics and Enhanced Decision Rules in the Fellegi-Sunter
/// Model of Record Linkage"): 0..1, prefix scale 0.1 over at most 4 characters, the census bureau's name comparator.
/// </summary>
public static class JaroWinkler
{
    public static double Similarity(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 1 : 0;
        }
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 1;
        }
        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        var aMatched = new bool[a.Length];
        var bMatched = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (!bMatched[j] && a[i] == b[j])
                {
                    aMatched[i] = bMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0)
        {
            return 0;
        }
        var transpositions = 0;
        for (int i = 0, j = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
            {
                continue;
            }
            while (!bMatched[j])
            {
                j++;
            }
            if (a[i] != b[j])
            {
                transpositions++;
            }
            j++;
        }
        double m = matches;
        var jaro = ((m / a.Length) + (m / b.Length) + ((m - (transpositions / 2.0)) / m)) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix])
        {
            prefix++;
        }
        return jaro + (prefix * 0.1 * (1 - jaro));
    }
}

/// <summary>
/// Optimal string alignment distance (Damerau-Levenshtein restricted to non-overlapping transpositions): insertions,
/// deletions, substitutions and swaps of two neighbouring letters each count one — Damerau's (1964) four single-error
/// classes of a typist.
/// </summary>
public static class NameDistance
{
    public static int Edits(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return Math.Max(a.Length, b.Length);
        }
        // Three rows of the dynamic programme: two back for a transposition.
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var best = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, previous2[j - 2] + 1);
                }
                current[j] = best;
            }
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }
}

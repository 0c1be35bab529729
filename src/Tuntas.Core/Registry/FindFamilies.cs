namespace Tuntas.Registry;

/// <summary>
/// Finds families from one search box. Sixteen digits (spaces and Excel's apostrophe ignored) are an identifier: an
/// exact, indexed lookup of <c>persons.nik</c> and <c>families.no_kk</c>. Anything else is a name, matched through its
/// spelling-tolerant <see cref="NameKey"/> on the indexed <c>persons.nama_kunci</c>: exact key first, then a key prefix
/// as a range (<c>k ≤ nama_kunci &lt; k || '~'</c>, an index range scan on both providers; PostgreSQL keeps the
/// column in the C collation for that). At most <see cref="MaxCandidates"/> persons are read, ranked by Jaro-Winkler
/// similarity and folded into at most <see cref="Input.Limit"/> families. The query itself is never logged (it may be a NIK).
/// </summary>
public sealed class FindFamilies(TuntasDb db)
{
    public const int MaxCandidates = 50;

    /// <param name="Query">NIK, NO_KK or a (part of a) name.</param>
    /// <param name="RegionCode">Only families whose village code starts with this (a kecamatan or village), or null.</param>
    /// <param name="Scope">The caller's <see cref="AccessScope"/>: only families it may see by name are searched.</param>
    public sealed record Input(string Query, string? RegionCode = null, int Limit = 20, AccessScope? Scope = null);

    public enum MatchKind { Nik, NoKk, Name }

    public sealed record Hit(
        long FamilyId, string NoKkMasked, string KodeDesa, string? DesaName, string? HeadName,
        string MatchedName, string? MatchedNikMasked, int MemberCount, MatchKind MatchedBy, double Score);

    public sealed record Outcome(IReadOnlyList<Hit> Hits, bool ByIdentifier);

    private sealed record Candidate(long PersonId, long FamilyId, string Nik, string Nama, string NamaKunci);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(input.Limit, 1, MaxCandidates);
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
        var exact = await Scoped(db.Persons.AsNoTracking().Where(p => p.NamaKunci == key), scope)
            .OrderBy(p => p.Id)
            .Take(MaxCandidates)
            .Select(p => new Candidate(p.Id, p.FamilyId, p.Nik, p.Nama, p.NamaKunci))
            .ToListAsync(cancellationToken);
        var candidates = exact;
        if (exact.Count < MaxCandidates)
        {
            var upper = key + "~";
            var prefix = await Scoped(db.Persons.FromSql($"SELECT * FROM persons WHERE nama_kunci >= {key} AND nama_kunci < {upper}").AsNoTracking(), scope)
                .OrderBy(p => p.NamaKunci)
                .Take(MaxCandidates)
                .Select(p => new Candidate(p.Id, p.FamilyId, p.Nik, p.Nama, p.NamaKunci))
                .ToListAsync(cancellationToken);
            var seen = exact.Select(c => c.PersonId).ToHashSet();
            candidates = [.. exact, .. prefix.Where(c => seen.Add(c.PersonId)).Take(MaxCandidates - exact.Count)];
        }
        var plainQuery = Plain(input.Query);
        var best = candidates
            .Select(c => (Candidate: c, Score: Math.Max(JaroWinkler.Similarity(key, c.NamaKunci), JaroWinkler.Similarity(plainQuery, Plain(c.Nama)))))
            .GroupBy(x => x.Candidate.FamilyId)
            .Select(g => g.OrderByDescending(x => x.Score).First())
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Candidate.Nama, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        var families = await FamilyRowsAsync([.. best.Select(b => b.Candidate.FamilyId)], cancellationToken);
        var hits = best
            .Where(b => families.ContainsKey(b.Candidate.FamilyId))
            .Select(b => ToHit(families[b.Candidate.FamilyId], b.Candidate.Nama, b.Candidate.Nik, MatchKind.Name, b.Score))
            .ToList();
        return new Outcome(hits, ByIdentifier: false);
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
        return region is null ? families : families.Where(f => f.KodeDesa.StartsWith(region));
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

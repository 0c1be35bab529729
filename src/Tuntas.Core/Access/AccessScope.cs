using System.Linq.Expressions;
using Tuntas.Registry;

namespace Tuntas.Access;

/// <summary>
/// What one user may see (OWASP ASVS 8.2.2): the single object every query, page, API route and export
/// filters on, built by <see cref="ResolveAccessScope"/> from the role, the user's region, a facilitator's assigned
/// villages and a partner's active data-sharing agreements.
/// <list type="bullet">
/// <item><see cref="Regions"/>: region code prefixes (villages or kecamatan) whose families are seen by name;
/// null = the whole regency, empty = none.</item>
/// <item><see cref="Families"/>: families shared one by one (a partner's agreement), on top of <see cref="Regions"/>.</item>
/// <item><see cref="AggregateRegions"/>: regions whose counts (dashboard, reports) are seen; null = the whole regency.
/// A partner sees regency aggregates but names only under an agreement.</item>
/// </list>
/// </summary>
public sealed class AccessScope
{
    public static readonly AccessScope Regency = new(null, [], null);

    public static readonly AccessScope Nothing = new([], [], []);

    public AccessScope(IReadOnlyList<string>? regions, IReadOnlyList<long> families, IReadOnlyList<string>? aggregateRegions)
    {
        Regions = regions is null ? null : Normalize(regions);
        Families = [.. families.Distinct().Order()];
        AggregateRegions = aggregateRegions is null ? null : Normalize(aggregateRegions);
    }

    public IReadOnlyList<string>? Regions { get; }

    public IReadOnlyList<long> Families { get; }

    public IReadOnlyList<string>? AggregateRegions { get; }

    /// <summary>One region (a village operator's village, or a regency role limited to a kecamatan) for names and counts.</summary>
    public static AccessScope Within(string regionCode) => new([regionCode], [], [regionCode]);

    public bool IsRegencyWide => Regions is null;

    public bool Covers(long familyId, string kodeDesa) => CoversVillage(kodeDesa) || Families.Contains(familyId);

    /// <summary>True when every family of the village (or region) may be seen by name.</summary>
    public bool CoversVillage(string code) => Regions is null || Regions.Any(r => code.StartsWith(r, StringComparison.Ordinal));

    /// <summary>True when some of the region's numbers are visible: the region lies inside a scope region or contains one.</summary>
    public bool AggregatesTouch(string code) => AggregateRegions is null
        || AggregateRegions.Any(r => code.StartsWith(r, StringComparison.Ordinal) || r.StartsWith(code, StringComparison.Ordinal));

    /// <summary>True when the village's numbers count toward what this user sees.</summary>
    public bool AggregatesCover(string kodeDesa) => AggregateRegions is null || AggregateRegions.Any(r => kodeDesa.StartsWith(r, StringComparison.Ordinal));

    /// <summary>The families this user may see by name, as one SQL condition (prefixes OR shared ids).</summary>
    public IQueryable<Family> Apply(IQueryable<Family> families) => Regions is null ? families : families.Where(FamilyFilter());

    public Expression<Func<Family, bool>> FamilyFilter()
    {
        var byVillage = VillageFilter<Family>(f => f.KodeDesa);
        if (Regions is null || Families.Count == 0)
        {
            return byVillage;
        }
        var family = byVillage.Parameters[0];
        var ids = Families.ToArray();
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(long)],
            Expression.Constant(ids), Expression.Property(family, nameof(Family.Id)));
        return Expression.Lambda<Func<Family, bool>>(Expression.OrElse(byVillage.Body, contains), family);
    }

    /// <summary>
    /// Rows whose village code (<paramref name="kodeDesa"/>) lies in <see cref="Regions"/>, as one SQL condition: a village
    /// by equality (the index on the code seeks), a kecamatan by its prefix. True for a regency-wide scope.
    /// </summary>
    public Expression<Func<TEntity, bool>> VillageFilter<TEntity>(Expression<Func<TEntity, string?>> kodeDesa)
    {
        var row = kodeDesa.Parameters[0];
        if (Regions is null)
        {
            return Expression.Lambda<Func<TEntity, bool>>(Expression.Constant(true), row);
        }
        Expression? body = null;
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
        foreach (var region in Regions)
        {
            Expression test = region.Length == 13
                ? Expression.Equal(kodeDesa.Body, Expression.Constant(region, typeof(string)))
                : Expression.AndAlso(Expression.NotEqual(kodeDesa.Body, Expression.Constant(null, typeof(string))),
                    Expression.Call(kodeDesa.Body, startsWith, Expression.Constant(region + ".")));
            body = body is null ? test : Expression.OrElse(body, test);
        }
        return Expression.Lambda<Func<TEntity, bool>>(body ?? Expression.Constant(false), row);
    }

    /// <summary>Region codes kept dotted and distinct; a code inside another listed one is dropped (it adds nothing).</summary>
    private static List<string> Normalize(IEnumerable<string> codes)
    {
        var distinct = codes.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal)
            .OrderBy(c => c.Length).ThenBy(c => c, StringComparer.Ordinal).ToList();
        var kept = new List<string>();
        foreach (var code in distinct)
        {
            if (!kept.Any(k => code.StartsWith(k + ".", StringComparison.Ordinal)))
            {
                kept.Add(code);
            }
        }
        return kept;
    }
}

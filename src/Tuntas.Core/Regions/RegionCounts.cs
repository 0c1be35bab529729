using Microsoft.EntityFrameworkCore;
using Tuntas.Data;

namespace Tuntas.Regions;

/// <summary>
/// Families and persons per kecamatan of a regency, or per village of a kecamatan, with names from <c>regions</c>.
/// Every child region is listed, also those with no families yet. A GROUP BY on the indexed <c>families.kode_desa</c>;
/// at regency scale (1M persons) a summary table refreshed by imports would be the next step if this gets slow.
/// </summary>
public sealed class RegionCounts(TuntasDb db)
{
    /// <param name="Code">A regency (<c>33.14</c>) or kecamatan (<c>33.14.01</c>) code; an optional scope restricts the children.</param>
    public sealed record Input(string Code, string? RegionScope = null);

    public sealed record Row(string Code, string Name, long Families, long Persons);

    public sealed record Outcome(string Code, string Name, string Level, string? ParentCode, string? ParentName,
        IReadOnlyList<Row> Rows, long Families, long Persons);

    public async Task<Outcome?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var code = RegionCode.ToDotted(input.Code);
        var region = code is null ? null : await db.Regions.AsNoTracking().SingleOrDefaultAsync(r => r.Code == code, cancellationToken);
        if (region is null || region.Level is not (Region.Regency or Region.District))
        {
            return null;
        }
        var parentName = region.ParentCode is null ? null
            : await db.Regions.Where(r => r.Code == region.ParentCode).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        var children = await db.Regions.AsNoTracking()
            .Where(r => r.ParentCode == region.Code)
            .OrderBy(r => r.Code)
            .Select(r => new { r.Code, r.Name })
            .ToListAsync(cancellationToken);
        var scope = input.RegionScope is { Length: > 0 } s ? s : null;
        if (scope is not null)
        {
            // A village operator sees the rows of their own village's branch only.
            children = [.. children.Where(c => c.Code.StartsWith(scope, StringComparison.Ordinal) || scope.StartsWith(c.Code, StringComparison.Ordinal))];
        }
        var prefix = region.Code + ".";
        var families = await db.Families.AsNoTracking()
            .Where(f => f.KodeDesa.StartsWith(prefix) && (scope == null || f.KodeDesa.StartsWith(scope)))
            .GroupBy(f => f.KodeDesa)
            .Select(g => new { Desa = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        var persons = await db.Persons.AsNoTracking()
            .Join(db.Families.Where(f => f.KodeDesa.StartsWith(prefix) && (scope == null || f.KodeDesa.StartsWith(scope))),
                p => p.FamilyId, f => f.Id, (p, f) => f.KodeDesa)
            .GroupBy(k => k)
            .Select(g => new { Desa = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        // Village codes are 13 characters; a kecamatan is the first 8. Children of a regency are kecamatan, of a kecamatan villages.
        var childLength = region.Level == Region.Regency ? 8 : 13;
        var familiesByChild = families.GroupBy(f => f.Desa[..childLength]).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        var personsByChild = persons.GroupBy(p => p.Desa[..childLength]).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        var rows = children
            .Select(c => new Row(c.Code, c.Name, familiesByChild.GetValueOrDefault(c.Code), personsByChild.GetValueOrDefault(c.Code)))
            .ToList();
        return new Outcome(region.Code, region.Name, region.Level, region.ParentCode, parentName, rows,
            rows.Sum(r => r.Families), rows.Sum(r => r.Persons));
    }
}

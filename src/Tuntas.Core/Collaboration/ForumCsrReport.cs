using Microsoft.EntityFrameworkCore;
using Tuntas.Data;

namespace Tuntas.Collaboration;

/// <summary>
/// The Forum CSR view (issue #6 §2, §5): committed against delivered per company (or any stakeholder), per village and
/// per sector (need kind), for a year of pledges — the report a Bappeda planner takes to the forum so that CSR stops
/// landing on the same villages while others wait.
/// </summary>
public sealed class ForumCsrReport(TuntasDb db)
{
    public sealed record Line(string Key, string Name, int Commitments, long Pledged, long Delivered, int Open);

    public sealed record Outcome(int? Year, string? Helix, IReadOnlyList<Line> ByStakeholder, IReadOnlyList<Line> ByVillage, IReadOnlyList<Line> BySector);

    /// <param name="helix">"swasta" for the Forum CSR proper; null for every helix.</param>
    public async Task<Outcome> RunAsync(int? year, string? helix, CancellationToken cancellationToken)
    {
        var rows = await db.Commitments.AsNoTracking()
            .Join(db.Stakeholders, c => c.StakeholderId, s => s.Id, (c, s) => new { c, s })
            .Join(db.Needs, x => x.c.NeedId, n => n.Id, (x, n) => new { x.c, x.s, n })
            .Where(x => helix == null || x.s.Helix == helix)
            .Select(x => new { x.c.Status, x.c.PledgedAmount, x.c.RealizedAmount, x.c.CreatedAt, Stakeholder = x.s.Name, StakeholderId = x.s.Id, x.n.KodeDesa, x.n.Kind })
            .ToListAsync(cancellationToken);
        if (year is { } y)
        {
            rows = [.. rows.Where(r => r.CreatedAt.Year == y)];
        }
        var villages = rows.Select(r => r.KodeDesa).Distinct().ToList();
        var names = await db.Regions.AsNoTracking().Where(r => villages.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        IReadOnlyList<Line> Group(Func<(string Key, string Name, string Status, long Pledged, long? Realized), string> key,
            Func<(string Key, string Name, string Status, long Pledged, long? Realized), string> name,
            IEnumerable<(string Key, string Name, string Status, long Pledged, long? Realized)> items) =>
            [.. items.GroupBy(key).Select(g => new Line(g.Key, name(g.First()), g.Count(),
                    g.Where(i => i.Status != CollaborationTerms.Cancelled).Sum(i => i.Pledged),
                    g.Where(i => i.Status == CollaborationTerms.Delivered).Sum(i => i.Realized ?? 0),
                    g.Count(i => i.Status is CollaborationTerms.Pledged or CollaborationTerms.InProgress)))
                .OrderByDescending(l => l.Pledged).ThenBy(l => l.Key, StringComparer.Ordinal)];
        var byStakeholder = Group(i => i.Key, i => i.Name, rows.Select(r => (r.StakeholderId.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Stakeholder, r.Status, r.PledgedAmount, r.RealizedAmount)));
        var byVillage = Group(i => i.Key, i => i.Name, rows.Select(r => (r.KodeDesa, names.GetValueOrDefault(r.KodeDesa) ?? r.KodeDesa, r.Status, r.PledgedAmount, r.RealizedAmount)));
        var bySector = Group(i => i.Key, i => i.Name, rows.Select(r => (r.Kind, CollaborationTerms.NeedKinds.FirstOrDefault(k => k.Code == r.Kind)?.Name ?? r.Kind, r.Status, r.PledgedAmount, r.RealizedAmount)));
        return new Outcome(year, helix, byStakeholder, byVillage, bySector);
    }
}

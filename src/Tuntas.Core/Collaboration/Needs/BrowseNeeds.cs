namespace Tuntas.Collaboration.Needs;

/// <summary>
/// Needs as partners browse them: by village (or kecamatan) prefix, kind and highest cost, open ones by
/// default, each with who covers what and the remaining gap — covered = realized value of delivered commitments plus
/// pledged value of those pledged or under way (cancelled ones count nothing).
/// </summary>
public sealed class BrowseNeeds(TuntasDb db)
{
    /// <param name="NeedId">One need only (its page), whatever the other filters.</param>
    public sealed record Input(string? Region = null, string? Kind = null, long? MaxCost = null, bool OpenOnly = true, int Limit = 200, long? NeedId = null);

    public sealed record Pledge(long CommitmentId, long StakeholderId, string Stakeholder, string Kind, long Pledged, long? Realized, string Status);

    public sealed record Row(Need Need, string? VillageName, long Covered, long Gap, IReadOnlyList<Pledge> Pledges);

    public async Task<IReadOnlyList<Row>> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var query = db.Needs.AsNoTracking();
        if (input.NeedId is { } id)
        {
            query = query.Where(n => n.Id == id);
        }
        if (!string.IsNullOrWhiteSpace(input.Region))
        {
            var prefix = input.Region.Trim();
            query = query.Where(n => n.KodeDesa == prefix || n.KodeDesa.StartsWith(prefix + "."));
        }
        if (!string.IsNullOrWhiteSpace(input.Kind))
        {
            query = query.Where(n => n.Kind == input.Kind);
        }
        if (input.MaxCost is { } max)
        {
            query = query.Where(n => n.EstimatedCost <= max);
        }
        if (input.OpenOnly)
        {
            query = query.Where(n => n.Status == CollaborationTerms.NeedOpen);
        }
        var needs = await query.OrderBy(n => n.KodeDesa).ThenByDescending(n => n.Id).Take(Math.Clamp(input.Limit, 1, 1000)).ToListAsync(cancellationToken);
        var ids = needs.Select(n => n.Id).ToList();
        var pledges = await db.Commitments.AsNoTracking().Where(c => ids.Contains(c.NeedId))
            .Join(db.Stakeholders, c => c.StakeholderId, s => s.Id, (c, s) => new { c, s.Name })
            .OrderBy(x => x.c.Id).ToListAsync(cancellationToken);
        var codes = needs.Select(n => n.KodeDesa).Distinct().ToList();
        var names = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        return [.. needs.Select(n =>
        {
            var mine = pledges.Where(p => p.c.NeedId == n.Id)
                .Select(p => new Pledge(p.c.Id, p.c.StakeholderId, p.Name, p.c.Kind, p.c.PledgedAmount, p.c.RealizedAmount, p.c.Status)).ToList();
            var covered = Covered(mine);
            return new Row(n, names.GetValueOrDefault(n.KodeDesa), covered, Math.Max(0, n.EstimatedCost - covered), mine);
        })];
    }

    public static long Covered(IEnumerable<Pledge> pledges) => pledges.Sum(p => p.Status switch
    {
        CollaborationTerms.Delivered => p.Realized ?? 0,
        CollaborationTerms.Cancelled => 0,
        _ => p.Pledged,
    });
}

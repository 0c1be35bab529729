namespace Tuntas.P2kp.Planning;

/// <summary>
/// The BKMs' plans within the reader's aggregate scope, and one plan with its activities per pillar, each activity's
/// budget by source with the realisation, the CSR commitment that funds it, and the totals per pillar and per source.
/// Budgets are not personal data: every role reads the plans of the villages it sees in aggregate.
/// </summary>
public sealed class ReadPlans(TuntasDb db)
{
    public sealed record Totals(long Planned, long Realised);

    public sealed record PlanRow(long Id, string Bkm, string KodeDesa, string Kind, int YearFrom, int YearTo, string Title, int Activities, Totals Budget);

    public sealed record Funding(long CommitmentId, long NeedId, string Need, string Stakeholder, long Pledged, long? Realized, string Status);

    public sealed record ActivityView(long Id, string Pillar, string Name, IReadOnlyDictionary<string, SaveActivity.Line> Budget, Totals Total, Funding? Funding,
        double? Latitude, double? Longitude, long SwadayaInKind);

    /// <summary>An activity with a location, for the map.</summary>
    public sealed record MapPoint(long ActivityId, long PlanId, string Name, string Pillar, string Bkm, string KodeDesa, double Latitude, double Longitude, Totals Budget);

    public sealed record PlanView(P2kpPlan Plan, string Bkm, string KodeDesa, IReadOnlyList<ActivityView> Activities,
        IReadOnlyDictionary<string, Totals> ByPillar, IReadOnlyDictionary<string, Totals> BySource, Totals Total);

    /// <summary>The activity a commitment funds, for the commitment's side (the need's page).</summary>
    public sealed record FundedActivity(long CommitmentId, long ActivityId, string Activity, long PlanId, string Plan);

    public async Task<IReadOnlyList<PlanRow>> ListAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        var plans = await (from p in db.P2kpPlans.AsNoTracking()
                           join b in db.Bkms.AsNoTracking() on p.BkmId equals b.Id
                           orderby b.KodeDesa, p.YearFrom, p.Kind
                           select new { p, b.Name, b.KodeDesa }).ToListAsync(cancellationToken);
        plans = [.. plans.Where(p => scope.AggregatesCover(p.KodeDesa))];
        var ids = plans.Select(p => p.p.Id).ToList();
        var activities = await db.P2kpActivities.AsNoTracking().Where(a => ids.Contains(a.PlanId)).GroupBy(a => a.PlanId)
            .Select(g => new { PlanId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.PlanId, g => g.Count, cancellationToken);
        var budgets = await (from b in db.P2kpActivityBudgets.AsNoTracking()
                             join a in db.P2kpActivities.AsNoTracking() on b.ActivityId equals a.Id
                             where ids.Contains(a.PlanId)
                             group b by a.PlanId into g
                             select new { PlanId = g.Key, Planned = g.Sum(b => b.Planned), Realised = g.Sum(b => b.Realised) })
            .ToDictionaryAsync(g => g.PlanId, g => new Totals(g.Planned, g.Realised), cancellationToken);
        return [.. plans.Select(p => new PlanRow(p.p.Id, p.Name, p.KodeDesa, p.p.Kind, p.p.YearFrom, p.p.YearTo, p.p.Title,
            activities.GetValueOrDefault(p.p.Id), budgets.GetValueOrDefault(p.p.Id) ?? new Totals(0, 0)))];
    }

    /// <summary>Null when the plan does not exist or lies outside the reader's aggregate scope.</summary>
    public async Task<PlanView?> ReadAsync(long planId, AccessScope scope, CancellationToken cancellationToken)
    {
        var plan = await db.P2kpPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, cancellationToken);
        var bkm = plan is null ? null : await db.Bkms.AsNoTracking().FirstAsync(b => b.Id == plan.BkmId, cancellationToken);
        if (plan is null || bkm is null || !scope.AggregatesCover(bkm.KodeDesa))
        {
            return null;
        }
        var activities = await db.P2kpActivities.AsNoTracking().Where(a => a.PlanId == planId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var ids = activities.Select(a => a.Id).ToList();
        var budgets = (await db.P2kpActivityBudgets.AsNoTracking().Where(b => ids.Contains(b.ActivityId)).ToListAsync(cancellationToken)).ToLookup(b => b.ActivityId);
        var commitmentIds = activities.Select(a => a.CommitmentId).OfType<long>().ToList();
        var funding = await Fundings(db.Commitments.Where(c => commitmentIds.Contains(c.Id))).ToDictionaryAsync(f => f.CommitmentId, cancellationToken);
        var views = activities
            .OrderBy(a => PlanTerms.Pillars.Select(p => p.Code).ToList().IndexOf(a.Pillar)).ThenBy(a => a.Id)
            .Select(a =>
            {
                var lines = budgets[a.Id].ToDictionary(b => b.Source, b => new SaveActivity.Line(b.Planned, b.Realised));
                return new ActivityView(a.Id, a.Pillar, a.Name, lines, Sum(lines.Values),
                    a.CommitmentId is { } c ? funding.GetValueOrDefault(c) : null, a.Latitude, a.Longitude, a.SwadayaInKind);
            }).ToList();
        var byPillar = PlanTerms.Pillars.ToDictionary(p => p.Code, p => Sum(views.Where(v => v.Pillar == p.Code).SelectMany(v => v.Budget.Values)));
        var bySource = PlanTerms.Sources.ToDictionary(s => s, s => Sum(views.Select(v => v.Budget.GetValueOrDefault(s)).OfType<SaveActivity.Line>()));
        return new PlanView(plan, bkm.Name, bkm.KodeDesa, views, byPillar, bySource, Sum(views.SelectMany(v => v.Budget.Values)));
    }

    /// <summary>The activities the commitments fund, among the plans of villages the reader sees in aggregate (like the plan list).</summary>
    public async Task<IReadOnlyDictionary<long, FundedActivity>> FundedByAsync(IReadOnlyCollection<long> commitmentIds, AccessScope scope, CancellationToken cancellationToken)
    {
        var rows = await (from a in db.P2kpActivities.AsNoTracking()
                          join p in db.P2kpPlans.AsNoTracking() on a.PlanId equals p.Id
                          join b in db.Bkms.AsNoTracking() on p.BkmId equals b.Id
                          where a.CommitmentId != null && commitmentIds.Contains(a.CommitmentId.Value)
                          select new { Funded = new FundedActivity(a.CommitmentId!.Value, a.Id, a.Name, p.Id, p.Title), b.KodeDesa })
            .ToListAsync(cancellationToken);
        return rows.Where(r => scope.AggregatesCover(r.KodeDesa)).ToDictionary(r => r.Funded.CommitmentId, r => r.Funded);
    }

    /// <summary>Every activity with a location in the villages the reader sees in aggregate (optionally one pillar), for the map.</summary>
    public async Task<IReadOnlyList<MapPoint>> MapAsync(string? pillar, AccessScope scope, CancellationToken cancellationToken)
    {
        var rows = await (from a in db.P2kpActivities.AsNoTracking()
                          join p in db.P2kpPlans.AsNoTracking() on a.PlanId equals p.Id
                          join b in db.Bkms.AsNoTracking() on p.BkmId equals b.Id
                          where a.Latitude != null && a.Longitude != null && (pillar == null || a.Pillar == pillar)
                          orderby a.Id
                          select new { a.Id, a.PlanId, a.Name, a.Pillar, Bkm = b.Name, b.KodeDesa, Latitude = a.Latitude!.Value, Longitude = a.Longitude!.Value })
            .ToListAsync(cancellationToken);
        rows = [.. rows.Where(r => scope.AggregatesCover(r.KodeDesa))];
        var ids = rows.Select(r => r.Id).ToList();
        var budgets = (await db.P2kpActivityBudgets.AsNoTracking().Where(b => ids.Contains(b.ActivityId)).ToListAsync(cancellationToken))
            .ToLookup(b => b.ActivityId, b => new SaveActivity.Line(b.Planned, b.Realised));
        return [.. rows.Select(r => new MapPoint(r.Id, r.PlanId, r.Name, r.Pillar, r.Bkm, r.KodeDesa, r.Latitude, r.Longitude, Sum(budgets[r.Id])))];
    }

    /// <summary>The commitments that may fund an activity of a desa's BKM: pledged against a need of that desa, not cancelled.</summary>
    public async Task<IReadOnlyList<Funding>> AvailableFundingAsync(string kodeDesa, CancellationToken cancellationToken) =>
        await Fundings(db.Commitments.Where(c => c.Status != Collaboration.CollaborationTerms.Cancelled && db.Needs.Any(n => n.Id == c.NeedId && n.KodeDesa == kodeDesa))
            .OrderBy(c => c.Id)).ToListAsync(cancellationToken);

    /// <summary>The commitments given, with their need and stakeholder (filter before this projection: EF cannot filter on a record's constructor).</summary>
    private IQueryable<Funding> Fundings(IQueryable<Collaboration.Commitment> commitments) =>
        from c in commitments.AsNoTracking()
        join n in db.Needs.AsNoTracking() on c.NeedId equals n.Id
        join s in db.Stakeholders.AsNoTracking() on c.StakeholderId equals s.Id
        select new Funding(c.Id, n.Id, n.Title, s.Name, c.PledgedAmount, c.RealizedAmount, c.Status);

    private static Totals Sum(IEnumerable<SaveActivity.Line> lines)
    {
        long planned = 0, realised = 0;
        foreach (var line in lines)
        {
            planned += line.Planned;
            realised += line.Realised;
        }
        return new Totals(planned, realised);
    }
}

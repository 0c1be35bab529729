namespace Tuntas.P2kp.Works;

/// <summary>
/// What P2KP's works and social pillar give one family (the family page's "what this family receives", beside its KSM
/// and loans): the activities that name it as a beneficiary, with their latest progress, and the UPS grants it
/// received. The caller has already checked that it may see the family.
/// </summary>
public sealed class FamilyWorksAndGrants(TuntasDb db)
{
    public sealed record Work(long ActivityId, string Activity, string Pillar, long PlanId, string Plan, string Bkm, int? Percent);

    public sealed record Grant(DateOnly GivenOn, string Kind, long Amount, string? InKind, string Source, string Bkm);

    public sealed record Outcome(IReadOnlyList<Work> Works, IReadOnlyList<Grant> Grants)
    {
        public bool IsEmpty => Works.Count == 0 && Grants.Count == 0;
    }

    public async Task<Outcome> RunAsync(long familyId, CancellationToken cancellationToken)
    {
        var works = await (from x in db.P2kpBeneficiaries.AsNoTracking()
                           join a in db.P2kpActivities.AsNoTracking() on x.ActivityId equals a.Id
                           join p in db.P2kpPlans.AsNoTracking() on a.PlanId equals p.Id
                           join b in db.Bkms.AsNoTracking() on p.BkmId equals b.Id
                           where x.FamilyId == familyId
                           orderby a.Id
                           select new Work(a.Id, a.Name, a.Pillar, p.Id, p.Title, b.Name,
                               db.P2kpProgress.Where(r => r.ActivityId == a.Id).OrderByDescending(r => r.OnDate).ThenByDescending(r => r.Id).Select(r => (int?)r.Percent).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        var grants = await (from g in db.P2kpGrants.AsNoTracking()
                            join b in db.Bkms.AsNoTracking() on g.BkmId equals b.Id
                            where g.FamilyId == familyId
                            orderby g.GivenOn descending, g.Id descending
                            select new Grant(g.GivenOn, g.Kind, g.Amount, g.InKind, g.Source, b.Name))
            .ToListAsync(cancellationToken);
        return new Outcome(works, grants);
    }
}

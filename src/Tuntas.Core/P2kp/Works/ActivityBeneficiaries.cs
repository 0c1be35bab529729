namespace Tuntas.P2kp.Works;

/// <summary>
/// Names the registry families an activity benefits — the households a UPL work serves (a drain, a path, a latrine),
/// the recipients of a UPS activity — or takes them off. Families of the BKM's desa with a living member only
/// (<see cref="WorkFamilies.CheckAsync"/>); naming a family twice changes nothing. They show on the family page under
/// "what this family receives". Everything is checked before anything is written.
/// </summary>
public sealed class ActivityBeneficiaries(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(long ActivityId, IReadOnlyList<long> Add, IReadOnlyList<long> Remove, string Actor, string Role, AccessScope Scope);

    public sealed record Outcome(int Added, int Removed, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        if (await ActivityPlace.FindAsync(db, input.ActivityId, cancellationToken) is not { } place)
        {
            return new(0, 0, [P2kpAccess.NotFound()]);
        }
        if (!P2kpAccess.MayManage(input.Role, input.Scope, place.KodeDesa))
        {
            return new(0, 0, [P2kpAccess.Forbidden()]);
        }
        if (input.Add.Count == 0 && input.Remove.Count == 0)
        {
            return new(0, 0, [new("Add", "REQUIRED", "Pilih keluarga penerima manfaat.", "Choose the beneficiary families.")]);
        }
        var problems = await WorkFamilies.CheckAsync(db, input.Add, place.KodeDesa, "Add", cancellationToken);
        if (problems.Count > 0)
        {
            return new(0, 0, problems);
        }
        var existing = (await db.P2kpBeneficiaries.Where(b => b.ActivityId == input.ActivityId).Select(b => b.FamilyId).ToListAsync(cancellationToken)).ToHashSet();
        var added = input.Add.Distinct().Where(id => !existing.Contains(id)).ToList();
        var removed = input.Remove.Distinct().Where(existing.Contains).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.P2kpBeneficiaries.Where(b => b.ActivityId == input.ActivityId && removed.Contains(b.FamilyId)).ExecuteDeleteAsync(cancellationToken);
        db.P2kpBeneficiaries.AddRange(added.Select(id => new P2kpBeneficiary { ActivityId = input.ActivityId, FamilyId = id, AddedBy = input.Actor, AddedAt = now }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(added.Count, removed.Count, []);
    }
}

/// <summary>Where an activity belongs: its plan and the plan's BKM and desa (scope is always by the desa).</summary>
public sealed record ActivityPlace(long ActivityId, long PlanId, string Plan, long BkmId, string Bkm, string KodeDesa, string Pillar, string Name)
{
    public static async Task<ActivityPlace?> FindAsync(TuntasDb db, long activityId, CancellationToken cancellationToken) =>
        await (from a in db.P2kpActivities.AsNoTracking()
               join p in db.P2kpPlans.AsNoTracking() on a.PlanId equals p.Id
               join b in db.Bkms.AsNoTracking() on p.BkmId equals b.Id
               where a.Id == activityId
               select new ActivityPlace(a.Id, p.Id, p.Title, b.Id, b.Name, b.KodeDesa, a.Pillar, a.Name)).FirstOrDefaultAsync(cancellationToken);
}

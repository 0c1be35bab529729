using Tuntas.Collaboration;

namespace Tuntas.P2kp.Planning;

/// <summary>
/// Adds or updates an activity of a BKM's plan: its pillar, name, budget by source with the realisation, and the CSR
/// commitment (from the collaboration features) that funds it. A commitment funds one activity, must be pledged against a
/// need of the BKM's own desa and not be cancelled, and the activity's CSR budget may not exceed what it pledged.
/// Everything is checked before anything is written.
/// </summary>
public sealed class SaveActivity(TuntasDb db, TimeProvider clock)
{
    public sealed record Line(long Planned, long Realised);

    /// <param name="ActivityId">Null to add an activity to the plan.</param>
    /// <param name="Budget">Source → planned and realised rupiah; sources left out have no budget.</param>
    /// <param name="Latitude">Where the works are (WGS 84, within Indonesia), both or neither.</param>
    /// <param name="SwadayaInKind">The community's contribution in kind (labour, materials), in rupiah.</param>
    public sealed record Input(long PlanId, long? ActivityId, string? Pillar, string? Name, IReadOnlyDictionary<string, Line> Budget, long? CommitmentId,
        string Actor, string Role, AccessScope Scope, double? Latitude = null, double? Longitude = null, long SwadayaInKind = 0);

    public sealed record Outcome(P2kpActivity? Activity, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var plan = await db.P2kpPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == input.PlanId, cancellationToken);
        var desa = plan is null ? null : await db.Bkms.Where(b => b.Id == plan.BkmId).Select(b => b.KodeDesa).FirstAsync(cancellationToken);
        if (plan is null || desa is null)
        {
            return new(null, [P2kpAccess.NotFound()]);
        }
        if (!P2kpAccess.MayManage(input.Role, input.Scope, desa))
        {
            return new(null, [P2kpAccess.Forbidden()]);
        }
        var activity = input.ActivityId is { } id ? await db.P2kpActivities.FirstOrDefaultAsync(a => a.Id == id && a.PlanId == plan.Id, cancellationToken) : null;
        if (input.ActivityId is not null && activity is null)
        {
            return new(null, [P2kpAccess.NotFound()]);
        }
        var problems = new List<Problem>();
        var pillar = (input.Pillar ?? "").Trim().ToUpperInvariant();
        if (!PlanTerms.Pillars.Any(p => p.Code == pillar))
        {
            problems.Add(new("Pillar", "INVALID_CODE", "Pilar: EKONOMI, SOSIAL atau LINGKUNGAN.", "Pillar: EKONOMI, SOSIAL or LINGKUNGAN."));
        }
        var name = (input.Name ?? "").Trim();
        if (name.Length is < 3 or > 200)
        {
            problems.Add(new("Name", "REQUIRED", "Nama kegiatan 3–200 karakter.", "Activity name of 3–200 characters."));
        }
        var budget = new Dictionary<string, Line>(StringComparer.Ordinal);
        foreach (var (source, line) in input.Budget)
        {
            var code = source.Trim().ToUpperInvariant();
            if (!PlanTerms.Sources.Contains(code))
            {
                problems.Add(new($"Budget[{source}]", "INVALID_CODE", "Sumber dana: BLM_APBN, APBD, APBDES, SWADAYA atau CSR.", "Source: BLM_APBN, APBD, APBDES, SWADAYA or CSR."));
            }
            else if (line.Planned < 0 || line.Realised < 0)
            {
                problems.Add(new($"Budget[{code}]", "OUT_OF_RANGE", "Anggaran dan realisasi tidak boleh negatif.", "Budget and realisation cannot be negative."));
            }
            else if (line.Planned > 0 || line.Realised > 0)
            {
                budget[code] = line;
            }
        }
        if (!budget.Values.Any(l => l.Planned > 0))
        {
            problems.Add(new("Budget", "REQUIRED", "Isi anggaran sedikitnya dari satu sumber.", "Give the budget from at least one source."));
        }
        if (input.Latitude.HasValue != input.Longitude.HasValue)
        {
            problems.Add(new("Latitude", "REQUIRED", "Lokasi: isi lintang dan bujur, atau kosongkan keduanya.", "Location: give both latitude and longitude, or neither."));
        }
        else if (input.Latitude is { } lat && input.Longitude is { } lon && !(lat is >= -11 and <= 6 && lon is >= 95 and <= 141))
        {
            problems.Add(new("Latitude", "OUT_OF_RANGE", "Lokasi di luar Indonesia (lintang −11…6, bujur 95…141).", "Location outside Indonesia (latitude −11…6, longitude 95…141)."));
        }
        if (input.SwadayaInKind < 0)
        {
            problems.Add(new("SwadayaInKind", "OUT_OF_RANGE", "Swadaya natura tidak boleh negatif.", "The contribution in kind cannot be negative."));
        }
        if (input.CommitmentId is { } commitmentId && await CheckCommitmentAsync(commitmentId, desa, activity?.Id, budget.GetValueOrDefault(PlanTerms.Csr), cancellationToken) is { } refused)
        {
            problems.Add(refused);
        }
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (activity is null)
        {
            activity = new P2kpActivity { PlanId = plan.Id, Pillar = pillar, Name = name, UpdatedBy = input.Actor };
            db.P2kpActivities.Add(activity);
        }
        activity.Pillar = pillar;
        activity.Name = name;
        activity.CommitmentId = input.CommitmentId;
        activity.Latitude = input.Latitude;
        activity.Longitude = input.Longitude;
        activity.SwadayaInKind = input.SwadayaInKind;
        activity.UpdatedBy = input.Actor;
        activity.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await db.P2kpActivityBudgets.Where(b => b.ActivityId == activity.Id).ExecuteDeleteAsync(cancellationToken);
        // The deleted lines may still be tracked from an earlier save on this context: they are replaced, not updated.
        foreach (var stale in db.ChangeTracker.Entries<P2kpActivityBudget>().Where(e => e.Entity.ActivityId == activity.Id).ToList())
        {
            stale.State = EntityState.Detached;
        }
        db.P2kpActivityBudgets.AddRange(budget.Select(b => new P2kpActivityBudget { ActivityId = activity.Id, Source = b.Key, Planned = b.Value.Planned, Realised = b.Value.Realised }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(activity, []);
    }

    private async Task<Problem?> CheckCommitmentAsync(long commitmentId, string desa, long? activityId, Line? csr, CancellationToken cancellationToken)
    {
        var commitment = await db.Commitments.AsNoTracking().Where(c => c.Id == commitmentId)
            .Select(c => new { c.Status, c.PledgedAmount, Desa = db.Needs.Where(n => n.Id == c.NeedId).Select(n => n.KodeDesa).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken);
        if (commitment is null || commitment.Status == CollaborationTerms.Cancelled)
        {
            return new("CommitmentId", "COMMITMENT_UNAVAILABLE", "Komitmen ini tidak ada atau sudah dibatalkan.", "This commitment does not exist or was cancelled.");
        }
        if (commitment.Desa != desa)
        {
            return new("CommitmentId", "COMMITMENT_OTHER_VILLAGE", "Komitmen ini untuk kebutuhan desa lain.", "This commitment is for another village's need.");
        }
        if (await db.P2kpActivities.AnyAsync(a => a.CommitmentId == commitmentId && a.Id != activityId, cancellationToken))
        {
            return new("CommitmentId", "COMMITMENT_LINKED", "Komitmen ini sudah mendanai kegiatan lain.", "This commitment already funds another activity.");
        }
        return csr is { } line && line.Planned > commitment.PledgedAmount
            ? new("Budget[CSR]", "CSR_OVER_COMMITMENT",
                string.Create(CultureInfo.InvariantCulture, $"Anggaran CSR melebihi nilai komitmen ({commitment.PledgedAmount:N0})."),
                string.Create(CultureInfo.InvariantCulture, $"The CSR budget exceeds the commitment's value ({commitment.PledgedAmount:N0})."))
            : null;
    }
}

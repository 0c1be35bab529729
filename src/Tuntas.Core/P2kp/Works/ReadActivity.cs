namespace Tuntas.P2kp.Works;

/// <summary>
/// One activity as its page and the API show it: where it belongs, its progress reports (newest first) with their
/// photos, and its beneficiary families — by name (NO_KK masked) for the roles that see the desa's members, as a count
/// for the others. Progress is not personal data: every role that reads the plan in aggregate reads it.
/// </summary>
public sealed class ReadActivity(TuntasDb db)
{
    public sealed record Photo(long Id, string FileName, string ContentType, long Size);

    public sealed record ProgressView(long Id, DateOnly OnDate, int Percent, string? Note, string RecordedBy, IReadOnlyList<Photo> Photos);

    /// <param name="Beneficiaries">Null when the reader may not see the desa's members by name.</param>
    /// <param name="Percent">The latest report's percent (by date), or null without a report.</param>
    public sealed record View(ActivityPlace Place, int BeneficiaryCount, IReadOnlyList<WorkFamilies.Candidate>? Beneficiaries, IReadOnlyList<ProgressView> Progress, int? Percent);

    /// <summary>Null when the activity does not exist or lies outside the reader's aggregate scope.</summary>
    public async Task<View?> RunAsync(long activityId, string role, AccessScope scope, CancellationToken cancellationToken)
    {
        if (await ActivityPlace.FindAsync(db, activityId, cancellationToken) is not { } place || !scope.AggregatesCover(place.KodeDesa))
        {
            return null;
        }
        var families = await db.P2kpBeneficiaries.AsNoTracking().Where(b => b.ActivityId == activityId).OrderBy(b => b.AddedAt).ThenBy(b => b.FamilyId)
            .Select(b => b.FamilyId).ToListAsync(cancellationToken);
        var named = P2kpAccess.MaySeeMembers(role, scope, place.KodeDesa) ? await WorkFamilies.DescribeAsync(db, families, cancellationToken) : null;
        var reports = await db.P2kpProgress.AsNoTracking().Where(p => p.ActivityId == activityId)
            .OrderByDescending(p => p.OnDate).ThenByDescending(p => p.Id).ToListAsync(cancellationToken);
        var ids = reports.Select(r => r.Id).ToList();
        var photos = (await db.P2kpProgressPhotos.AsNoTracking().Where(p => ids.Contains(p.ProgressId)).OrderBy(p => p.Id).ToListAsync(cancellationToken))
            .ToLookup(p => p.ProgressId, p => new Photo(p.Id, p.FileName, p.ContentType, p.Size));
        var progress = reports.Select(r => new ProgressView(r.Id, r.OnDate, r.Percent, r.Note, r.RecordedBy, [.. photos[r.Id]])).ToList();
        return new View(place, families.Count, named, progress, progress.FirstOrDefault()?.Percent);
    }

    /// <summary>A progress photo of the activity, when the reader sees the activity; null otherwise.</summary>
    public async Task<P2kpProgressPhoto?> PhotoAsync(long activityId, long photoId, AccessScope scope, CancellationToken cancellationToken)
    {
        if (await ActivityPlace.FindAsync(db, activityId, cancellationToken) is not { } place || !scope.AggregatesCover(place.KodeDesa))
        {
            return null;
        }
        return await db.P2kpProgressPhotos.AsNoTracking()
            .Where(p => p.Id == photoId && db.P2kpProgress.Any(r => r.Id == p.ProgressId && r.ActivityId == activityId))
            .FirstOrDefaultAsync(cancellationToken);
    }
}

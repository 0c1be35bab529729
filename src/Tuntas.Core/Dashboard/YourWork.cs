using Tuntas.Complaints;
using Tuntas.Verivali;

namespace Tuntas.Dashboard;

/// <summary>
/// A signed-in user's own work, for the home page: each count is read with the visibility rule of the page it links
/// to, so the number on the home page and the list behind it agree — complaints by <see cref="ComplaintAccess.Visible"/>
/// (the complaints list and its status filters), change requests by <see cref="ComplaintAccess.VisibleChangeRequests"/>
/// (the change-request list), worklist lines of the open verivali period by <see cref="VerivaliLines.Visible"/> (a
/// relawan: the lines assigned to them). GERTAK's and Desa Tumis's seeds name the failure this answers: work that
/// waits because nobody sees it is theirs.
/// </summary>
public sealed class YourWork(TuntasDb db, TimeProvider clock)
{
    /// <param name="Complaints">Whether the user may read complaints (their permission), so the count is not shown to others.</param>
    /// <param name="Verivali">Whether the user may read verivali worklists.</param>
    public sealed record Input(string Role, string? Organization, AccessScope Scope, string UserName, bool Complaints, bool Verivali);

    /// <summary>Null where the user has no such work to see.</summary>
    public sealed record Outcome(int? NewComplaints, int? ComplaintsInProgress, int? OverdueComplaints, int? OpenChangeRequests,
        long? PeriodId, string? PeriodName, int? LinesToVisit, int? LinesToReview);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        int? fresh = null, inProgress = null, overdue = null;
        if (input.Complaints)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var complaints = ComplaintAccess.Visible(db.Complaints.AsNoTracking(), input.Role, input.Organization, input.Scope);
            fresh = await complaints.CountAsync(c => c.Status == ComplaintTerms.New, cancellationToken);
            inProgress = await complaints.CountAsync(c => c.Status == ComplaintTerms.InProgress, cancellationToken);
            // The complaints list's "terlambat" filter: past due and neither resolved nor rejected.
            overdue = await complaints.CountAsync(c => c.DueAt < now && c.Status != ComplaintTerms.Resolved && c.Status != ComplaintTerms.Rejected, cancellationToken);
        }
        // Roles that see no change requests (partners, agency officers) count none by the list's own rule.
        var changeRequests = await ComplaintAccess.VisibleChangeRequests(db.ChangeRequests.AsNoTracking(), input.Role, input.Scope)
            .CountAsync(r => r.Status == ComplaintTerms.ChangeOpen, cancellationToken);
        long? periodId = null;
        string? periodName = null;
        int? toVisit = null, toReview = null;
        if (input.Verivali && await db.VerivaliPeriods.AsNoTracking().Where(p => p.ClosedAt == null).Select(p => new { p.Id, p.Name }).FirstOrDefaultAsync(cancellationToken) is { } period)
        {
            (periodId, periodName) = (period.Id, period.Name);
            var lines = VerivaliLines.Visible(db, input.Scope, input.Role, input.UserName).AsNoTracking().Where(l => l.PeriodId == period.Id);
            toVisit = await lines.CountAsync(l => l.Status == VerivaliTerms.Open, cancellationToken);
            toReview = input.Role == Users.Roles.Relawan ? null : await lines.CountAsync(l => l.Status == VerivaliTerms.Visited, cancellationToken);
        }
        return new Outcome(fresh, inProgress, overdue, changeRequests, periodId, periodName, toVisit, toReview);
    }

    /// <summary>
    /// The region a user's home page shows: the whole regency for a regency-wide user; otherwise the smallest region
    /// holding every region of their aggregate scope — their village, their kecamatan, or the regency when their
    /// villages lie in several kecamatan. A village operator's home then says the village's name, not the regency's.
    /// </summary>
    public static string HomeRegion(string regency, AccessScope scope)
    {
        if (scope.AggregateRegions is not { Count: > 0 } regions)
        {
            return regency;
        }
        if (regions.Count == 1 && regions[0].StartsWith(regency, StringComparison.Ordinal))
        {
            return regions[0];
        }
        var districts = regions.Where(r => r.Length >= 8).Select(r => r[..8]).Distinct(StringComparer.Ordinal).ToList();
        return districts.Count == 1 && regions.All(r => r.Length >= 8) && districts[0].StartsWith(regency, StringComparison.Ordinal) ? districts[0] : regency;
    }
}

using Microsoft.Extensions.Options;
using Tuntas.Collaboration.Meetings;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.Ranking;
using Tuntas.Dashboard;

namespace Tuntas.Collaboration.VillageLabs;

/// <summary>
/// The one-page village profile for the musyawarah desa: where the village stands (families, poor
/// families, desil 1–4, who receives what), its lab status with history and target, the open needs with who covers
/// them and the gap, the partners' committed-vs-delivered, the last and next meeting with open actions, and how the
/// community's ranking agrees with the model. Aggregates only — no name, no NO_KK — so it can be printed, put on the
/// village notice board and read by every role whose aggregate scope covers the village (Laboratorium Kemiskinan:
/// data the village owns and discusses).
/// </summary>
/// <param name="regency">Its time zone says what "today" is, that open actions are overdue against: WIB's morning is
/// still yesterday in UTC.</param>
public sealed class VillageProfile(TuntasDb db, ReadDashboard readDashboard, VillageLab lab, BrowseNeeds browse, CommitmentReport report,
    CommunityRanking ranking, TimeProvider clock, IOptions<Regions.RegencyOptions>? regency = null)
{
    public sealed record Input(string KodeDesa, string Regency, AccessScope Scope);

    public sealed record ProgramReach(string Code, string Name, long Eligible, long Recipients, long InclusionErrors, long ExclusionErrors);

    public sealed record NeedLine(long Id, string Title, string Kind, long Cost, long Covered, long Gap, IReadOnlyList<string> CoveredBy);

    public sealed record MeetingLine(long Id, string Kind, string Title, DateTime HeldAt, int Invited, int? Attended, int Decisions);

    public sealed record ActionLine(string Text, string Owner, DateOnly DueOn, bool Overdue);

    public sealed record TargetProgress(long Baseline, long Target, int ByYear, long Now, double? Achieved);

    public sealed record RankingSummary(int Ranked, int WithDesil, double? Spearman, int CommunityPoorModelRich, int CommunityRichModelPoor);

    public sealed record Outcome(string KodeDesa, string Desa, string? Kecamatan, ReadDashboard.Row Totals, IReadOnlyList<ProgramReach> Programs,
        VillageLab.VillageStatus? Status, IReadOnlyList<VillageStatusChange> History, TargetProgress? Target,
        IReadOnlyList<NeedLine> Needs, int NeedsOpen, long NeedCost, long Gap,
        IReadOnlyList<CommitmentReport.StakeholderTotal> Partners, long Pledged, long Delivered,
        MeetingLine? LastMeeting, MeetingLine? NextMeeting, IReadOnlyList<ActionLine> OpenActions, RankingSummary? Ranking,
        DateTime GeneratedAt, DateTime? DataAsOf);

    /// <summary>At most this many needs and status changes on the page: one A4 sheet.</summary>
    public const int NeedsShown = 8;

    public const int HistoryShown = 4;

    /// <returns>null when the code is not a village of the regency or lies outside the caller's aggregate scope.</returns>
    public async Task<Outcome?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var dashboard = await readDashboard.RunAsync(new ReadDashboard.Input(input.KodeDesa, input.Scope), cancellationToken);
        if (dashboard is null || dashboard.Level != Regions.Region.Village)
        {
            return null;
        }
        var code = dashboard.Code;
        var now = clock.GetUtcNow().UtcDateTime;
        var today = Regions.RegencyOptions.Of(regency).Today(clock);
        var totals = dashboard.Totals;
        IReadOnlyList<ProgramReach> programs = [.. dashboard.Programs
            .Select(p => new ProgramReach(p.Code, p.Name, totals[Measures.EligiblePrefix + p.Code], totals[Measures.RecipientsPrefix + p.Code],
                totals[Measures.InclusionPrefix + p.Code], totals[Measures.ExclusionPrefix + p.Code]))
            .Where(p => p.Eligible > 0 || p.Recipients > 0)];

        var status = (await lab.RefreshAsync(input.Regency, cancellationToken)).FirstOrDefault(s => s.KodeDesa == code);
        var history = await db.VillageStatusHistory.AsNoTracking().Where(h => h.KodeDesa == code).OrderByDescending(h => h.Id).Take(HistoryShown)
            .ToListAsync(cancellationToken);
        var target = await db.VillageTargets.AsNoTracking().Where(t => t.KodeDesa == code).OrderByDescending(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        TargetProgress? progress = null;
        if (target is not null)
        {
            var current = status?.PoorFamilies ?? 0;
            // Share of the planned reduction achieved so far: (baseline − now) ÷ (baseline − target).
            progress = new TargetProgress(target.Baseline, target.Target, target.ByYear, current,
                target.Baseline == target.Target ? null : Math.Round(100.0 * (target.Baseline - current) / (target.Baseline - target.Target), 1));
        }

        var needs = await browse.RunAsync(new BrowseNeeds.Input(Region: code, Limit: 1000), cancellationToken);
        IReadOnlyList<NeedLine> needLines = [.. needs.OrderByDescending(n => n.Gap).ThenBy(n => n.Need.Id).Take(NeedsShown)
            .Select(n => new NeedLine(n.Need.Id, CollaborationTerms.PublicNeedTitle(n.Need.Title, n.Need.Kind, n.Need.FamilyId is not null), n.Need.Kind, n.Need.EstimatedCost, n.Covered, n.Gap,
                [.. n.Pledges.Where(p => p.Status != CollaborationTerms.Cancelled).Select(p => p.Stakeholder).Distinct()]))];
        var commitments = await report.RunAsync(new CommitmentReport.Input(Region: code), cancellationToken);

        var meetings = await db.Meetings.AsNoTracking().Where(m => m.KodeDesa == code).OrderByDescending(m => m.HeldAt).Take(50).ToListAsync(cancellationToken);
        var last = meetings.FirstOrDefault(m => m.HeldAt <= now);
        var next = meetings.Where(m => m.HeldAt > now).MinBy(m => m.HeldAt);
        var meetingIds = meetings.Select(m => m.Id).ToList();
        var actions = await db.ActionItems.AsNoTracking().Where(a => meetingIds.Contains(a.MeetingId) && a.Status == MeetingTerms.ActionOpen)
            .Join(db.Stakeholders, a => a.OwnerStakeholderId, s => s.Id, (a, s) => new { a.Text, s.Name, a.DueOn }).OrderBy(a => a.DueOn).Take(6)
            .ToListAsync(cancellationToken);

        var compared = await ranking.CompareAsync(code, cancellationToken);
        var rankingSummary = compared.Ranked == 0 ? null : new RankingSummary(compared.Ranked, compared.WithDesil, compared.Spearman,
            compared.CommunityPoorModelRich.Count, compared.CommunityRichModelPoor.Count);

        return new Outcome(code, dashboard.Name, dashboard.ParentName, totals, programs, status, history, progress,
            needLines, needs.Count, needs.Sum(n => n.Need.EstimatedCost), needs.Sum(n => n.Gap),
            commitments.ByStakeholder, commitments.Pledged, commitments.Delivered,
            last is null ? null : await MeetingLineAsync(last, cancellationToken), next is null ? null : await MeetingLineAsync(next, cancellationToken),
            [.. actions.Select(a => new ActionLine(a.Text, a.Name, a.DueOn, a.DueOn < today))], rankingSummary, now, dashboard.RefreshedAt);
    }

    private async Task<MeetingLine> MeetingLineAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        var invitees = await db.MeetingInvitees.AsNoTracking().Where(i => i.MeetingId == meeting.Id).Select(i => i.Attended).ToListAsync(cancellationToken);
        var decisions = await db.MeetingDecisions.AsNoTracking().CountAsync(d => d.MeetingId == meeting.Id, cancellationToken);
        return new MeetingLine(meeting.Id, meeting.Kind, meeting.Title, meeting.HeldAt, invitees.Count,
            invitees.Any(a => a is not null) ? invitees.Count(a => a == true) : null, decisions);
    }
}

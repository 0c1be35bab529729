using Microsoft.Extensions.Options;
using Tuntas.Collaboration.Meetings;
using Tuntas.Notifications;
using Tuntas.Regions;

namespace Tuntas.Collaboration;

/// <summary>
/// The weekly digest of follow-ups: to each stakeholder's current contact, its open actions that are
/// overdue or due within a week and its pledges that have not moved for <see cref="StalledAfterDays"/> days; to the
/// TKPKD secretariat, every overdue action and every stalled pledge by owner — the seeds' promises that never arrive,
/// seen before the next Forum CSR rather than at the year's end. Sent through
/// <see cref="INotificationSender"/> once per ISO week (recorded in <c>digest_runs</c>, so a restart does not resend).
/// </summary>
/// <param name="regency">Its time zone says what "today" and this week are: WIB's Monday morning is still Sunday, the
/// week before, in UTC.</param>
public sealed class WeeklyDigest(TuntasDb db, ListOpenActions openActions, INotificationSender sender, TimeProvider clock,
    IOptions<RegencyOptions>? regency = null)
{
    public sealed record Outcome(bool Sent, string Week, int Stakeholders, int Overdue, int Stalled = 0);

    /// <summary>A pledge (dijanjikan or berjalan) with no step for this long is stalled.</summary>
    public const int StalledAfterDays = 60;

    private sealed record StalledPledge(long StakeholderId, string Stakeholder, long Pledged, string Status, DateTime Since, string KodeDesa, string Kind, string Title,
        bool NamedFamily);

    /// <summary>The ISO week of a day in the regency, e.g. 2026-W11.</summary>
    public static string WeekOf(DateOnly day) =>
        $"{System.Globalization.ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{System.Globalization.ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}";

    public async Task<Outcome> RunAsync(bool force, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = RegencyOptions.Of(regency);
        var today = zone.Today(clock);
        var week = WeekOf(today);
        if (!force && await db.DigestRuns.AnyAsync(r => r.Week == week, cancellationToken))
        {
            return new Outcome(false, week, 0, 0);
        }
        var open = await openActions.RunAsync(null, cancellationToken);
        var soon = open.Where(a => a.Action.DueOn <= today.AddDays(7)).ToList();
        var contacts = await db.StakeholderContacts.AsNoTracking().Where(c => c.Until == null).ToListAsync(cancellationToken);
        var stalledBefore = now.AddDays(-StalledAfterDays);
        var stalled = await db.Commitments.AsNoTracking()
            .Where(c => (c.Status == CollaborationTerms.Pledged || c.Status == CollaborationTerms.InProgress) && c.UpdatedAt < stalledBefore)
            .Join(db.Needs, c => c.NeedId, n => n.Id, (c, n) => new { c.StakeholderId, c.PledgedAmount, c.Status, c.UpdatedAt, n.KodeDesa, n.Kind, n.Title, n.FamilyId })
            .Join(db.Stakeholders, x => x.StakeholderId, s => s.Id, (x, s) => new StalledPledge(x.StakeholderId, s.Name, x.PledgedAmount, x.Status, x.UpdatedAt, x.KodeDesa,
                x.Kind, x.Title, x.FamilyId != null))
            .ToListAsync(cancellationToken);
        // A digest travels by e-mail or SMS: a need for a named family is named by its kind only.
        string Pledge(StalledPledge p) =>
            $"- {CollaborationTerms.PublicNeedTitle(p.Title, p.Kind, p.NamedFamily)} ({p.KodeDesa}): Rp{p.Pledged:N0}, {p.Status} sejak {zone.ToRegency(p.Since):yyyy-MM-dd}";
        var stakeholders = 0;
        foreach (var owner in soon.Select(a => a.Action.OwnerStakeholderId).Concat(stalled.Select(p => p.StakeholderId)).Distinct())
        {
            var contact = contacts.FirstOrDefault(c => c.StakeholderId == owner);
            var actions = soon.Where(a => a.Action.OwnerStakeholderId == owner).ToList();
            var pledges = stalled.Where(p => p.StakeholderId == owner).ToList();
            var lines = actions.Select(a => $"- {a.Action.Text} (rapat: {a.Meeting}; tenggat {a.Action.DueOn:yyyy-MM-dd}{(a.Overdue ? ", TERLAMBAT" : "")})").ToList();
            if (pledges.Count > 0)
            {
                lines.Add($"Komitmen tanpa kemajuan {StalledAfterDays} hari:");
                lines.AddRange(pledges.Select(Pledge));
            }
            await sender.SendAsync(new Notification("pemangku:" + owner, contact?.Email ?? contact?.Phone,
                $"Tindak lanjut minggu {week}: {actions.Count} ({actions.Count(a => a.Overdue)} terlambat), {pledges.Count} komitmen tertunda", string.Join('\n', lines)),
                cancellationToken);
            stakeholders++;
        }
        var overdue = open.Where(a => a.Overdue).ToList();
        var secretariat = overdue.GroupBy(a => a.Owner).Select(g => $"{g.Key}: {g.Count()}").ToList();
        if (stalled.Count > 0)
        {
            secretariat.Add($"Komitmen tanpa kemajuan {StalledAfterDays} hari:");
            secretariat.AddRange(stalled.GroupBy(p => p.Stakeholder).Select(g => $"{g.Key}: {g.Count()} komitmen, Rp{g.Sum(p => p.Pledged):N0}"));
        }
        await sender.SendAsync(new Notification("penangan:tkpkd:TKPKD", null,
            $"Tindak lanjut terlambat minggu {week}: {overdue.Count}; komitmen tertunda: {stalled.Count}", string.Join('\n', secretariat)), cancellationToken);
        if (!await db.DigestRuns.AnyAsync(r => r.Week == week, cancellationToken))
        {
            db.DigestRuns.Add(new DigestRun { Week = week, SentAt = now });
        }
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(true, week, stakeholders, overdue.Count, stalled.Count);
    }
}

public sealed class DigestRun
{
    public long Id { get; set; }
    public required string Week { get; set; }
    public DateTime SentAt { get; set; }
}

internal sealed class DigestRunConfiguration : Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<DigestRun>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<DigestRun> builder) => builder.ToTable("digest_runs");
}

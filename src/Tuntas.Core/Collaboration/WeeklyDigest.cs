using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Notifications;

namespace Tuntas.Collaboration;

/// <summary>
/// The weekly digest of follow-ups (issue #6 §3): to each stakeholder's current contact, its open actions that are
/// overdue or due within a week; to the TKPKD secretariat, every overdue action by owner. Sent through
/// <see cref="INotificationSender"/> once per ISO week (recorded in <c>digest_runs</c>, so a restart does not resend).
/// </summary>
public sealed class WeeklyDigest(TuntasDb db, Meetings meetings, INotificationSender sender, TimeProvider clock)
{
    public sealed record Outcome(bool Sent, string Week, int Stakeholders, int Overdue);

    public static string WeekOf(DateTime utc) =>
        $"{System.Globalization.ISOWeek.GetYear(utc)}-W{System.Globalization.ISOWeek.GetWeekOfYear(utc):00}";

    public async Task<Outcome> RunAsync(bool force, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var week = WeekOf(now);
        if (!force && await db.DigestRuns.AnyAsync(r => r.Week == week, cancellationToken))
        {
            return new Outcome(false, week, 0, 0);
        }
        var today = DateOnly.FromDateTime(now);
        var open = await meetings.OpenActionsAsync(null, cancellationToken);
        var soon = open.Where(a => a.Action.DueOn <= today.AddDays(7)).ToList();
        var contacts = await db.StakeholderContacts.AsNoTracking().Where(c => c.Until == null).ToListAsync(cancellationToken);
        var stakeholders = 0;
        foreach (var group in soon.GroupBy(a => a.Action.OwnerStakeholderId))
        {
            var contact = contacts.FirstOrDefault(c => c.StakeholderId == group.Key);
            var lines = group.Select(a => $"- {a.Action.Text} (rapat: {a.Meeting}; tenggat {a.Action.DueOn:yyyy-MM-dd}{(a.Overdue ? ", TERLAMBAT" : "")})");
            await sender.SendAsync(new Notification("pemangku:" + group.Key, contact?.Email ?? contact?.Phone,
                $"Tindak lanjut minggu {week}: {group.Count()} ({group.Count(a => a.Overdue)} terlambat)", string.Join('\n', lines)), cancellationToken);
            stakeholders++;
        }
        var overdue = open.Where(a => a.Overdue).ToList();
        await sender.SendAsync(new Notification("penangan:tkpkd:TKPKD", null, $"Tindak lanjut terlambat minggu {week}: {overdue.Count}",
            string.Join('\n', overdue.GroupBy(a => a.Owner).Select(g => $"{g.Key}: {g.Count()}"))), cancellationToken);
        if (!await db.DigestRuns.AnyAsync(r => r.Week == week, cancellationToken))
        {
            db.DigestRuns.Add(new DigestRun { Week = week, SentAt = now });
        }
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(true, week, stakeholders, overdue.Count);
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

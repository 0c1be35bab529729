using Microsoft.EntityFrameworkCore;
using Tuntas.Attachments;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Meetings;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Complaints;
using Tuntas.Notifications;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Collaboration;

/// <summary>The weekly digest also names the pledges that have not moved for 60 days, to their owner and to the secretariat.</summary>
public sealed class WeeklyDigestTests
{
    private sealed class Recorder : INotificationSender
    {
        public List<Notification> Sent { get; } = [];

        public Task SendAsync(Notification notification, CancellationToken cancellationToken)
        {
            Sent.Add(notification);
            return Task.CompletedTask;
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_pledge_without_a_step_for_sixty_days_reaches_its_owner_and_the_secretariat(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await using var db = test.Database.CreateDb();
        var clock = TimeProvider.System;
        var company = (await new SaveStakeholder(db, clock).RunAsync(new SaveStakeholder.Input(null, "PT Gula Sragen", "swasta", ["CSR"], null, null, true,
            "Budi", null, null, "csr@gula.example"), CancellationToken.None)).Stakeholder!;
        var record = new RecordNeed(db, clock);
        var old = (await record.RunAsync(new RecordNeed.Input("33.14.01.2001", "jamban", "Jamban sehat 12 rumah", null, "Rp 30 jt", "musdes", null, "uji"), CancellationToken.None)).Need!;
        var fresh = (await record.RunAsync(new RecordNeed.Input("33.14.01.2002", "air-bersih", "Sumur bor dusun", null, "Rp 20 jt", "musdes", null, "uji"), CancellationToken.None)).Need!;
        var commitments = new Commitments(db, new AttachmentStore(Path.GetTempPath()), clock);
        var stalled = (await commitments.PledgeAsync(new Commitments.PledgeInput(old.Id, company.Id, "uang", "Rp 30 jt", null, "uji"), CancellationToken.None)).Commitment!;
        await commitments.PledgeAsync(new Commitments.PledgeInput(fresh.Id, company.Id, "uang", "Rp 20 jt", null, "uji"), CancellationToken.None);
        var ninetyDaysAgo = DateTime.UtcNow.AddDays(-90);
        await db.Commitments.Where(c => c.Id == stalled.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.UpdatedAt, ninetyDaysAgo));

        var recorder = new Recorder();
        var outcome = await new WeeklyDigest(db, new ListOpenActions(db, clock), recorder, clock).RunAsync(force: true, CancellationToken.None);

        Assert.Equal(1, outcome.Stalled);
        var toCompany = Assert.Single(recorder.Sent, n => n.Recipient == "pemangku:" + company.Id);
        Assert.Equal("csr@gula.example", toCompany.Contact);
        Assert.Contains("Jamban sehat 12 rumah", toCompany.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sumur bor", toCompany.Text, StringComparison.Ordinal);
        var toSecretariat = Assert.Single(recorder.Sent, n => n.Recipient.StartsWith("penangan:tkpkd", StringComparison.Ordinal));
        Assert.Contains("PT Gula Sragen: 1 komitmen", toSecretariat.Text, StringComparison.Ordinal);
    }
}

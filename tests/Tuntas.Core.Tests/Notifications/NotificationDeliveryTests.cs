using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Tuntas.Attachments;
using Tuntas.Complaints;
using Tuntas.Data;
using Tuntas.Notifications;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Notifications;

/// <summary>
/// Real notifications end to end: a complaint filed and moved on writes its messages to the outbox, and the worker's
/// pass delivers them through a real SMTP server (MailDev) or an HTTP SMS gateway, retrying with back-off.
/// </summary>
public sealed class NotificationDeliveryTests(MailDev mail) : IClassFixture<MailDev>
{
    private sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset _start = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    private static async Task<Complaint> FileAsync(TuntasDb db, TimeProvider clock, string contact)
    {
        var outcome = await new FileComplaint(db, new AttachmentStore(Path.GetTempPath()), Outbox(db, clock), clock).RunAsync(new FileComplaint.Input(
            "bantuan-tidak-diterima", ComplaintTerms.ChannelPortal, "Sri Lestari", contact, null, null,
            "Bantuan PKH belum kami terima tiga bulan.", "publik", []), CancellationToken.None);
        return outcome.Complaint ?? throw new InvalidOperationException(string.Join("; ", outcome.Problems.Select(p => p.Message)));
    }

    private static NotificationOutbox Outbox(TuntasDb db, TimeProvider clock) => new(db, clock, NullLogger<NotificationOutbox>.Instance);

    private static async Task<OutboxMessage> RowAsync(TuntasDb db, long id) => await db.NotificationOutbox.AsNoTracking().SingleAsync(m => m.Id == id);

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_complainant_with_an_email_hears_of_the_filing_and_each_status_change_through_a_real_smtp_server(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await using var db = test.Database.CreateDb();
        var clock = new MovableClock(_start);
        var address = $"sri.{provider.ToLowerInvariant()}@contoh.id";
        var complaint = await FileAsync(db, clock, address);
        var change = await new ChangeComplaintStatus(db, Outbox(db, clock), clock).RunAsync(
            new ChangeComplaintStatus.Input(complaint.Id, ComplaintTerms.InProgress, null, false, "petugas"), CancellationToken.None);
        Assert.Null(change.Problem);

        // Only the complainant's messages wait in the outbox: the handler unit reads its work in the back office.
        var waiting = await db.NotificationOutbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(2, waiting.Count);
        Assert.All(waiting, m => Assert.Equal((OutboxStatus.Pending, OutboxChannels.Email, address, "pelapor"), (m.Status, m.Channel, m.Contact, m.Recipient)));

        var smtp = new SmtpMailChannel(new SmtpOptions("127.0.0.1", mail.SmtpPort, "tuntas@sragenkab.go.id", "Tuntas Sragen", null, null, "none"));
        var outcome = await new DeliverNotifications(db, [smtp], NotificationOptions.Default, clock).RunAsync(CancellationToken.None);

        Assert.Equal(new DeliverNotifications.Outcome(2, 0, 0), outcome);
        var received = (await mail.ReceivedAsync()).Where(m => m.To == address).ToList();
        Assert.Equal(2, received.Count);
        Assert.All(received, m => Assert.Contains(complaint.Ticket, m.Subject, StringComparison.Ordinal));
        Assert.Contains(received, m => m.Text.Contains($"pengaduan {complaint.Ticket} sudah kami terima", StringComparison.Ordinal));
        Assert.Contains(received, m => m.Text.Contains($"pengaduan {complaint.Ticket} sedang diproses", StringComparison.Ordinal));
        foreach (var row in await db.NotificationOutbox.AsNoTracking().ToListAsync())
        {
            Assert.Equal(OutboxStatus.Sent, row.Status);
            Assert.Equal(_start.UtcDateTime, row.SentAt);
            Assert.Equal(1, row.Attempts);
            // Once sent, the address is no longer kept in clear (data minimisation).
            Assert.DoesNotContain(address, row.Contact, StringComparison.Ordinal);
            Assert.EndsWith("@contoh.id", row.Contact, StringComparison.Ordinal);
            Assert.True(SmsText.IsOneSms(row.Text), row.Text);
        }
        // A second pass has nothing left to send.
        Assert.Equal(new DeliverNotifications.Outcome(0, 0, 0), await new DeliverNotifications(db, [smtp], NotificationOptions.Default, clock).RunAsync(CancellationToken.None));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_mobile_number_gets_one_plain_sms_through_the_gateway_and_a_failing_gateway_is_retried_after_a_growing_wait(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await using var db = test.Database.CreateDb();
        var clock = new MovableClock(_start);
        var complaint = await FileAsync(db, clock, "0812-3456-7890");
        using var gateway = new SmsGatewayDouble();
        gateway.AnswerNext(503, 503);
        using var http = new HttpClient();
        var deliver = new DeliverNotifications(db, [new SmsGatewayChannel(http, new GatewayOptions(gateway.Url, "kunci-uji", "whatsapp"))], NotificationOptions.Default, clock);
        var id = (await db.NotificationOutbox.AsNoTracking().SingleAsync()).Id;

        Assert.Equal(new DeliverNotifications.Outcome(0, 1, 0), await deliver.RunAsync(CancellationToken.None));
        var first = await RowAsync(db, id);
        Assert.Equal((OutboxStatus.Pending, 1, "gateway HTTP 503"), (first.Status, first.Attempts, first.LastError));
        Assert.Equal(_start.UtcDateTime.AddMinutes(1), first.NextAttemptAt);

        // Not due yet: nothing is sent early.
        clock.Now = _start.AddSeconds(59);
        Assert.Equal(new DeliverNotifications.Outcome(0, 0, 0), await deliver.RunAsync(CancellationToken.None));

        clock.Now = _start.AddMinutes(1);
        Assert.Equal(new DeliverNotifications.Outcome(0, 1, 0), await deliver.RunAsync(CancellationToken.None));
        Assert.Equal(_start.UtcDateTime.AddMinutes(1 + 4), (await RowAsync(db, id)).NextAttemptAt);

        clock.Now = _start.AddMinutes(5);
        Assert.Equal(new DeliverNotifications.Outcome(1, 0, 0), await deliver.RunAsync(CancellationToken.None));
        var sent = await RowAsync(db, id);
        Assert.Equal((OutboxStatus.Sent, 3, "sms-1", (string?)null), (sent.Status, sent.Attempts, sent.ProviderRef, sent.LastError));
        Assert.Equal("•••••••••••890", sent.Contact);

        var requests = gateway.Received.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(("Bearer kunci-uji", "+6281234567890", "whatsapp"), (r.Authorization, r.To, r.Channel)));
        Assert.True(SmsText.IsOneSms(requests[^1].Text), requests[^1].Text);
        Assert.Contains(complaint.Ticket, requests[^1].Text, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refused_number_is_abandoned_at_once_and_a_channel_never_configured_gives_up_after_the_last_try(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await using var db = test.Database.CreateDb();
        var clock = new MovableClock(_start);
        var outbox = Outbox(db, clock);
        await outbox.SendAsync(new Notification("pelapor", "081299998888", "Uji", "Pesan uji."), CancellationToken.None);
        await outbox.SendAsync(new Notification("pemangku:7", "csr@gula.example", "Uji", "Pesan uji."), CancellationToken.None);
        using var gateway = new SmsGatewayDouble();
        gateway.AnswerNext(400);
        using var http = new HttpClient();
        var options = NotificationOptions.Default with { MaxAttempts = 3 };
        var deliver = new DeliverNotifications(db, [new SmsGatewayChannel(http, new GatewayOptions(gateway.Url, "k", "sms"))], options, clock);

        Assert.Equal(new DeliverNotifications.Outcome(0, 1, 1), await deliver.RunAsync(CancellationToken.None));
        var phone = await db.NotificationOutbox.AsNoTracking().SingleAsync(m => m.Channel == OutboxChannels.Phone);
        Assert.Equal((OutboxStatus.Failed, 1, "gateway HTTP 400: pesan ditolak"), (phone.Status, phone.Attempts, phone.LastError));
        Assert.DoesNotContain("0812999", phone.Contact, StringComparison.Ordinal);

        clock.Now = _start.AddMinutes(1);
        Assert.Equal(new DeliverNotifications.Outcome(0, 1, 0), await deliver.RunAsync(CancellationToken.None));
        clock.Now = _start.AddMinutes(5);
        Assert.Equal(new DeliverNotifications.Outcome(0, 0, 1), await deliver.RunAsync(CancellationToken.None));
        var mailRow = await db.NotificationOutbox.AsNoTracking().SingleAsync(m => m.Channel == OutboxChannels.Email);
        Assert.Equal((OutboxStatus.Failed, 3, "server surat (SMTP) belum diatur", "c•••@gula.example"), (mailRow.Status, mailRow.Attempts, mailRow.LastError, mailRow.Contact));
        Assert.Single(gateway.Received);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_outbox_page_reads_counts_per_status_and_masks_every_contact_even_while_waiting(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await using var db = test.Database.CreateDb();
        var clock = new MovableClock(_start);
        await Outbox(db, clock).SendAsync(new Notification("pelapor", "081211112222", "Uji", "Pesan uji."), CancellationToken.None);
        await Outbox(db, clock).SendAsync(new Notification("pelapor", "dewi@contoh.id", "Uji", "Pesan uji."), CancellationToken.None);

        var outbox = await new ReadOutbox(db).RunAsync(new ReadOutbox.Input(null, 1), CancellationToken.None);

        Assert.Equal(2, outbox.Counts[OutboxStatus.Pending]);
        Assert.Equal(0, outbox.Counts[OutboxStatus.Sent]);
        Assert.Equal(["d•••@contoh.id", "•••••••••222"], outbox.Lines.Select(l => l.Contact));
    }
}

/// <summary>The rules of the texts and numbers, without a server.</summary>
public sealed class NotificationTextTests
{
    [Theory]
    [InlineData(ComplaintTerms.New)]
    [InlineData(ComplaintTerms.InProgress)]
    [InlineData(ComplaintTerms.Resolved)]
    [InlineData(ComplaintTerms.Rejected)]
    public void Every_message_to_a_complainant_is_one_plain_sms_in_indonesian(string status)
    {
        var complaint = new Complaint
        {
            Ticket = "ADU-K7QM-X4PN",
            Category = "biaya-berobat",
            Channel = "portal",
            Status = status,
            ComplainantName = "Sri",
            Description = "Biaya berobat di puskesmas.",
            HandlerKind = "opd",
            HandlerCode = "Dinas Kesehatan",
            CreatedBy = "publik",
        };

        var text = ComplaintNotices.ForComplainant(complaint, $"Pengaduan {complaint.Ticket}: baru → {status}");

        Assert.True(SmsText.IsOneSms(text), text);
        Assert.StartsWith("Tuntas: pengaduan ADU-K7QM-X4PN ", text, StringComparison.Ordinal);
        // Nothing of the complaint but its ticket: an SMS is read on a shared phone.
        Assert.DoesNotContain("berobat", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_long_or_decorated_text_is_folded_to_plain_characters_and_cut_to_one_sms()
    {
        var text = SmsText.Fit("Pengaduan “A” baru → diproses — " + new string('x', 200));

        Assert.Equal(160, text.Length);
        Assert.True(SmsText.IsOneSms(text));
        Assert.StartsWith("Pengaduan \"A\" baru ke diproses - x", text, StringComparison.Ordinal);
        Assert.EndsWith("...", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0812-3456-7890", "+6281234567890")]
    [InlineData("6281234567890", "+6281234567890")]
    [InlineData("+62 812 3456 7890", "+6281234567890")]
    [InlineData("0812", null)]
    public void Mobile_numbers_go_to_the_gateway_in_international_form(string contact, string? expected) =>
        Assert.Equal(expected, SmsGatewayChannel.InternationalNumber(contact));

    [Fact]
    public void Retries_wait_four_times_longer_each_time_up_to_six_hours()
    {
        var options = NotificationOptions.Default;

        Assert.Equal([1, 4, 16, 64, 256, 360, 360], Enumerable.Range(1, 7).Select(a => options.RetryAfter(a).TotalMinutes));
    }
}

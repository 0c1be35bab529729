using System.Net;
using Microsoft.EntityFrameworkCore;
using Tuntas.Complaints;
using Tuntas.Notifications;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>
/// The running app delivers: a complaint from the posko with a mobile number, moved on by the village operator,
/// reaches the complainant through the configured SMS gateway (a real HTTP server here) by the background worker;
/// the administrator follows delivery on the outbox page, with the number masked.
/// </summary>
public sealed class NotificationTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_status_change_reaches_the_complainant_by_sms_and_the_administrator_sees_it_masked_on_the_outbox_page(string provider)
    {
        using var gateway = new SmsGatewayDouble();
        await using var app = await CreateAsync(provider, new Dictionary<string, string>
        {
            ["Notifications:Gateway:Url"] = gateway.Url.ToString(),
            ["Notifications:Gateway:Key"] = "kunci-gateway-uji",
            ["Notifications:PollSeconds"] = "1",
        });
        var operatorKeden = await app.SignInAsVillageOperatorAsync();
        string ticket;
        await using (var db = app.Database.CreateDb())
        {
            var filed = await new FileComplaint(db, new Tuntas.Attachments.AttachmentStore(app.UploadFolder), new NotificationOutbox(db, TimeProvider.System,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<NotificationOutbox>.Instance), TimeProvider.System).RunAsync(new FileComplaint.Input(
                "data-salah", ComplaintTerms.ChannelPosko, "Sri Lestari", "0812 3456 7890", null, Keden, "Nama ibu saya salah ditulis di data desa.", "posko", []),
                CancellationToken.None);
            ticket = filed.Complaint!.Ticket;
        }
        long id;
        await using (var db = app.Database.CreateDb())
        {
            id = await db.Complaints.Select(c => c.Id).SingleAsync();
        }
        var changed = await PostFormAsync(operatorKeden, $"/Aduan/{id}", new() { ["Status"] = ComplaintTerms.InProgress, ["Note"] = "" });
        Assert.True(changed.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.SeeOther, changed.StatusCode.ToString());

        // The worker delivers both messages (filed, in progress); bounded wait for the background pass.
        for (var i = 0; i < 300 && gateway.Received.Count < 2; i++)
        {
            await Task.Delay(100);
        }
        var texts = gateway.Received.Select(r => r.Text).ToList();
        Assert.Equal(2, texts.Count);
        Assert.All(gateway.Received, r => Assert.Equal(("Bearer kunci-gateway-uji", "+6281234567890", "sms"), (r.Authorization, r.To, r.Channel)));
        Assert.Contains($"Tuntas: pengaduan {ticket} sedang diproses petugas. Lihat rinciannya di portal Tuntas, menu Lacak pengaduan, dengan nomor tiket ini.", texts);

        var admin = await app.SignInAsAdministratorAsync();
        for (var i = 0; i < 300; i++)
        {
            await using var db = app.Database.CreateDb();
            if (await db.NotificationOutbox.CountAsync(m => m.Status == OutboxStatus.Sent) == 2)
            {
                break;
            }
            await Task.Delay(100);
        }
        var page = await ParseAsync(await admin.GetStringAsync("/Notifikasi"));
        var rows = page.QuerySelectorAll("#kotak-keluar tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Equal("status-" + OutboxStatus.Sent, r.ClassName));
        Assert.All(rows, r => Assert.Contains("•890", r.TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("3456", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Nama ibu", page.Body!.TextContent, StringComparison.Ordinal);

        var refused = await operatorKeden.GetAsync("/Notifikasi");
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden || refused.Headers.Location?.ToString().Contains("Ditolak", StringComparison.Ordinal) == true);
    }
}

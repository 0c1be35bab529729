using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>A TKPKD meeting with attendance, decisions and actions; overdue actions on the owner's home page, in the digest, and moved on handover.</summary>
public sealed class MeetingTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Absences_are_counted_and_an_overdue_action_reaches_its_owner_and_moves_on_handover(string provider)
    {
        await using var app = await CreateAsync(provider);
        var dinsos = await app.AddStakeholderAsync(OfficerOrganization, "pemerintah", "APBD", "Ibu Rina");
        var dinkes = await app.AddStakeholderAsync("Dinas Kesehatan", "pemerintah", "APBD", "dr. Anton");
        var admin = await app.SignInAsAdministratorAsync();
        var scheduled = await admin.PostAsJsonAsync("/api/meetings", new
        {
            kind = "rakor-tkpkd",
            title = "Rakor TKPKD triwulan IV",
            heldAt = DateTime.UtcNow.AddDays(-10),
            agenda = "Evaluasi galat sasaran",
            invitees = new[] { dinsos, dinkes },
        });
        var meetingId = (await scheduled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        // Dinas Kesehatan did not come; Dinas Sosial takes an action, already overdue.
        await PostFormAsync(admin, $"/Kolaborasi/Rapat/{meetingId}?handler=Hadir", new() { ["Hadir"] = dinsos.ToString(CultureInfo.InvariantCulture), ["Minutes"] = "Dihadiri Dinsos." });
        await PostFormAsync(admin, $"/Kolaborasi/Rapat/{meetingId}?handler=Keputusan", new() { ["Decision"] = "Verifikasi ulang 120 penerima desil 6–10." });
        await PostFormAsync(admin, $"/Kolaborasi/Rapat/{meetingId}?handler=TindakLanjut", new()
        {
            ["ActionText"] = "Kirim daftar verifikasi ke desa",
            ["Owner"] = dinsos.ToString(CultureInfo.InvariantCulture),
            ["DueOn"] = DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        var attendance = await admin.GetFromJsonAsync<JsonElement>("/api/meetings/attendance");
        Assert.Equal("Dinas Kesehatan", attendance[0].GetProperty("stakeholder").GetString());
        Assert.Equal(1, attendance[0].GetProperty("absent").GetInt32());

        // The owner's home page shows it; the officer (Dinas Sosial Kabupaten) is that owner.
        var officer = await app.SignInAsAgencyOfficerAsync();
        var home = await ParseAsync(await officer.GetStringAsync("/"));
        Assert.Contains("Kirim daftar verifikasi ke desa", home.QuerySelector("#tindak-lanjut-saya")?.TextContent, StringComparison.Ordinal);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var digest = scope.ServiceProvider.GetRequiredService<WeeklyDigest>();
            // The worker sent this week's digest at start-up (nothing was due then); forced, it goes out again now.
            var sent = await digest.RunAsync(force: true, CancellationToken.None);
            Assert.Equal((true, 1, 1), (sent.Sent, sent.Stakeholders, sent.Overdue));
            Assert.False((await digest.RunAsync(force: false, CancellationToken.None)).Sent); // once a week
            var handover = await scope.ServiceProvider.GetRequiredService<HandOverContact>().RunAsync(
                new HandOverContact.Input(dinsos, "Pak Joko", "Kabid", null, null, "Bu Rina pensiun; daftar verifikasi belum dikirim.", "uji"), CancellationToken.None);
            Assert.Equal(1, handover.CommitmentsMoved);
        }
        await using var db = app.Database.CreateDb();
        var action = await db.ActionItems.SingleAsync();
        Assert.Equal(await db.StakeholderContacts.Where(c => c.Name == "Pak Joko").Select(c => c.Id).SingleAsync(), action.OwnerContactId);

        // The owner closes it; it leaves the home page.
        await PostFormAsync(officer, $"/Kolaborasi/Rapat/{meetingId}?handler=Tutup", new() { ["ActionId"] = action.Id.ToString(CultureInfo.InvariantCulture), ["Done"] = "true" });
        Assert.Null((await ParseAsync(await officer.GetStringAsync("/"))).QuerySelector("#tindak-lanjut-saya"));
    }
}

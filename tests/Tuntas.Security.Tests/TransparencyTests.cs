using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Complaints;
using Tuntas.Testing;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// The anonymous transparency page must not be a lever on the database (a probe held it to 6.6 requests/s): its
/// figures are kept by data state and computed again only when the data moves, complaints are read grouped, and each
/// client is rate limited (OWASP ASVS 11.1.4). Throughput itself is measured in bench/load/transparency.sh.
/// </summary>
public sealed class TransparencyTests
{
    private static Dictionary<string, string> EveryViewChecksTheMarker() => new() { ["Tuntas:Public:CacheRecheckSeconds"] = "0" };

    private static async Task AddComplaintsAsync(TuntasWebFactory app, string village, params double?[] daysToResolve)
    {
        await using var db = app.Database.CreateDb();
        var created = new DateTime(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
        foreach (var days in daysToResolve)
        {
            db.Complaints.Add(new Complaint
            {
                Ticket = ComplaintTicket.New(),
                Category = "lainnya",
                Channel = ComplaintTerms.ChannelPortal,
                KodeDesa = village,
                ComplainantName = "Pelapor",
                Description = "Uraian pengaduan uji.",
                HandlerKind = ComplaintTerms.Tkpkd,
                HandlerCode = "TKPKD",
                CreatedBy = "uji",
                CreatedAt = created,
                UpdatedAt = created,
                DueAt = created.AddDays(14),
                Status = days is null ? ComplaintTerms.New : ComplaintTerms.Resolved,
                ResolvedAt = days is { } d ? created.AddDays(d) : null,
            });
        }
        await db.SaveChangesAsync();
    }

    private static async Task<JsonElement> TotalAsync(HttpClient client) =>
        (await JsonSerializer.DeserializeAsync<JsonElement>(await client.GetStreamAsync("/api/public/transparency/33.14.01"))).GetProperty("total").GetProperty("values");

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Complaint_figures_are_read_grouped_with_the_median_days_of_the_resolved_ones(string provider)
    {
        await using var app = await CreateAsync(provider, EveryViewChecksTheMarker());
        // Resolved after 1, 2.4, 2.6, 4 and 10 days (whole days 1, 2, 3, 4, 10: median 3), and two still open.
        await AddComplaintsAsync(app, Keden, 1, 2.4, 2.6, 4, 10, null, null);
        await AddComplaintsAsync(app, Trobayan, 3, 3, 3, 3, 3);
        var total = await TotalAsync(app.CreateClient());
        Assert.Equal(12, total.GetProperty("pengaduan_diterima").GetInt64());
        Assert.Equal(10, total.GetProperty("pengaduan_selesai").GetInt64());
        Assert.Equal(3, total.GetProperty("median_hari_selesai").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_figures_are_kept_until_the_data_state_moves(string provider)
    {
        await using var app = await CreateAsync(provider, EveryViewChecksTheMarker());
        await AddComplaintsAsync(app, Keden, null, null, null, null, null, null);
        var citizen = app.CreateClient();
        Assert.Equal(0, (await TotalAsync(citizen)).GetProperty("pengaduan_selesai").GetInt64());

        // A change that leaves the data state's marker where it was (no new row, no update time): the kept figures stand,
        // so views are not reading the complaints.
        await using (var db = app.Database.CreateDb())
        {
            await db.Complaints.ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ComplaintTerms.Resolved));
        }
        Assert.Equal(0, (await TotalAsync(citizen)).GetProperty("pengaduan_selesai").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await citizen.GetAsync("/Publik/Transparansi/33.14.01")).StatusCode);

        // The marker moves (as every real change does: ChangeComplaintStatus stamps updated_at): the figures follow.
        await using (var db = app.Database.CreateDb())
        {
            await db.Complaints.ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, DateTime.UtcNow));
        }
        Assert.Equal(6, (await TotalAsync(citizen)).GetProperty("pengaduan_selesai").GetInt64());
        await AddComplaintsAsync(app, Keden, [null]);
        Assert.Equal(7, (await TotalAsync(citizen)).GetProperty("pengaduan_diterima").GetInt64());
    }

    [Fact]
    public async Task A_client_over_its_budget_gets_429_with_the_real_wait_on_the_page_and_the_api()
    {
        await using var app = await CreateAsync("Sqlite", new Dictionary<string, string> { ["Tuntas:Public:TransparencyPerMinute"] = "3" });
        var client = app.CreateBrowser();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(i == 1 ? "/api/public/transparency/33.14.01/csv" : "/Publik/Transparansi")).StatusCode);
        }
        var page = await client.GetAsync("/Publik/Transparansi");
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.InRange(page.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 20); // three a minute: one token back every 20 s
        var api = await client.GetAsync("/api/public/transparency/33.14.01");
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        // Only the transparency side is limited this way: the portal's home page still answers.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Publik")).StatusCode);
    }
}

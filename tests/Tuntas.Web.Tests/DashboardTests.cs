using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Demo;
using Tuntas.Regions;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The dashboard: home and kecamatan pages, the map's JSON, the table export, region scope.</summary>
public sealed class DashboardTests
{
    private const int DemoFamilies = 600;
    private static readonly CultureInfo _id = new("id");

    private static async Task<TuntasWebFactory> CreateWithRunAsync(string provider)
    {
        var app = await CreateAsync(provider);
        var seeded = await new SeedDemoRegistry(app.Database, TimeProvider.System)
            .RunAsync(new GenerateDemoRegistry.Input("33.14", DemoFamilies, 3), null, CancellationToken.None);
        Assert.True(seeded.Import.Committed, seeded.Import.Failure);
        await new RunTargeting(app.Database, TimeProvider.System).RunAsync(new("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);
        return app;
    }

    private static async Task<Dictionary<(string Village, string Measure), long>> StoredAsync(TuntasWebFactory app)
    {
        var stored = new Dictionary<(string, string), long>();
        await using var connection = await app.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kode_desa, measure, value FROM village_indicators";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }
        return stored;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Home_shows_the_regency_totals_and_the_api_one_entry_per_village_equal_to_the_pre_aggregate(string provider)
    {
        await using var app = await CreateWithRunAsync(provider);
        var client = await app.SignInAsAdministratorAsync();

        var home = await ParseAsync(await client.GetStringAsync("/"));
        Assert.Equal(DemoFamilies.ToString("N0", _id), home.QuerySelector("#jumlah-keluarga")!.TextContent);
        int persons, villages, districts;
        await using (var db = app.Database.CreateDb())
        {
            persons = await db.Persons.CountAsync();
            villages = await db.Regions.CountAsync(r => r.Level == Region.Village && r.Code.StartsWith("33.14."));
            districts = await db.Regions.CountAsync(r => r.Level == Region.District && r.Code.StartsWith("33.14."));
        }
        Assert.Equal(persons.ToString("N0", _id), home.QuerySelector("#jumlah-jiwa")!.TextContent);
        Assert.Equal(districts, home.QuerySelectorAll("#wilayah tbody tr").Length);
        Assert.Equal(DemoFamilies, home.QuerySelectorAll("#wilayah tbody tr").Sum(tr => int.Parse(tr.QuerySelector("td.num")!.TextContent, NumberStyles.AllowThousands, _id)));
        Assert.Equal(10, home.QuerySelectorAll("#grafik-desil rect").Length);
        Assert.NotEmpty(home.QuerySelectorAll("#grafik-program rect"));
        Assert.Equal("/geo/villages_3314_sragen.geojson", home.QuerySelector("#peta")!.GetAttribute("data-geo"));

        var stored = await StoredAsync(app);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/dashboard/33.14"));
        var entries = json.RootElement.GetProperty("villages").EnumerateArray().ToList();
        Assert.Equal(villages, entries.Count);
        Assert.Equal(villages, entries.Select(e => e.GetProperty("code").GetString()).Distinct().Count());
        foreach (var entry in entries)
        {
            var code = entry.GetProperty("code").GetString()!;
            var values = entry.GetProperty("values");
            foreach (var ((village, measure), value) in stored.Where(s => s.Key.Village == code))
            {
                Assert.Equal(value, values.GetProperty(measure).GetInt64());
            }
        }
        var totals = json.RootElement.GetProperty("totals");
        Assert.Equal(DemoFamilies, totals.GetProperty("keluarga").GetInt64());
        Assert.Equal(stored.Where(s => s.Key.Measure == "miskin_bps").Sum(s => s.Value), totals.GetProperty("miskin_bps").GetInt64());
        Assert.Equal(home.QuerySelector("#jumlah-miskin")!.TextContent, totals.GetProperty("miskin_bps").GetInt64().ToString("N0", _id));

        // A kecamatan's dashboard lists its villages; the geometry is served with caching headers.
        var district = await ParseAsync(await client.GetStringAsync("/Wilayah/Kecamatan/33.14.01"));
        Assert.All(district.QuerySelectorAll("#wilayah tbody tr"), tr => Assert.StartsWith("33.14.01.", tr.GetAttribute("data-code"), StringComparison.Ordinal));
        var geo = await client.GetAsync("/geo/villages_3314_sragen.geojson");
        Assert.Equal(HttpStatusCode.OK, geo.StatusCode);
        Assert.Equal("application/geo+json", geo.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromDays(1), geo.Headers.CacheControl?.MaxAge);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_table_exports_as_csv_and_xlsx(string provider)
    {
        await using var app = await CreateWithRunAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        var csv = await client.GetAsync("/api/dashboard/33.14/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("dasbor-33-14.csv", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("KODE,NAMA,KELUARGA,JIWA,MISKIN_14_KRITERIA,DESIL_1_4,MENERIMA_BANTUAN,SALAH_INKLUSI,SALAH_EKSKLUSI,DESIL_1_TANPA_BANTUAN,DESIL_1,", lines[0], StringComparison.Ordinal);
        Assert.Equal(DemoFamilies, lines.Skip(1).Sum(l => int.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)));
        var xlsx = await client.GetAsync("/api/dashboard/33.14.01/export?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.Equal((byte)'P', bytes[0]);
        Assert.Equal((byte)'K', bytes[1]);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_sees_only_their_village_and_anonymous_gets_401(string provider)
    {
        await using var app = await CreateWithRunAsync(provider);
        var anonymous = app.CreateBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/dashboard/33.14")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/dashboard/33.14/export")).StatusCode);

        long kedenFamilies;
        await using (var db = app.Database.CreateDb())
        {
            kedenFamilies = await db.Families.CountAsync(f => f.KodeDesa == Keden);
        }
        var client = await app.SignInAsVillageOperatorAsync();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/dashboard/33.14"));
        var village = Assert.Single(json.RootElement.GetProperty("villages").EnumerateArray().ToList());
        Assert.Equal(Keden, village.GetProperty("code").GetString());
        Assert.Equal(kedenFamilies, json.RootElement.GetProperty("totals").GetProperty("keluarga").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/dashboard/33.14.02")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/dashboard/" + Trobayan)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/Wilayah/Kecamatan/33.14.02")).StatusCode);

        // The operator's home is their village's, named as such under its kecamatan — not the regency's page with the
        // village's families on a kecamatan row.
        var home = await ParseAsync(await client.GetStringAsync("/"));
        string villageName, districtName;
        await using (var db = app.Database.CreateDb())
        {
            villageName = await db.Regions.Where(r => r.Code == Keden).Select(r => r.Name).SingleAsync();
            districtName = await db.Regions.Where(r => r.Code == "33.14.01").Select(r => r.Name).SingleAsync();
        }
        Assert.Equal(villageName, home.QuerySelector("h1")!.TextContent);
        Assert.Equal(districtName, home.QuerySelector("#wilayah-induk")!.TextContent);
        Assert.Equal(kedenFamilies.ToString("N0", _id), home.QuerySelector("#jumlah-keluarga")!.TextContent);
        Assert.Empty(home.QuerySelectorAll("#wilayah tbody tr"));
        var csv = await client.GetStringAsync("/api/dashboard/33.14.01/export");
        Assert.Equal(2, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_home_page_counts_the_users_own_work_as_the_lists_behind_it_do(string provider)
    {
        await using var app = await CreateWithRunAsync(provider);
        var now = DateTime.UtcNow;
        await using (var db = app.Database.CreateDb())
        {
            Tuntas.Complaints.Complaint Complaint(string ticket, string village, string status, DateTime due) => new()
            {
                Ticket = ticket,
                Category = "data",
                Channel = "posko",
                Status = status,
                KodeDesa = village,
                ComplainantName = "Warga",
                Description = "Data keluarga salah",
                HandlerKind = "desa",
                HandlerCode = village,
                DueAt = due,
                CreatedBy = "posko",
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Complaints.AddRange(
                Complaint("ADU-1", Keden, "baru", now.AddDays(3)),
                Complaint("ADU-2", Keden, "baru", now.AddDays(-1)),
                Complaint("ADU-3", Keden, "diproses", now.AddDays(5)),
                Complaint("ADU-4", Keden, "selesai", now.AddDays(-9)),
                Complaint("ADU-5", "33.14.02.2001", "baru", now.AddDays(-2)));
            db.ChangeRequests.AddRange(
                new Tuntas.Complaints.ChangeRequest { KodeDesa = Keden, Source = "kunjungan-lapangan", Description = "Lantai sudah keramik", Status = "baru", CreatedBy = "pendamping", CreatedAt = now },
                new Tuntas.Complaints.ChangeRequest { KodeDesa = Keden, Source = "kunjungan-lapangan", Description = "Sudah pindah", Status = "ditolak", CreatedBy = "pendamping", CreatedAt = now },
                new Tuntas.Complaints.ChangeRequest { KodeDesa = "33.14.02.2001", Source = "kunjungan-lapangan", Description = "Lain desa", Status = "baru", CreatedBy = "pendamping", CreatedAt = now });
            await db.SaveChangesAsync();
            Assert.Null((await new Tuntas.Verivali.OpenPeriod(db, TimeProvider.System).RunAsync(new("Semester I 2027", "dinsos"), CancellationToken.None)).Problem);
        }
        var client = await app.SignInAsVillageOperatorAsync();
        var home = await ParseAsync(await client.GetStringAsync("/"));
        int Card(string id) => int.Parse(home.QuerySelector($"#{id} b")!.TextContent, NumberStyles.AllowThousands, _id);
        async Task<int> Rows(string href, string selector) => (await ParseAsync(await client.GetStringAsync(href))).QuerySelectorAll(selector).Length;

        Assert.Equal(2, Card("aduan-baru"));
        Assert.Equal(await Rows(home.QuerySelector("#aduan-baru")!.GetAttribute("href")!, "table tbody tr"), Card("aduan-baru"));
        Assert.Equal(1, Card("aduan-diproses"));
        Assert.Equal(await Rows(home.QuerySelector("#aduan-diproses")!.GetAttribute("href")!, "table tbody tr"), Card("aduan-diproses"));
        Assert.Equal(1, Card("aduan-terlambat")); // ADU-2 past due; ADU-4 resolved, so not late; ADU-5 another village
        Assert.Equal(await Rows(home.QuerySelector("#aduan-terlambat")!.GetAttribute("href")!, "table tbody tr"), Card("aduan-terlambat"));
        Assert.Equal(1, Card("usulan-terbuka"));
        long kedenFamilies;
        await using (var db = app.Database.CreateDb())
        {
            kedenFamilies = await db.Families.CountAsync(f => f.KodeDesa == Keden);
        }
        Assert.Equal(kedenFamilies, Card("baris-dikunjungi"));
        Assert.Null(home.QuerySelector("#baris-ditinjau")); // nothing visited yet: no card for zero
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_openapi_document_describes_the_dashboard_api(string provider)
    {
        await using var app = await CreateAsync(provider);
        using var document = JsonDocument.Parse(await app.CreateBrowser().GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/dashboard/{code}", out _));
        Assert.True(paths.TryGetProperty("/api/dashboard/{code}/export", out _));
    }
}

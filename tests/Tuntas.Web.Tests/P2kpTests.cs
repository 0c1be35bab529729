using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>P2KP through the API and the back office (docs/p2kp.md): import, indicators within scope, a KSM from formation to a repayment.</summary>
public sealed class P2kpTests
{
    private static ByteArrayContent ZipOf(string folder)
    {
        var zip = Path.Combine(Path.GetTempPath(), "tuntas-upk-" + Guid.NewGuid().ToString("N") + ".zip");
        ZipFile.CreateFromDirectory(folder, zip);
        return new ByteArrayContent(File.ReadAllBytes(zip));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_loan_book_imported_through_the_api_gives_the_spec_indicators_within_each_users_scope(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.AddUserAsync("operator.trobayan", "rahasia-operator-456", Roles.VillageOperator, Trobayan);
        await app.AddUserAsync("mitra.csr", "rahasia-mitra-789", Roles.Partner, organization: "PT Contoh");
        var admin = await app.SignInAsAdministratorAsync();
        using (var form = new MultipartFormDataContent { { ZipOf(new LoanBookFiles().WriteFolder()), "file", "upk.zip" } })
        {
            var response = await admin.PostAsync("/api/upk/import", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("committed").GetBoolean());
        }
        using (var bad = new MultipartFormDataContent { { ZipOf(new LoanBookFiles().Add("PEMBAYARAN", "P-001,2025-12-01,1,0").WriteFolder()), "file", "salah.zip" } })
        {
            var response = await admin.PostAsync("/api/upk/import?dryRun=true", bad);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("PAYMENT_BEFORE_DISBURSEMENT", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("code").GetString());
        }

        var kinerja = await admin.GetFromJsonAsync<JsonElement>("/api/upk/kinerja?per=2026-07-31");
        var upk = kinerja.GetProperty("upk")[0];
        Assert.Equal(75.0, upk.GetProperty("rr").GetDouble());
        Assert.Equal("cukup", upk.GetProperty("nilai").GetProperty("roi").GetString());

        var keden = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(1, (await keden.GetFromJsonAsync<JsonElement>("/api/upk/kinerja?per=2026-07-31")).GetProperty("upk").GetArrayLength());
        var ksm = await keden.GetFromJsonAsync<JsonElement>("/api/upk/ksm");
        var members = await keden.GetFromJsonAsync<JsonElement>($"/api/upk/ksm/{ksm[0].GetProperty("id").GetInt64()}/members");
        Assert.Contains("••••", members[0].GetProperty("nik").GetString(), StringComparison.Ordinal);

        var trobayan = await app.SignInAsync("operator.trobayan", "rahasia-operator-456");
        Assert.Equal(0, (await trobayan.GetFromJsonAsync<JsonElement>("/api/upk/kinerja?per=2026-07-31")).GetProperty("upk").GetArrayLength());
        Assert.Equal(0, (await trobayan.GetFromJsonAsync<JsonElement>("/api/upk/ksm")).GetArrayLength());
        using (var form = new MultipartFormDataContent { { ZipOf(new LoanBookFiles().WriteFolder()), "file", "upk.zip" } })
        {
            var response = await trobayan.PostAsync("/api/upk/import", form);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("OUTSIDE_SCOPE", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("code").GetString());
        }

        var partner = await app.SignInAsync("mitra.csr", "rahasia-mitra-789");
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/api/upk/ksm/{ksm[0].GetProperty("id").GetInt64()}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/P2kp?per=2026-07-31")).StatusCode);

        var page = await ParseAsync(await admin.GetStringAsync("/P2kp?per=2026-07-31"));
        Assert.Contains("75", page.QuerySelector("#kinerja tr[data-kode='UPK-3314-01']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(12, page.QuerySelectorAll("#tren tbody tr").Length);
        Assert.Null(page.QuerySelector("#tanggal-salah"));
        // A date that does not exist is said, not silently replaced by today's figures.
        var badDate = await ParseAsync(await admin.GetStringAsync("/P2kp?per=2026-02-30"));
        Assert.Contains("bukan tanggal", badDate.QuerySelector("#tanggal-salah")!.TextContent, StringComparison.Ordinal);
        var report = await admin.GetAsync("/P2kp/Laporan/UPK-3314-01?bulan=2026-07&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report.Content.Headers.ContentType!.MediaType);
        var worklist = await ParseAsync(await admin.GetStringAsync("/P2kp/Tagihan?per=2026-08-31"));
        Assert.Single(worklist.QuerySelectorAll("#tagihan tbody tr"));
    }

    /// <summary>Five Keden families, their BKM, a KSM of them formed through the back office, and its loan of 1 000 000 (10 months) disbursed on 2026-01-15.</summary>
    private static async Task<(HttpClient Client, List<Tuntas.Registry.Family> Families, string LoanUrl)> KsmWithDisbursedLoanAsync(TuntasWebFactory app)
    {
        var families = new List<Tuntas.Registry.Family>();
        for (var i = 0; i < 5; i++)
        {
            families.Add(await app.SeedFamilyAsync(Keden, new SeededMember($"Warga Mawar {i}", 2, new DateOnly(1980 + i, 3, 4), 1)));
        }
        var client = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, "/P2kp/Bkm?handler=Bkm", new() { ["KodeDesa"] = Keden, ["Name"] = "BKM Keden Makmur" })).StatusCode);
        await using var db = app.Database.CreateDb();
        var upk = await db.Upks.SingleAsync();
        var fields = new Dictionary<string, string>
        {
            ["UpkId"] = upk.Id.ToString(CultureInfo.InvariantCulture),
            ["Name"] = "KSM Mawar",
            ["Jenis"] = "EKONOMI",
            ["FormedOn"] = "2026-01-05",
            ["KetuaPersonId"] = families[0].Persons.First().Id.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < families.Count; i++)
        {
            fields[$"PersonIds[{i}]"] = families[i].Persons.First().Id.ToString(CultureInfo.InvariantCulture);
        }
        var formed = await PostFormAsync(client, "/P2kp/KsmBaru", fields);
        Assert.True(formed.StatusCode == HttpStatusCode.Redirect, (await ParseAsync(await formed.Content.ReadAsStringAsync())).QuerySelector(".error")?.TextContent);
        var ksmUrl = formed.Headers.Location!.OriginalString;
        var members = await db.KsmMembers.OrderBy(m => m.Id).ToListAsync();
        var proposal = new Dictionary<string, string> { ["Principal"] = "1000000", ["RatePercent"] = "1.5", ["Method"] = "FLAT", ["TermMonths"] = "10" };
        foreach (var m in members)
        {
            proposal[$"Shares[{m.Id}]"] = "200000";
        }
        var proposed = await PostFormAsync(client, ksmUrl + "?handler=Propose", proposal);
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        var loanUrl = proposed.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, loanUrl + "?handler=Approve", new() { ["On"] = "2026-01-10" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, loanUrl + "?handler=Disburse", new() { ["On"] = "2026-01-15", ["FirstDueOn"] = "2026-02-15" })).StatusCode);
        return (client, families, loanUrl);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_forms_a_ksm_from_the_registry_and_a_repayment_posted_twice_is_recorded_once(string provider)
    {
        await using var app = await CreateAsync(provider);
        var (client, families, loanUrl) = await KsmWithDisbursedLoanAsync(app);
        await using var db = app.Database.CreateDb();
        var repayment = new Dictionary<string, string> { ["On"] = "2026-02-15", ["RepayPrincipal"] = "100000", ["RepayService"] = "15000", ["Receipt"] = "KW-0001" };
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, loanUrl + "?handler=Repay", new(repayment))).StatusCode);
        var twice = await PostFormAsync(client, loanUrl + "?handler=Repay", new(repayment));
        Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        Assert.Contains("KW-0001", (await ParseAsync(await twice.Content.ReadAsStringAsync())).QuerySelector(".error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await db.UpkRepayments.CountAsync());
        var loanPage = await ParseAsync(await client.GetStringAsync(loanUrl));
        Assert.Equal(10, loanPage.QuerySelectorAll("#jadwal tbody tr").Length);
        Assert.Equal(5, loanPage.QuerySelectorAll("#bagian-anggota tbody tr").Length);

        // A disbursed loan is never deleted.
        var withdraw = await PostFormAsync(client, loanUrl + "?handler=Withdraw", []);
        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        Assert.Equal(1, await db.UpkLoans.CountAsync());

        var family = await ParseAsync(await client.GetStringAsync($"/Keluarga/{families[2].Id}"));
        Assert.Contains("KSM Mawar", family.QuerySelector("#ksm-keluarga")!.TextContent, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_loan_is_restructured_from_its_page_and_the_api_and_graduation_counts_members_leaving_deciles_1_to_4(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.AddUserAsync("operator.trobayan", "rahasia-operator-456", Roles.VillageOperator, Trobayan);
        var (client, families, loanUrl) = await KsmWithDisbursedLoanAsync(app);
        await using var db = app.Database.CreateDb();

        // Refused on the page: nothing written.
        var restructure = new Dictionary<string, string> { ["On"] = "2026-04-01", ["Reason"] = "usaha terdampak banjir", ["TermMonths"] = "40", ["FirstDueOn"] = "2026-05-01" };
        var refused = await PostFormAsync(client, loanUrl + "?handler=Restructure", new(restructure));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotNull((await ParseAsync(await refused.Content.ReadAsStringAsync())).QuerySelector(".error"));
        Assert.Equal(1, await db.UpkLoans.CountAsync());

        restructure["TermMonths"] = "6";
        var done = await PostFormAsync(client, loanUrl + "?handler=Restructure", new(restructure));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var newPage = await ParseAsync(await client.GetStringAsync(done.Headers.Location!.OriginalString));
        Assert.Equal(6, newPage.QuerySelectorAll("#jadwal tbody tr").Length);
        Assert.Equal(loanUrl, newPage.QuerySelector("#pinjaman-lama a")!.GetAttribute("href"));
        var oldPage = await ParseAsync(await client.GetStringAsync(loanUrl));
        Assert.Equal("direstrukturisasi", oldPage.QuerySelector("#status-pinjaman")!.TextContent);
        Assert.NotNull(oldPage.QuerySelector("#pinjaman-baru a"));

        // Through the API: the new loan restructured again; a bad term is a problem with its code, another village's operator is refused.
        var newId = long.Parse(done.Headers.Location!.OriginalString.Split('/', '?')[3], CultureInfo.InvariantCulture);
        var badTerm = await client.PostAsJsonAsync($"/api/upk/loans/{newId}/restructure", new { on = "2026-06-01", reason = "gagal panen", termMonths = 0, firstDueOn = "2026-07-01" });
        Assert.Equal(HttpStatusCode.BadRequest, badTerm.StatusCode);
        Assert.Contains("OUT_OF_RANGE", await badTerm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var trobayan = await app.SignInAsync("operator.trobayan", "rahasia-operator-456");
        var elsewhere = await trobayan.PostAsJsonAsync($"/api/upk/loans/{newId}/restructure", new { on = "2026-06-01", reason = "gagal panen", termMonths = 12, firstDueOn = "2026-07-01" });
        Assert.Contains("FORBIDDEN", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await client.PostAsJsonAsync($"/api/upk/loans/{newId}/restructure", new { on = "2026-06-01", reason = "gagal panen", termMonths = 12, firstDueOn = "2026-07-01" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.EndsWith("-R-R", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nomor").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await db.UpkLoans.CountAsync());

        // Graduation: two runs, the first current at the join date (2026-01-05); families 0 and 1 leave desil 1–4.
        var familyIds = families.Select(f => f.Id).ToList();
        await P2kpSeeds.AddRunAsync(db, new DateOnly(2025, 12, 1), Keden, familyIds, [1, 3, 4, 8, 2]);
        await P2kpSeeds.AddRunAsync(db, new DateOnly(2026, 10, 1), Keden, familyIds, [6, 5, 4, 8, 2]);
        var upk = await db.Upks.SingleAsync();
        var graduation = await client.GetFromJsonAsync<JsonElement>("/api/upk/kelulusan?upk=" + upk.Kode);
        var row = graduation.GetProperty("upk")[0];
        Assert.Equal((5, 4, 2, 2), (row.GetProperty("families").GetInt32(), row.GetProperty("poorAtJoin").GetInt32(), row.GetProperty("poorNow").GetInt32(), row.GetProperty("left").GetInt32()));
        Assert.Equal(50.0, row.GetProperty("leftPercent").GetDouble());
        Assert.Equal(1, graduation.GetProperty("ksm").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await trobayan.GetAsync("/api/upk/kelulusan?upk=" + upk.Kode)).StatusCode);
        Assert.Equal(0, (await trobayan.GetFromJsonAsync<JsonElement>("/api/upk/kelulusan")).GetProperty("upk").GetArrayLength());

        var page = await ParseAsync(await client.GetStringAsync("/P2kp/Kelulusan"));
        Assert.Equal("2", page.QuerySelector($"#kelulusan tr[data-kode='{upk.Kode}'] td.lulus")!.TextContent);
        var index = await ParseAsync(await client.GetStringAsync("/P2kp"));
        Assert.NotNull(index.QuerySelector("a[href='/P2kp/Kelulusan']"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_community_maps_an_rt_from_the_back_office_and_the_api_shows_where_it_disagrees_with_the_deciles(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.AddUserAsync("operator.trobayan", "rahasia-operator-456", Roles.VillageOperator, Trobayan);
        var families = new List<Tuntas.Registry.Family>();
        for (var i = 0; i < 3; i++)
        {
            families.Add(await app.SeedFamilyAsync(Keden, new SeededMember($"Warga Melati {i}", 1, new DateOnly(1975 + i, 5, 6), 1)));
        }
        var client = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, "/P2kp/Bkm?handler=Bkm", new() { ["KodeDesa"] = Keden, ["Name"] = "BKM Keden Makmur" })).StatusCode);
        await using var db = app.Database.CreateDb();
        await P2kpSeeds.AddRunAsync(db, new DateOnly(2026, 6, 1), Keden, [.. families.Select(f => f.Id)], [9, 1, 4]);

        // The operator's one desa is shown; the seeded families are in RT 002.
        var page = await ParseAsync(await client.GetStringAsync("/P2kp/Pemetaan?tahun=2026"));
        Assert.Contains("3", page.QuerySelector("#pemetaan-rt tr[data-rt='2']")!.TextContent, StringComparison.Ordinal);
        var url = $"/P2kp/Pemetaan?desa={Keden}&tahun=2026&rt=2";
        Assert.Equal(3, (await ParseAsync(await client.GetStringAsync(url))).QuerySelectorAll("#keluarga-rt tbody tr").Length);

        var bad = await PostFormAsync(client, url, new() { [$"Categories[{families[0].Id}]"] = "kaya" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("hampir miskin", (await ParseAsync(await bad.Content.ReadAsStringAsync())).QuerySelector(".error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await db.CommunityMaps.CountAsync());

        var saved = await PostFormAsync(client, url, new()
        {
            [$"Categories[{families[0].Id}]"] = "1",
            [$"Categories[{families[1].Id}]"] = "3",
            [$"Categories[{families[2].Id}]"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await ParseAsync(await client.GetStringAsync(saved.Headers.Location!.OriginalString));
        Assert.NotNull(after.QuerySelector("#pemetaan-dicatat"));
        Assert.Contains("Warga Melati 0", after.QuerySelector("#miskin-mampu")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Warga Melati 1", after.QuerySelector("#mampu-miskin")!.TextContent, StringComparison.Ordinal);

        var overview = await client.GetFromJsonAsync<JsonElement>($"/api/upk/pemetaan/{Keden}?tahun=2026");
        Assert.Equal(2, overview.GetProperty("comparison").GetProperty("ranked").GetInt32());
        Assert.Equal(families[0].Id, overview.GetProperty("comparison").GetProperty("communityPoorModelRich")[0].GetProperty("familyId").GetInt64());
        var refused = await client.PostAsJsonAsync("/api/upk/pemetaan", new { kodeDesa = Keden, rt = "", tahun = 2026, kategori = new Dictionary<long, string> { [families[2].Id] = "miskin" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("REQUIRED", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var recorded = await client.PostAsJsonAsync("/api/upk/pemetaan", new { kodeDesa = Keden, rt = "002", tahun = 2026, kategori = new Dictionary<long, string> { [families[2].Id] = "hampir miskin" } });
        Assert.Equal(1, (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recorded").GetInt32());
        Assert.Equal(3, await db.CommunityMaps.CountAsync());

        var trobayan = await app.SignInAsync("operator.trobayan", "rahasia-operator-456");
        Assert.Equal(HttpStatusCode.NotFound, (await trobayan.GetAsync($"/api/upk/pemetaan/{Keden}?tahun=2026")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trobayan.GetAsync(url)).StatusCode);
        var elsewhere = await trobayan.PostAsJsonAsync("/api/upk/pemetaan", new { kodeDesa = Keden, rt = "2", tahun = 2026, kategori = new Dictionary<long, string> { [families[2].Id] = "miskin" } });
        Assert.Contains("FORBIDDEN", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bkm_draws_up_its_pjm_and_renta_and_a_csr_commitment_funding_an_activity_shows_on_both_sides(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.AddUserAsync("operator.trobayan", "rahasia-operator-456", Roles.VillageOperator, Trobayan);
        var client = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, "/P2kp/Bkm?handler=Bkm", new() { ["KodeDesa"] = Keden, ["Name"] = "BKM Keden Makmur" })).StatusCode);
        await using var db = app.Database.CreateDb();
        var bkm = await db.Bkms.SingleAsync();
        var (commitment, need) = await P2kpSeeds.CommitmentAsync(db, Keden, 30_000_000);

        var plan = new Dictionary<string, string> { ["BkmId"] = bkm.Id.ToString(CultureInfo.InvariantCulture), ["Kind"] = "RENTA", ["Year"] = "2026", ["Title"] = "Renta 2026" };
        var early = await PostFormAsync(client, "/P2kp/Rencana", new(plan));
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Contains("PJM", (await ParseAsync(await early.Content.ReadAsStringAsync())).QuerySelector(".error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, "/P2kp/Rencana", new(plan) { ["Kind"] = "PJM", ["Year"] = "2025", ["Title"] = "PJM Pronangkis 2025–2027" })).StatusCode);
        var renta = await PostFormAsync(client, "/P2kp/Rencana", new(plan));
        Assert.Equal(HttpStatusCode.Redirect, renta.StatusCode);
        var rentaUrl = renta.Headers.Location!.OriginalString;

        var activity = new Dictionary<string, string>
        {
            ["Pillar"] = "LINGKUNGAN",
            ["Name"] = "Drainase RT 2",
            ["Planned[BLM_APBN]"] = "50000000",
            ["Realised[BLM_APBN]"] = "20000000",
            ["Planned[SWADAYA]"] = "10000000",
            ["Planned[CSR]"] = "35000000",
            ["CommitmentId"] = commitment.ToString(CultureInfo.InvariantCulture),
            ["Latitude"] = "-7.43",
            ["Longitude"] = "111.02",
            ["SwadayaInKind"] = "6000000",
        };
        var over = await PostFormAsync(client, rentaUrl, new(activity));
        Assert.Equal(HttpStatusCode.OK, over.StatusCode);
        Assert.Equal(0, await db.P2kpActivities.CountAsync());
        activity["Planned[CSR]"] = "25000000";
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, rentaUrl, new(activity))).StatusCode);
        var page = await ParseAsync(await client.GetStringAsync(rentaUrl));
        Assert.Contains("PT Gula Manis", page.QuerySelector("#kegiatan tbody tr[data-pillar='LINGKUNGAN'] td.funding")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("85.000.000", page.QuerySelector("#total-anggaran")!.TextContent, StringComparison.Ordinal);

        var map = await ParseAsync(await client.GetStringAsync("/P2kp/Peta"));
        Assert.Contains("Drainase RT 2", map.QuerySelector("#titik-kegiatan tbody tr")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("111.02", map.QuerySelector("#peta")!.GetAttribute("data-points"), StringComparison.Ordinal);

        var admin = await app.SignInAsAdministratorAsync();
        var needPage = await ParseAsync(await admin.GetStringAsync($"/Kolaborasi/Kebutuhan/{need}"));
        Assert.Contains("Drainase RT 2", needPage.QuerySelector($"#mendanai-{commitment}")!.TextContent, StringComparison.Ordinal);

        // The API: the plan with totals, the commitment's side, a refused activity, another village.
        var planId = long.Parse(rentaUrl.Split('/')[3], CultureInfo.InvariantCulture);
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/upk/rencana/{planId}");
        Assert.Equal(25_000_000, view.GetProperty("bySource").GetProperty("CSR").GetProperty("planned").GetInt64());
        Assert.Equal(20_000_000, view.GetProperty("total").GetProperty("realised").GetInt64());
        Assert.Equal(planId, (await client.GetFromJsonAsync<JsonElement>($"/api/upk/pendanaan/{commitment}")).GetProperty("planId").GetInt64());
        var refused = await client.PostAsJsonAsync($"/api/upk/rencana/{planId}/kegiatan", new { pillar = "BUDAYA", name = "Sanggar", budget = new Dictionary<string, object> { ["APBDES"] = new { planned = 5_000_000, realised = 0 } } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("INVALID_CODE", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var grant = await client.PostAsJsonAsync($"/api/upk/rencana/{planId}/kegiatan", new { pillar = "SOSIAL", name = "Santunan lansia", budget = new Dictionary<string, object> { ["APBDES"] = new { planned = 5_000_000, realised = 0 } } });
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/upk/rencana")).GetArrayLength());

        var trobayan = await app.SignInAsync("operator.trobayan", "rahasia-operator-456");
        Assert.Equal(HttpStatusCode.NotFound, (await trobayan.GetAsync($"/api/upk/rencana/{planId}")).StatusCode);
        Assert.Equal(0, (await trobayan.GetFromJsonAsync<JsonElement>("/api/upk/rencana")).GetArrayLength());
        Assert.Equal(0, (await trobayan.GetFromJsonAsync<JsonElement>("/api/upk/peta")).GetArrayLength());
        Assert.Equal(-7.43, (await client.GetFromJsonAsync<JsonElement>("/api/upk/peta?pilar=lingkungan"))[0].GetProperty("latitude").GetDouble());
        var elsewhere = await trobayan.PostAsJsonAsync("/api/upk/rencana", new { bkmId = bkm.Id, kind = "PJM", year = 2028, title = "PJM lain" });
        Assert.Contains("FORBIDDEN", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_works_beneficiaries_progress_photos_and_a_ups_grant_show_on_the_family_page_and_through_the_api(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.AddUserAsync("operator.trobayan", "rahasia-operator-456", Roles.VillageOperator, Trobayan);
        var families = new List<Tuntas.Registry.Family>();
        for (var i = 0; i < 2; i++)
        {
            families.Add(await app.SeedFamilyAsync(Keden, new SeededMember($"Warga Kenanga {i}", 1, new DateOnly(1970 + i, 5, 6), 1)));
        }
        var client = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(client, "/P2kp/Bkm?handler=Bkm", new() { ["KodeDesa"] = Keden, ["Name"] = "BKM Keden Makmur" })).StatusCode);
        await using var db = app.Database.CreateDb();
        var bkm = await db.Bkms.SingleAsync();
        var plan = await (await client.PostAsJsonAsync("/api/upk/rencana", new { bkmId = bkm.Id, kind = "PJM", year = 2025, title = "PJM 2025–2027" })).Content.ReadFromJsonAsync<JsonElement>();
        var planId = plan.GetProperty("id").GetInt64();
        var activityId = (await (await client.PostAsJsonAsync($"/api/upk/rencana/{planId}/kegiatan", new
        {
            pillar = "LINGKUNGAN",
            name = "Jalan setapak RT 2",
            budget = new Dictionary<string, object> { ["BLM_APBN"] = new { planned = 40_000_000, realised = 10_000_000 } }
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        // Beneficiaries from the activity's page: searched by the head's name, ticked, added.
        var url = $"/P2kp/Kegiatan/{activityId}";
        // The search is a POST (a NO_KK typed there never goes into a URL).
        var searchToken = (await ParseAsync(await client.GetStringAsync(url))).QuerySelector("#cari-penerima input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var searched = await client.PostAsync(url + "?handler=Cari", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["cari"] = "kenanga",
            ["__RequestVerificationToken"] = searchToken,
        }));
        var search = await ParseAsync(await searched.Content.ReadAsStringAsync());
        Assert.Equal(2, search.QuerySelectorAll("#tambah-penerima input[name='tambah']").Length);
        var token = search.QuerySelector("#tambah-penerima input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var added = await client.PostAsync(url + "?handler=Penerima", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tambah"] = families[0].Id.ToString(CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Warga Kenanga 0", (await ParseAsync(await client.GetStringAsync(url))).QuerySelector("#daftar-penerima")!.TextContent, StringComparison.Ordinal);
        var other = await app.SeedFamilyAsync(Trobayan, new SeededMember("Warga Trobayan", 1, new DateOnly(1980, 1, 1), 1));
        var refused = await client.PostAsJsonAsync($"/api/upk/kegiatan/{activityId}/penerima", new { add = new[] { other.Id } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("FAMILY_OTHER_VILLAGE", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Progress through the API with a photo (by its bytes), then downloaded with its detected type.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0];
        using (var notPhoto = new MultipartFormDataContent { { new StringContent("2026-10-01"), "on" }, { new StringContent("60"), "percent" }, { new ByteArrayContent("%PDF-1.4"u8.ToArray()), "photos", "jalan.jpg" } })
        {
            var response = await client.PostAsync($"/api/upk/kegiatan/{activityId}/kemajuan", notPhoto);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("ATTACHMENT_TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var report = new MultipartFormDataContent { { new StringContent("2026-10-01"), "on" }, { new StringContent("60"), "percent" }, { new StringContent("pengecoran"), "note" }, { new ByteArrayContent(jpeg), "photos", "jalan.jpg" } })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/upk/kegiatan/{activityId}/kemajuan", report)).StatusCode);
        }
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/upk/kegiatan/{activityId}");
        Assert.Equal(60, view.GetProperty("percent").GetInt32());
        var photoId = view.GetProperty("progress")[0].GetProperty("photos")[0].GetProperty("id").GetInt64();
        var photo = await client.GetAsync($"/api/upk/kegiatan/{activityId}/foto/{photoId}");
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        Assert.Equal(jpeg, await photo.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}?handler=Foto&foto={photoId}")).StatusCode);

        // A UPS grant through the API; both show on the family page.
        var grant = await client.PostAsJsonAsync("/api/upk/bantuan", new { bkmId = bkm.Id, familyId = families[0].Id, givenOn = "2026-08-17", kind = "BEASISWA", amount = 750_000, source = "APBDES" });
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        var elsewhere = await client.PostAsJsonAsync("/api/upk/bantuan", new { bkmId = bkm.Id, familyId = other.Id, givenOn = "2026-08-17", kind = "BEASISWA", amount = 750_000, source = "APBDES" });
        Assert.Contains("FAMILY_OTHER_VILLAGE", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var family = await ParseAsync(await client.GetStringAsync($"/Keluarga/{families[0].Id}"));
        Assert.Contains("Jalan setapak RT 2", family.QuerySelector("#p2kp-kegiatan-keluarga")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("750.000", family.QuerySelector("#p2kp-bantuan-keluarga")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Warga Kenanga 0", (await ParseAsync(await client.GetStringAsync($"/P2kp/Bantuan?desa={Keden}"))).QuerySelector("#bantuan-ups")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/upk/bantuan")).GetProperty("grants").GetArrayLength());

        // The activities as CSV (API and the plan list's download) and the mapping from CSV.
        var csv = await client.GetStringAsync("/api/upk/kegiatan?format=csv");
        Assert.Contains("Jalan setapak RT 2", csv, StringComparison.Ordinal);
        Assert.Contains("Jalan setapak RT 2", await client.GetStringAsync("/P2kp/Rencana?handler=Unduh&format=csv"), StringComparison.Ordinal);
        using (var mapping = new MultipartFormDataContent
        {
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"NO_KK;KATEGORI\n{families[0].NoKk};miskin\n{families[1].NoKk};tidak miskin\n")), "file", "pemetaan.csv" },
            { new StringContent(Keden), "kodeDesa" },
            { new StringContent("2026"), "tahun" },
        })
        {
            var imported = await client.PostAsync("/api/upk/pemetaan/impor", mapping);
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
            Assert.Equal(2, (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recorded").GetInt32());
        }

        // Another village's operator: nothing of it.
        var trobayan = await app.SignInAsync("operator.trobayan", "rahasia-operator-456");
        Assert.Equal(HttpStatusCode.NotFound, (await trobayan.GetAsync($"/api/upk/kegiatan/{activityId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trobayan.GetAsync($"/api/upk/kegiatan/{activityId}/foto/{photoId}")).StatusCode);
        Assert.Equal(0, (await trobayan.GetFromJsonAsync<JsonElement>("/api/upk/bantuan")).GetProperty("grants").GetArrayLength());
        var forbidden = await trobayan.PostAsJsonAsync("/api/upk/bantuan", new { bkmId = bkm.Id, familyId = families[1].Id, givenOn = "2026-08-17", kind = "PANGAN", inKind = "beras", source = "APBDES" });
        Assert.Contains("FORBIDDEN", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

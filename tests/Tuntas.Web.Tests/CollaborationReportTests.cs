using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Imports.Tabular;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>
/// Committed against delivered per village and per stakeholder (page, CSV, XLSX, API), delivery with
/// evidence through the API, the one-page village profile (aggregates, scoped), and meetings and village labs through
/// the API with the pages' rules.
/// </summary>
public sealed partial class CollaborationReportTests
{
    private const string Csr = "PT Gula Sragen";
    private const string Campus = "Universitas Sebelas Maret";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Committed_and_delivered_per_village_and_stakeholder_agree_on_the_page_in_the_exports_and_in_the_profile(string provider)
    {
        await using var app = await CreateAsync(provider);
        var sutarmi = await app.SeedFamilyAsync(Keden, new SeededMember("Sutarmi", 2, new DateOnly(1970, 1, 1), 1));
        var csr = await app.AddStakeholderAsync(Csr, "swasta", "CSR", "Budi");
        var campus = await app.AddStakeholderAsync(Campus, "perguruan-tinggi", "PT", "Dr. Sari");
        long kedenNeed, trobayanNeed, csrPledge, familyNeed;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var record = scope.ServiceProvider.GetRequiredService<RecordNeed>();
            kedenNeed = (await record.RunAsync(new RecordNeed.Input(Keden, "rtlh", "Bedah rumah 2 keluarga", null, "Rp 40 jt", "musdes", null, "admin"), CancellationToken.None)).Need!.Id;
            trobayanNeed = (await record.RunAsync(new RecordNeed.Input(Trobayan, "air-bersih", "Sumur bor dusun", null, "Rp 30 jt", "ppa", null, "admin"), CancellationToken.None)).Need!.Id;
            // A need for one named family, its title naming her and its kind health: outside her village's circle only "Biaya kesehatan untuk 1 keluarga".
            familyNeed = (await record.RunAsync(new RecordNeed.Input(Keden, "biaya-kesehatan", "Biaya berobat Ibu Sutarmi", "cuci darah", "Rp 2 jt", "musdes", sutarmi.NoKk, "admin"),
                CancellationToken.None)).Need!.Id;
            var commitments = scope.ServiceProvider.GetRequiredService<Commitments>();
            csrPledge = (await commitments.PledgeAsync(new Commitments.PledgeInput(kedenNeed, csr, "uang", "Rp 25 jt", null, "admin"), CancellationToken.None)).Commitment!.Id;
            await commitments.PledgeAsync(new Commitments.PledgeInput(kedenNeed, campus, "kkn", "Rp 5 jt", null, "admin"), CancellationToken.None);
            await commitments.PledgeAsync(new Commitments.PledgeInput(trobayanNeed, csr, "barang", "Rp 10 jt", null, "admin"), CancellationToken.None);
            await commitments.PledgeAsync(new Commitments.PledgeInput(familyNeed, campus, "uang", "Rp 2 jt", null, "admin"), CancellationToken.None);
        }

        // The company reports its delivery through the API with evidence; a text file passed off as a photo is refused.
        await app.AddUserAsync("csr.gula", "rahasia-uji-12345", Roles.Partner, organization: Csr);
        var company = await app.SignInAsync("csr.gula", "rahasia-uji-12345");
        var fake = await company.PostAsync($"/api/commitments/{csrPledge}/delivery", Delivery("Rp 24 jt", "bukan gambar"u8.ToArray(), "foto.jpg"));
        Assert.Equal(HttpStatusCode.BadRequest, fake.StatusCode);
        var campusUser = await app.SignInAsync(await AddPartnerAsync(app, "kkn.uns", Campus), "rahasia-uji-12345");
        Assert.Equal(HttpStatusCode.Forbidden, (await campusUser.PostAsync($"/api/commitments/{csrPledge}/delivery", Delivery("Rp 24 jt", _png, "serah.png"))).StatusCode);
        var delivered = await company.PostAsync($"/api/commitments/{csrPledge}/delivery", Delivery("Rp 24 jt", _png, "serah.png"));
        Assert.Equal(HttpStatusCode.NoContent, delivered.StatusCode);
        var need = await company.GetFromJsonAsync<JsonElement>($"/api/needs/{kedenNeed}");
        var evidenceUrl = need.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("evidenceUrl")).Single(u => u.ValueKind == JsonValueKind.String).GetString()!;
        Assert.Equal(_png, await company.GetByteArrayAsync(evidenceUrl));

        // The page: totals, per village, per stakeholder. Keden: 40 jt needed, 24 jt delivered + 5 jt pledged → gap 11 jt.
        var admin = await app.SignInAsAdministratorAsync();
        var page = await ParseAsync(await admin.GetStringAsync("/Kolaborasi/Laporan"));
        Assert.Equal("Rp42.000.000", page.QuerySelector("#total-dijanjikan")!.TextContent);
        Assert.Equal("Rp24.000.000", page.QuerySelector("#total-terealisasi")!.TextContent);
        Assert.Equal("Rp11.000.000", page.QuerySelector($"#laporan-desa tr[data-code='{Keden}'] td.gap")!.TextContent);
        Assert.Contains("Rp35.000.000", page.QuerySelector($"#laporan-pemangku tr[data-id='{csr}']")!.TextContent, StringComparison.Ordinal);

        // XLSX per village, from the page's own link: the same numbers, as numbers.
        var xlsx = await admin.GetAsync(page.QuerySelector("#unduh-desa-xlsx")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using (var reader = new XlsxTabularReader(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync())))
        {
            Assert.Equal(["KODE_DESA", "DESA", "KECAMATAN", "KEBUTUHAN", "BIAYA_KEBUTUHAN", "KESENJANGAN", "KOMITMEN", "DIJANJIKAN", "TEREALISASI"], reader.Header.Take(9));
            var rows = new Dictionary<string, string[]>();
            while (reader.Read())
            {
                rows[reader[0]] = [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader[i])];
            }
            Assert.Equal(["42000000", "11000000", "3", "32000000", "24000000"], rows[Keden][4..9]);
            Assert.Equal(["30000000", "20000000", "1", "10000000", "0"], rows[Trobayan][4..9]);
        }

        // CSV of one stakeholder's commitments: only its own lines, the delivery date and evidence count filled.
        var csv = await admin.GetStringAsync($"/Kolaborasi/Laporan?handler=Unduh&per=komitmen&format=csv&Pemangku={campus}");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID_KOMITMEN,PEMANGKU,", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.Contains(Campus, l, StringComparison.Ordinal));
        Assert.Equal(2, lines.Length - 1);
        // The named family's need: in the export by its kind only, never by the title that names her.
        Assert.DoesNotContain("Sutarmi", csv, StringComparison.Ordinal);
        Assert.Contains("Biaya kesehatan untuk 1 keluarga,biaya-kesehatan,ya,", csv, StringComparison.Ordinal);
        var companyCsv = await admin.GetStringAsync($"/api/reports/commitments?stakeholderId={csr}&format=csv&view=komitmen");
        var deliveredLine = companyCsv.Split('\n').Single(l => l.StartsWith(csrPledge.ToString(CultureInfo.InvariantCulture) + ",", StringComparison.Ordinal));
        Assert.Contains(",terealisasi,25000000,24000000,", deliveredLine, StringComparison.Ordinal);
        Assert.EndsWith(",1", deliveredLine.TrimEnd('\r'), StringComparison.Ordinal);

        // The API's JSON for a village agrees with the page.
        var keden = await admin.GetFromJsonAsync<JsonElement>($"/api/reports/commitments?region={Keden}");
        Assert.Equal(32_000_000, keden.GetProperty("pledged").GetInt64());
        Assert.Equal(11_000_000, keden.GetProperty("gap").GetInt64());

        // The one-page profile: the village operator for its village; not for another village; a partner sees
        // aggregates of every village. No NO_KK or NIK on it.
        var operatorKeden = await app.SignInAsVillageOperatorAsync();
        var profile = await operatorKeden.GetAsync($"/Kolaborasi/Lab/{Keden}/Profil");
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var html = await profile.Content.ReadAsStringAsync();
        var doc = await ParseAsync(html);
        Assert.NotNull(doc.QuerySelector($"#profil-kebutuhan tr[data-id='{kedenNeed}']"));
        Assert.Contains(Csr, doc.QuerySelector("#profil-mitra")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, int.Parse(doc.QuerySelector("#profil-indikator td")!.TextContent, CultureInfo.GetCultureInfo("id")));
        Assert.DoesNotMatch(SixteenDigits(), html);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorKeden.GetAsync($"/Kolaborasi/Lab/{Trobayan}/Profil")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await company.GetAsync($"/Kolaborasi/Lab/{Trobayan}/Profil")).StatusCode);
        var partnerProfile = await company.GetStringAsync($"/Kolaborasi/Lab/{Keden}/Profil");
        Assert.DoesNotContain("Sutarmi", partnerProfile, StringComparison.Ordinal);
        Assert.DoesNotContain("Sutarmi", html, StringComparison.Ordinal);

        // Browsing needs: the village's operator reads the title and the description; a partner without an agreement
        // reads the kind, and no description.
        Assert.Contains("Biaya berobat Ibu Sutarmi", await operatorKeden.GetStringAsync("/Kolaborasi/Kebutuhan"), StringComparison.Ordinal);
        var partnerNeeds = await company.GetStringAsync($"/api/needs?region={Keden}");
        Assert.DoesNotContain("Sutarmi", partnerNeeds, StringComparison.Ordinal);
        Assert.Contains("Biaya kesehatan untuk 1 keluarga", partnerNeeds, StringComparison.Ordinal);
        var partnerNeed = await company.GetStringAsync($"/api/needs/{familyNeed}");
        Assert.DoesNotContain("Sutarmi", partnerNeed, StringComparison.Ordinal);
        Assert.DoesNotContain("cuci darah", partnerNeed, StringComparison.Ordinal);
        Assert.DoesNotContain("Sutarmi", await company.GetStringAsync($"/Kolaborasi/Kebutuhan/{familyNeed}"), StringComparison.Ordinal);

        // Filters that cannot be right are refused with a message, not turned into "everything" or a crash.
        var badYear = await admin.GetAsync("/api/reports/commitments?year=0");
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
        Assert.Contains("2000", await badYear.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/reports/commitments?helix=bank")).StatusCode);
        var badPage = await ParseAsync(await admin.GetStringAsync("/Kolaborasi/Laporan?Tahun=abc"));
        Assert.NotNull(badPage.QuerySelector(".error, [role=alert]"));
        Assert.Empty(badPage.QuerySelectorAll("#laporan-komitmen tbody tr"));
        var json = await company.GetFromJsonAsync<JsonElement>($"/api/village-lab/{Keden}/profile");
        Assert.Equal(11_000_000, json.GetProperty("gap").GetInt64());
        Assert.Equal(24_000_000, json.GetProperty("delivered").GetInt64());

        // Codes read as words in English.
        await admin.GetAsync("/bahasa/en?returnUrl=/");
        var english = await ParseAsync(await admin.GetStringAsync($"/Kolaborasi/Laporan?Wilayah={Keden}"));
        Assert.Contains("Delivered", english.QuerySelector($"#laporan-komitmen tr[data-id='{csrPledge}']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Private sector / CSR", english.QuerySelector($"#laporan-pemangku tr[data-id='{csr}']")!.TextContent, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Meetings_and_village_labs_work_through_the_api_with_the_pages_rules(string provider)
    {
        await using var app = await CreateAsync(provider);
        var dinsos = await app.AddStakeholderAsync(OfficerOrganization, "pemerintah", "APBD", "Ibu Rina");
        var dinkes = await app.AddStakeholderAsync("Dinas Kesehatan", "pemerintah", "APBD", "dr. Anton");
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Sutarmi", 2, new DateOnly(1970, 1, 1), 1));
        var operatorKeden = await app.SignInAsVillageOperatorAsync();
        var admin = await app.SignInAsAdministratorAsync();

        // A village operator schedules its village's musdes, records attendance, a decision and an action.
        var scheduled = await operatorKeden.PostAsJsonAsync("/api/meetings", new
        {
            kind = "musdes",
            title = "Musdes Keden",
            heldAt = DateTime.UtcNow.AddDays(-1),
            kodeDesa = Keden,
            invitees = new[] { dinsos },
        });
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);
        var meetingId = (await scheduled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var stranger = await operatorKeden.PostAsJsonAsync($"/api/meetings/{meetingId}/attendance", new { present = new[] { dinkes } });
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Contains("tidak diundang", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var attended = await operatorKeden.PostAsJsonAsync($"/api/meetings/{meetingId}/attendance", new { present = new[] { dinsos }, minutes = "Dihadiri Dinsos." });
        Assert.True((await attended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitees")[0].GetProperty("invitee").GetProperty("attended").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorKeden.PostAsJsonAsync($"/api/meetings/{meetingId}/decisions", new { text = "ok" })).StatusCode);
        await operatorKeden.PostAsJsonAsync($"/api/meetings/{meetingId}/decisions", new { text = "Usulkan 2 rumah ke Forum CSR." });
        var withAction = await operatorKeden.PostAsJsonAsync($"/api/meetings/{meetingId}/actions", new { text = "Verifikasi ulang desil 1", ownerId = dinsos, dueOn = "2026-12-31" });
        var detail = await withAction.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Usulkan 2 rumah ke Forum CSR.", detail.GetProperty("decisions")[0].GetProperty("text").GetString());
        var actionId = detail.GetProperty("actions")[0].GetProperty("action").GetProperty("id").GetInt64();
        // The TKPKD meeting is not the operator's to record; the action is Dinas Sosial's to close.
        var rakor = await (await admin.PostAsJsonAsync("/api/meetings", new { kind = "rakor-tkpkd", title = "Rakor", heldAt = DateTime.UtcNow, invitees = new[] { dinsos } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKeden.PostAsJsonAsync($"/api/meetings/{rakor.GetProperty("id").GetInt64()}/decisions", new { text = "Keputusan lain" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKeden.PostAsJsonAsync($"/api/actions/{actionId}/close", new { done = true })).StatusCode);
        var officer = await app.SignInAsAgencyOfficerAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await officer.PostAsJsonAsync($"/api/actions/{actionId}/close", new { done = true, note = "Terkirim" })).StatusCode);
        Assert.Equal("selesai", (await admin.GetFromJsonAsync<JsonElement>($"/api/meetings/{meetingId}")).GetProperty("actions")[0].GetProperty("action").GetProperty("status").GetString());

        // Village lab: thresholds by the secretariat only; targets by the village; the ranking recorded and compared.
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKeden.PutAsJsonAsync("/api/village-lab/thresholds", new { indicator = "miskin_bps", merah = 20, kuning = 10, hijau = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/village-lab/thresholds", new { indicator = "miskin_bps", merah = 5, kuning = 10, hijau = 20 })).StatusCode);
        var thresholds = await (await admin.PutAsJsonAsync("/api/village-lab/thresholds", new { indicator = "miskin_bps", merah = 20, kuning = 10, hijau = 5 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(20, thresholds.GetProperty("merah").GetDouble());
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKeden.PostAsJsonAsync($"/api/village-lab/{Trobayan}/targets", new { baseline = 120, target = 80, byYear = 2027 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorKeden.PostAsJsonAsync($"/api/village-lab/{Keden}/targets", new { baseline = 120, target = 80, byYear = 2027 })).StatusCode);
        var lab = await operatorKeden.GetFromJsonAsync<JsonElement>($"/api/village-lab/{Keden.Replace(".", "", StringComparison.Ordinal)}");
        Assert.Equal(80, lab.GetProperty("targets")[0].GetProperty("target").GetInt64());

        var badRanking = await operatorKeden.PostAsJsonAsync($"/api/village-lab/{Keden}/ranking", new { session = "Musdes 2026", lines = family.NoKk + ";9" });
        Assert.Equal(HttpStatusCode.BadRequest, badRanking.StatusCode);
        var ranked = await operatorKeden.PostAsJsonAsync($"/api/village-lab/{Keden}/ranking", new { session = "Musdes 2026", lines = family.NoKk + ";1" });
        Assert.Equal(1, (await ranked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recorded").GetInt32());
        await app.AddUserAsync("csr.lain", "rahasia-uji-12345", Roles.Partner, organization: "PT Lain");
        var partner = await app.SignInAsync("csr.lain", "rahasia-uji-12345");
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/api/village-lab/{Keden}/ranking")).StatusCode);
        Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>($"/api/village-lab/{Keden}/ranking")).GetProperty("ranked").GetInt32());
        var rankingPage = await ParseAsync(await admin.GetStringAsync($"/Kolaborasi/Lab/{Keden}/Peringkat"));
        Assert.Equal("1", rankingPage.QuerySelector("#ringkasan")!.GetAttribute("data-ranked"));

        // On the page the ranking is entered by picking a class beside a family (head's name, masked KK number).
        Assert.Contains("Sutarmi", rankingPage.QuerySelector($"#pilih-keluarga tr[data-id='{family.Id}']")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(family.NoKk, rankingPage.QuerySelector("#pilih-keluarga")!.TextContent, StringComparison.Ordinal);
        var picked = await PostFormAsync(operatorKeden, $"/Kolaborasi/Lab/{Keden}/Peringkat", new()
        {
            ["Session"] = "Musdes 2026 dipilih",
            [$"Kelas[{family.Id}]"] = "2",
        });
        Assert.NotNull((await ParseAsync(await picked.Content.ReadAsStringAsync())).QuerySelector("#peringkat-dicatat"));
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(2, (await db.CommunityRankings.SingleAsync(r => r.Session == "Musdes 2026 dipilih")).Class);
        }

        // On the page, a musdes "at 19:00" is 19:00 in the regency (WIB): stored as 12:00 UTC, shown again as 19:00.
        await PostFormAsync(operatorKeden, "/Kolaborasi/Rapat", new()
        {
            ["Form.Kind"] = "musdes",
            ["Form.Title"] = "Musdes malam",
            ["Form.HeldAt"] = "2026-12-01T19:00",
            ["Form.KodeDesa"] = Keden,
            ["Form.Invitees"] = dinsos.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using (var db = app.Database.CreateDb())
        {
            var evening = await db.Meetings.SingleAsync(m => m.Title == "Musdes malam");
            Assert.Equal(new DateTime(2026, 12, 1, 12, 0, 0), evening.HeldAt);
            Assert.Contains("2026-12-01 19:00", await operatorKeden.GetStringAsync($"/Kolaborasi/Rapat/{evening.Id}"), StringComparison.Ordinal);
        }

        // Every new route is in the OpenAPI document.
        var openApi = await admin.GetStringAsync("/openapi/v1.json");
        foreach (var route in new[] { "/api/meetings/{id}/attendance", "/api/actions/{id}/close", "/api/village-lab/thresholds", "/api/village-lab/{code}/ranking",
                     "/api/village-lab/{code}/profile", "/api/commitments/{id}/delivery", "/api/reports/commitments", "/api/stakeholders/{id}/handover" })
        {
            Assert.Contains($"\"{route}\"", openApi, StringComparison.Ordinal);
        }
    }

    /// <summary>The smallest file that passes as a PNG by its first bytes.</summary>
    private static readonly byte[] _png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];

    private static MultipartFormDataContent Delivery(string realized, byte[] file, string name) => new()
    {
        { new StringContent(realized), "realized" },
        { new StringContent("Serah terima di balai desa"), "note" },
        { new ByteArrayContent(file), "evidence", name },
    };

    private static async Task<string> AddPartnerAsync(TuntasWebFactory app, string userName, string organization)
    {
        await app.AddUserAsync(userName, "rahasia-uji-12345", Roles.Partner, organization: organization);
        return userName;
    }

    [GeneratedRegex(@"\b\d{16}\b")]
    private static partial Regex SixteenDigits();
}

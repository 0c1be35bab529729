using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The secretariat registers a company, a village records a need, the company pledges and delivers with evidence.</summary>
public sealed class CollaborationTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_need_is_pledged_and_delivered_by_its_company_and_shows_in_the_forum_csr(string provider)
    {
        await using var app = await CreateAsync(provider);
        var admin = await app.SignInAsAdministratorAsync();
        await PostFormAsync(admin, "/Kolaborasi/Pemangku", new()
        {
            ["Form.Name"] = "PT Gula Sragen",
            ["Form.Helix"] = "swasta",
            ["Form.Resources"] = "CSR",
            ["Form.ContactName"] = "Budi Santoso",
        });
        var operatorKeden = await app.SignInAsVillageOperatorAsync();
        // The operator records needs in its own village only.
        var elsewhere = await PostFormAsync(operatorKeden, "/Kolaborasi/Kebutuhan", new()
        {
            ["Form.KodeDesa"] = Trobayan,
            ["Form.Kind"] = "jamban",
            ["Form.Title"] = "Jamban sehat 10 rumah",
            ["Form.Cost"] = "Rp 20 jt",
            ["Form.Source"] = "musdes",
        });
        Assert.NotEqual(HttpStatusCode.OK, elsewhere.StatusCode);
        var recorded = await PostFormAsync(operatorKeden, "/Kolaborasi/Kebutuhan", new()
        {
            ["Form.KodeDesa"] = Keden,
            ["Form.Kind"] = "jamban",
            ["Form.Title"] = "Jamban sehat 10 rumah",
            ["Form.Cost"] = "Rp 20 jt",
            ["Form.Source"] = "musdes",
        });
        Assert.Contains("kebutuhan-baru", await recorded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        long needId, stakeholderId;
        await using (var db = app.Database.CreateDb())
        {
            needId = await db.Needs.Select(n => n.Id).SingleAsync();
            stakeholderId = await db.Stakeholders.Select(s => s.Id).SingleAsync();
        }

        await app.AddUserAsync("csr.gula", "rahasia-uji-12345", Roles.Partner, organization: "pt gula sragen");
        await app.AddUserAsync("csr.lain", "rahasia-uji-12345", Roles.Partner, organization: "PT Lain");
        var other = await app.SignInAsync("csr.lain", "rahasia-uji-12345");
        var notTheirs = await other.PostAsJsonAsync($"/api/needs/{needId}/commitments", new { stakeholderId, kind = "uang", amount = "Rp 5 jt" });
        Assert.Equal(HttpStatusCode.Forbidden, notTheirs.StatusCode);

        var company = await app.SignInAsync("csr.gula", "rahasia-uji-12345");
        await PostFormAsync(company, $"/Kolaborasi/Kebutuhan/{needId}?handler=Janji", new()
        {
            ["StakeholderId"] = stakeholderId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kind"] = "uang",
            ["Amount"] = "12.000.000",
        });
        var needs = await company.GetFromJsonAsync<JsonElement>("/api/needs?region=33.14.01");
        Assert.Equal(8_000_000, needs[0].GetProperty("gap").GetInt64());

        // Delivery with evidence: a real PNG, through the page (multipart with antiforgery).
        long commitmentId;
        await using (var db = app.Database.CreateDb())
        {
            commitmentId = await db.Commitments.Select(c => c.Id).SingleAsync();
        }
        var page = await ParseAsync(await company.GetStringAsync($"/Kolaborasi/Kebutuhan/{needId}"));
        var token = page.QuerySelector($"#komitmen-{commitmentId} form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(commitmentId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "CommitmentId" },
            { new StringContent("terealisasi"), "Status" },
            { new StringContent("Rp 11,5 jt"), "Realized" },
            { new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]), "Bukti", "serah-terima.png" },
        };
        var delivered = await company.PostAsync($"/Kolaborasi/Kebutuhan/{needId}?handler=Kemajuan", form);
        Assert.Equal("terealisasi", (await ParseAsync(await delivered.Content.ReadAsStringAsync())).QuerySelector($"#komitmen-{commitmentId}")!.GetAttribute("data-status"));

        var forum = await ParseAsync(await admin.GetStringAsync("/Kolaborasi"));
        var line = forum.QuerySelector($"#per-pemangku tr[data-key='{stakeholderId}']")!;
        Assert.Contains("12.000.000", line.TextContent, StringComparison.Ordinal);
        Assert.Contains("11.500.000", line.TextContent, StringComparison.Ordinal);
        Assert.Equal("8.500.000", (await ParseAsync(await admin.GetStringAsync($"/Kolaborasi/Kebutuhan/{needId}"))).QuerySelector("#celah")!.TextContent.Replace("Rp", "", StringComparison.Ordinal));
    }
}

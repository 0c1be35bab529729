using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// A public complaint is visible by its village, but anyone can type any NIK in it: the family that NIK belongs to,
/// and the NIK in full, reach a reader only when the reader's own scope covers that family (OWASP ASVS 4.2.1, UU 27/2022).
/// </summary>
public sealed class ComplaintScopeTests
{
    private static async Task FileAsync(HttpClient citizen, string nik) =>
        await PostFormAsync(citizen, "/Publik/Pengaduan", new()
        {
            ["Form.Category"] = "data-salah",
            ["Form.Name"] = "Pelapor Usil",
            ["Form.Nik"] = nik,
            ["Form.KodeDesa"] = Keden,
            ["Form.Description"] = "Data keluarga ini salah, mohon diperiksa petugas desa.",
        });

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_complaint_naming_a_family_of_another_village_shows_the_village_operator_neither_its_link_nor_its_nik(string provider)
    {
        await using var app = await CreateAsync(provider);
        var other = await app.SeedFamilyAsync(Trobayan, new SeededMember("Warga Trobayan", 1, new DateOnly(1979, 2, 3), 1));
        var nik = other.Persons[0].Nik;
        await FileAsync(app.CreateBrowser(), nik);
        long complaintId;
        await using (var db = app.Database.CreateDb())
        {
            var complaint = await db.Complaints.SingleAsync();
            (complaintId, var familyId) = (complaint.Id, complaint.FamilyId);
            Assert.Equal(other.Id, familyId); // the regency still sees whose NIK it is
            Assert.Null((await db.ChangeRequests.SingleAsync()).FamilyId); // Keden's request does not point at Trobayan's family
        }

        var keden = await app.SignInAsVillageOperatorAsync();
        var page = await keden.GetStringAsync($"/Aduan/{complaintId}");
        Assert.DoesNotContain(nik, page, StringComparison.Ordinal);
        Assert.Contains(Nik.Mask(nik), (await ParseAsync(page)).QuerySelector("#pengaduan")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain($"/Keluarga/{other.Id}", page, StringComparison.Ordinal);
        var api = await keden.GetFromJsonAsync<JsonElement>($"/api/complaints/{complaintId}");
        Assert.Equal(Nik.Mask(nik), api.GetProperty("complainantNik").GetString());
        Assert.Equal(JsonValueKind.Null, api.GetProperty("familyId").ValueKind);
        Assert.DoesNotContain($"/Keluarga/{other.Id}", await keden.GetStringAsync("/Usulan"), StringComparison.Ordinal);
        var requests = await keden.GetFromJsonAsync<JsonElement>("/api/change-requests");
        Assert.All(requests.EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("familyId").ValueKind));

        // The administrator's scope covers the family: the NIK in full and the link.
        var admin = await app.SignInAsAdministratorAsync();
        var adminPage = await admin.GetStringAsync($"/Aduan/{complaintId}");
        Assert.Contains(nik, adminPage, StringComparison.Ordinal);
        Assert.Contains($"/Keluarga/{other.Id}", adminPage, StringComparison.Ordinal);
        Assert.Equal(other.Id, (await admin.GetFromJsonAsync<JsonElement>($"/api/complaints/{complaintId}")).GetProperty("familyId").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_complaint_naming_a_family_of_the_operators_own_village_keeps_its_link_and_nik(string provider)
    {
        await using var app = await CreateAsync(provider);
        var own = await app.SeedFamilyAsync(Keden, new SeededMember("Warga Keden", 1, new DateOnly(1979, 2, 3), 1));
        var nik = own.Persons[0].Nik;
        await FileAsync(app.CreateBrowser(), nik);
        long complaintId;
        await using (var db = app.Database.CreateDb())
        {
            complaintId = await db.Complaints.Select(c => c.Id).SingleAsync();
            Assert.Equal(own.Id, (await db.ChangeRequests.SingleAsync()).FamilyId);
        }
        var keden = await app.SignInAsVillageOperatorAsync();
        var page = await keden.GetStringAsync($"/Aduan/{complaintId}");
        Assert.Contains(nik, page, StringComparison.Ordinal);
        Assert.Contains($"/Keluarga/{own.Id}", page, StringComparison.Ordinal);
        Assert.Contains($"/Keluarga/{own.Id}", await keden.GetStringAsync("/Usulan"), StringComparison.Ordinal);
        Assert.Equal(own.Id, (await keden.GetFromJsonAsync<JsonElement>($"/api/complaints/{complaintId}")).GetProperty("familyId").GetInt64());
    }
}

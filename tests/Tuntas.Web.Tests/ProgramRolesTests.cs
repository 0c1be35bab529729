using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>
/// Each stakeholder's role in each program — assigned and ended by the secretariat, never deleted, shown
/// on the stakeholder's and the program's page — and the stakeholder API's least privilege: a contact's phone and
/// e-mail only for the secretariat and the stakeholder's own people; an update keeps what it leaves out; exports
/// defuse spreadsheet formulas.
/// </summary>
public sealed class ProgramRolesTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_secretariat_gives_and_ends_roles_in_programs_and_both_pages_show_who_does_what(string provider)
    {
        await using var app = await CreateAsync(provider);
        var perkim = await app.AddStakeholderAsync("Dinas Perumahan dan Kawasan Permukiman", "pemerintah", "APBD", "Ir. Bambang");
        var admin = await app.SignInAsAdministratorAsync();
        var operatorKeden = await app.SignInAsVillageOperatorAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKeden.PostAsJsonAsync($"/api/stakeholders/{perkim}/programs", new { programCode = "RTLHKAB", role = "pemilik" })).StatusCode);
        var unknown = await admin.PostAsJsonAsync($"/api/stakeholders/{perkim}/programs", new { programCode = "TIDAKADA", role = "raja" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problems = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("TIDAKADA", problems, StringComparison.Ordinal);
        Assert.Contains("pemilik", problems, StringComparison.Ordinal);
        var owner = await (await admin.PostAsJsonAsync($"/api/stakeholders/{perkim}/programs", new { programCode = "rtlhkab", role = "pemilik", note = "Bidang Perumahan" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/stakeholders/{perkim}/programs", new { programCode = "RTLHKAB", role = "pemilik" })).StatusCode);

        // Through the page as well: a second role, shown on both pages.
        await PostFormAsync(admin, $"/Kolaborasi/Pemangku/{perkim}?handler=Peran", new() { ["ProgramCode"] = "BSPS", ["ProgramRole"] = "pendamping", ["RoleNote"] = "" });
        var stakeholderPage = await ParseAsync(await admin.GetStringAsync($"/Kolaborasi/Pemangku/{perkim}"));
        Assert.Equal(2, stakeholderPage.QuerySelectorAll("#peran-program tbody tr").Length);
        var programPage = await ParseAsync(await operatorKeden.GetStringAsync("/Program/RTLHKAB"));
        Assert.Contains("Dinas Perumahan", programPage.QuerySelector("#peran-pemangku li[data-role='pemilik']")!.TextContent, StringComparison.Ordinal);

        // Ended, not deleted: the role stays, with its end date, and can be taken again.
        var roleId = owner.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorKeden.PostAsync($"/api/stakeholder-programs/{roleId}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/stakeholder-programs/{roleId}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync($"/api/stakeholder-programs/{roleId}/end", null)).StatusCode);
        var roles = await admin.GetFromJsonAsync<JsonElement>("/api/programs/RTLHKAB/stakeholders");
        Assert.Equal(JsonValueKind.String, roles[0].GetProperty("until").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/stakeholders/{perkim}/programs", new { programCode = "RTLHKAB", role = "pemilik" })).StatusCode);
        Assert.Equal(3, (await admin.GetFromJsonAsync<JsonElement>($"/api/stakeholders/{perkim}/programs")).GetArrayLength());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Contacts_reach_only_whom_they_should_an_update_keeps_what_it_omits_and_csv_defuses_formulas(string provider)
    {
        await using var app = await CreateAsync(provider);
        long company;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            company = (await scope.ServiceProvider.GetRequiredService<SaveStakeholder>().RunAsync(new SaveStakeholder.Input(null, "PT Gula Sragen", "swasta", ["CSR"],
                "Forum CSR", Keden, true, "Budi", "Manajer CSR", "081234567890", "budi@gula.example"), CancellationToken.None)).Stakeholder!.Id;
            var need = (await scope.ServiceProvider.GetRequiredService<RecordNeed>().RunAsync(new RecordNeed.Input(Keden, "air-bersih", "=HYPERLINK(\"http://x\";\"sumur\")",
                null, "Rp 5 jt", "musdes", null, "admin"), CancellationToken.None)).Need!.Id;
            await scope.ServiceProvider.GetRequiredService<Commitments>().PledgeAsync(new Commitments.PledgeInput(need, company, "uang", "Rp 5 jt", null, "admin"),
                CancellationToken.None);
        }
        await app.AddUserAsync("csr.lain", "rahasia-uji-12345", Roles.Partner, organization: "PT Lain");
        var other = await app.SignInAsync("csr.lain", "rahasia-uji-12345");
        var seenByOther = await other.GetStringAsync($"/api/stakeholders/{company}");
        Assert.DoesNotContain("081234567890", seenByOther, StringComparison.Ordinal);
        Assert.DoesNotContain("budi@gula.example", seenByOther, StringComparison.Ordinal);
        var admin = await app.SignInAsAdministratorAsync();
        Assert.Contains("081234567890", await admin.GetStringAsync($"/api/stakeholders/{company}"), StringComparison.Ordinal);

        // Renaming the role only: the helix, resources, village and active flag stay.
        var updated = await (await admin.PutAsJsonAsync($"/api/stakeholders/{company}", new { role = "Ketua Forum CSR" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("swasta", updated.GetProperty("helix").GetString());
        Assert.Equal("CSR", updated.GetProperty("resources").GetString());
        Assert.Equal(Keden, updated.GetProperty("kodeDesa").GetString());
        Assert.Equal("Ketua Forum CSR", updated.GetProperty("role").GetString());
        var deactivated = await (await admin.PutAsJsonAsync($"/api/stakeholders/{company}", new { active = false })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.False((await (await admin.PutAsJsonAsync($"/api/stakeholders/{company}", new { role = "Anggota" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("active").GetBoolean());

        var csv = await admin.GetStringAsync("/api/reports/commitments?format=csv&view=komitmen");
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\";\"\"sumur\"\")\",", csv, StringComparison.Ordinal);
    }
}

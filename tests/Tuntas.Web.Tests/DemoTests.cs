using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>
/// The README's run command: demo mode on an empty database gives a regency that shows something on every page — a
/// targeting run, demo recipients, and the collaboration of the helixes around the demo accounts.
/// </summary>
public sealed class DemoTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Demo_mode_seeds_a_regency_whose_partner_officer_and_village_find_their_collaboration(string provider)
    {
        await using var app = await CreateDemoAsync(provider, 2000);

        // The partner's company pledged and delivered; it sees that in the report and the Forum CSR view.
        var partner = await app.SignInAsync("mitra", "tuntas-demo");
        var report = await partner.GetFromJsonAsync<JsonElement>("/api/reports/commitments");
        var own = report.GetProperty("byStakeholder").EnumerateArray().Single(s => s.GetProperty("stakeholder").GetString() == "PT Contoh Peduli");
        Assert.True(own.GetProperty("delivered").GetInt64() > 0);
        Assert.True(report.GetProperty("gap").GetInt64() > 0);

        // The agency officer sees its agency's overdue action from the TKPKD meeting, and the agency that stayed away tops the absences.
        var officer = await app.SignInAsync("petugas", "tuntas-demo");
        var home = await ParseAsync(await officer.GetStringAsync("/"));
        Assert.Contains("Kirim daftar verifikasi ke operator desa", home.QuerySelector("#tindak-lanjut-saya")?.TextContent, StringComparison.Ordinal);
        var attendance = (await officer.GetFromJsonAsync<JsonElement>("/api/meetings/attendance")).EnumerateArray().ToList();
        var dinkes = attendance.Single(a => a.GetProperty("stakeholder").GetString() == "Dinas Kesehatan Kabupaten");
        Assert.Equal((1, 0), (dinkes.GetProperty("absent").GetInt32(), dinkes.GetProperty("attended").GetInt32()));
        // Worst first: whoever is listed before it never came either.
        Assert.All(attendance.Take(attendance.IndexOf(dinkes)), a => Assert.Equal(0, a.GetProperty("attended").GetInt32()));
        // Who does what: the officer's agency owns UEP.
        var uep = await officer.GetFromJsonAsync<JsonElement>("/api/programs/UEP/stakeholders");
        Assert.Contains(uep.EnumerateArray(), r => r.GetProperty("stakeholder").GetString() == "Dinas Sosial Kabupaten" && r.GetProperty("role").GetString() == "pemilik");

        // The village operator prints its profile: a status, a target, open needs, the upcoming musdes.
        var village = await app.SignInAsync("operator", "tuntas-demo");
        var profile = await village.GetAsync("/Kolaborasi/Lab/33.14.01.2001/Profil");
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var doc = await ParseAsync(await profile.Content.ReadAsStringAsync());
        Assert.NotNull(doc.QuerySelector("#profil-status"));
        Assert.NotNull(doc.QuerySelector("#profil-sasaran"));
        Assert.NotNull(doc.QuerySelector("#profil-rapat-berikut"));
        Assert.True(doc.QuerySelectorAll("#profil-kebutuhan tbody tr").Length >= 3);
        var admin = await app.SignInAsync("admin", "tuntas-demo");
        Assert.Equal(1, (await admin.GetFromJsonAsync<JsonElement>("/api/targeting/runs")).GetArrayLength());
    }
}

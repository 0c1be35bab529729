using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tuntas.Regions;
using Tuntas.Users;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// Each of the seven roles signs in and walks dashboard → map → kecamatan → village → family in a real
/// Chromium, with a screenshot at every step, and sees exactly its scope: the village operator one village on the map,
/// the facilitator its two villages, the partner the regency's numbers but names only in the village its agreement
/// shares; the menu shows Audit and Pengguna only to the roles allowed. The walk is on a 1,366 px office screen, then
/// the role's home again on a 360 px phone; every page reads in words (no text key), with the zone beside every time and
/// no unmasked NIK on list pages (<see cref="PageChecks"/>). The public portal is walked on the phone, no page wider
/// than the screen.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class RoleWalkBrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    /// <summary>Every role but the relawan, whose whole walk is a verivali line (VerivaliBrowserTests).</summary>
    public static TheoryData<string> AllRoles => [.. Roles.All.Where(r => r != Roles.Relawan)];

    private const int OfficeWidth = 1366;
    private const int OfficeHeight = 768;
    private const int PhoneWidth = 360;
    private const int PhoneHeight = 740;

    /// <summary>The citizen's pages, as a cheap phone opens them from a link or the village notice board.</summary>
    private static readonly string[] _portalPages = ["/Publik", "/Publik/Cek", "/Publik/Pengaduan", "/Publik/Lacak", "/Publik/Transparansi"];

    [Fact]
    public async Task The_public_portal_fits_a_360_px_phone_and_reads_in_words_with_zoned_times()
    {
        await using var context = await app.NewContextAsync(PhoneWidth, PhoneHeight);
        var page = await context.NewPageAsync();
        foreach (var address in _portalPages)
        {
            await page.GotoAsync(address);
            await page.Locator("main").WaitForAsync();
            await app.ScreenshotAsync(page, "9-portal" + address.Replace('/', '-').ToLowerInvariant());
            await PageChecks.AssertReadableAsync(page, listPage: true);
            await PageChecks.AssertFitsWidthAsync(page);
        }
    }

    /// <summary>
    /// Every page of the role's menu, opened from the menu on the office screen and again on a phone: in words (no text
    /// key), every time with its zone, no unmasked NIK or KK number on these list pages, and no page wider than the
    /// phone (wide tables scroll inside their own frame).
    /// </summary>
    [Theory, MemberData(nameof(AllRoles))]
    public async Task Each_role_reads_every_page_of_its_menu_in_words_with_zoned_times_masked_and_within_a_phone(string role)
    {
        var (user, password, _) = Account(role);
        await using var context = await app.NewContextAsync(OfficeWidth, OfficeHeight);
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, user, password);
        var menu = new List<string>();
        foreach (var link in await page.Locator("header nav a").AllAsync())
        {
            var href = await link.GetAttributeAsync("href");
            if (href is { Length: > 1 } && href.StartsWith('/') && !href.StartsWith("/bahasa", StringComparison.Ordinal) && !menu.Contains(href))
            {
                menu.Add(href);
            }
        }
        Assert.NotEmpty(menu);
        if (menu.Contains("/Program"))
        {
            // A program's page and its three reports: headline figures with their sources, P0 beside ours.
            menu.AddRange(["/Program/PKH", "/Program/Galat", "/Program/Realisasi", "/Program/TumpangTindih"]);
        }
        foreach (var address in menu)
        {
            foreach (var (width, height, screen) in new[] { (OfficeWidth, OfficeHeight, "kantor"), (PhoneWidth, PhoneHeight, "ponsel") })
            {
                await page.SetViewportSizeAsync(width, height);
                var response = await page.GotoAsync(address);
                Assert.True(response is { Ok: true }, $"{role} {address}: {response?.Status}");
                await page.Locator("main").WaitForAsync();
                await app.ScreenshotAsync(page, $"10-{role}{address.Replace('/', '-').ToLowerInvariant()}-{screen}");
                await PageChecks.AssertReadableAsync(page, listPage: true);
                if (width == PhoneWidth)
                {
                    await PageChecks.AssertFitsWidthAsync(page);
                }
            }
        }
        output.WriteLine($"{role}: {string.Join(", ", menu)}");
    }

    private static (string User, string Password, string Village) Account(string role) => role switch
    {
        Roles.Administrator => (TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword, TuntasWebFactory.Keden),
        Roles.VillageOperator => (TuntasWebFactory.OperatorUser, TuntasWebFactory.OperatorPassword, TuntasWebFactory.Keden),
        Roles.AgencyOfficer => (TuntasWebFactory.OfficerUser, TuntasWebFactory.OfficerPassword, TuntasWebFactory.Trobayan),
        Roles.TkpkdCoordinator => (BrowserFixture.CoordinatorUser, BrowserFixture.RolePassword, TuntasWebFactory.Trobayan),
        Roles.Auditor => (BrowserFixture.AuditorUser, BrowserFixture.RolePassword, TuntasWebFactory.Trobayan),
        Roles.Facilitator => (BrowserFixture.FacilitatorUser, BrowserFixture.RolePassword, BrowserFixture.FacilitatorVillages[1]),
        Roles.Partner => (BrowserFixture.PartnerUser, BrowserFixture.RolePassword, TuntasWebFactory.Keden),
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    [Theory, MemberData(nameof(AllRoles))]
    public async Task Each_role_walks_dashboard_map_village_family_within_its_scope(string role)
    {
        var (user, password, village) = Account(role);
        int regencyVillages;
        await using (var db = app.Database.Database.CreateDb())
        {
            regencyVillages = await db.Regions.CountAsync(r => r.Level == Region.Village && r.Code.StartsWith(BrowserFixture.RegencyCode + "."));
        }
        await using var context = await app.NewContextAsync(OfficeWidth, OfficeHeight);
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, user, password);

        // Dashboard and map: as many villages as the role's numbers cover.
        var polygons = page.Locator("#peta path.leaflet-interactive");
        await polygons.First.WaitForAsync();
        var drawn = await polygons.CountAsync();
        output.WriteLine($"{role}: {drawn} villages on the regency map");
        switch (role)
        {
            case Roles.VillageOperator:
                Assert.Equal(1, drawn);
                break;
            case Roles.Facilitator:
                Assert.Equal(BrowserFixture.FacilitatorVillages.Length, drawn);
                break;
            default:
                Assert.InRange(drawn, regencyVillages * 95 / 100, regencyVillages);
                break;
        }
        Assert.Equal(role is Roles.Administrator or Roles.Auditor, await page.Locator("nav a[href='/Audit']").CountAsync() == 1);
        Assert.Equal(role is Roles.Administrator, await page.Locator("nav a[href='/Pengguna']").CountAsync() == 1);
        await app.ScreenshotAsync(page, $"9-{role}-1-dasbor");
        await PageChecks.AssertReadableAsync(page, listPage: true);

        // Kecamatan of the role's village, from the regency table; a village operator's home is their village's own
        // page (no kecamatan table), so they go to their kecamatan by its address.
        var district = RegionCode.DistrictOf(village);
        if (role == Roles.VillageOperator)
        {
            Assert.Equal(0, await page.Locator("#wilayah").CountAsync());
            await page.GotoAsync("/Wilayah/Kecamatan/" + district);
        }
        else
        {
            await page.ClickAsync($"#wilayah tr[data-code='{district}'] a");
        }
        await page.WaitForURLAsync(new Regex("/Wilayah/Kecamatan/" + Regex.Escape(district) + "$"));
        await page.Locator("#peta path.leaflet-interactive").First.WaitForAsync();
        await app.ScreenshotAsync(page, $"9-{role}-2-kecamatan");
        await PageChecks.AssertReadableAsync(page, listPage: true);

        // Village: its numbers, and its families by name.
        await page.ClickAsync($"#wilayah tr[data-code='{village}'] a");
        await page.WaitForURLAsync(new Regex("/Wilayah/Desa/" + Regex.Escape(village) + "$"));
        await app.ScreenshotAsync(page, $"9-{role}-3-desa");
        await PageChecks.AssertReadableAsync(page, listPage: true);
        var family = page.Locator("table#keluarga tbody tr a").First;
        await family.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/Keluarga/\d+$"));
        Assert.True(await page.Locator("table#anggota tbody tr").CountAsync() > 0, "the family page lists its members");
        await app.ScreenshotAsync(page, $"9-{role}-4-keluarga");
        await PageChecks.AssertReadableAsync(page, listPage: false);

        // The same home on a phone: the menu, the numbers and the map still read, in words and with zoned times.
        await page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
        await page.GotoAsync("/");
        await page.Locator("#peta path.leaflet-interactive").First.WaitForAsync();
        await app.ScreenshotAsync(page, $"9-{role}-6-beranda-ponsel");
        await PageChecks.AssertReadableAsync(page, listPage: true);
        await page.SetViewportSizeAsync(OfficeWidth, OfficeHeight);

        if (role == Roles.Partner)
        {
            // Another village: its numbers are the partner's, its names are not.
            await page.GotoAsync("/Wilayah/Desa/" + TuntasWebFactory.Trobayan);
            Assert.Equal(1, await page.Locator("#tanpa-nama").CountAsync());
            Assert.Equal(0, await page.Locator("table#keluarga").CountAsync());
            await app.ScreenshotAsync(page, $"9-{role}-5-desa-tanpa-perjanjian");
        }
    }
}

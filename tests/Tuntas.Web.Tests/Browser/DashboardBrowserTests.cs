using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tuntas.Regions;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>The dashboard map in a real Chromium: Leaflet draws one polygon per village, an indicator recolors them, a click opens the village.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task The_map_draws_every_village_and_a_click_opens_it()
    {
        int villages;
        await using (var db = app.Database.Database.CreateDb())
        {
            villages = await db.Regions.CountAsync(r => r.Level == Region.Village && r.Code.StartsWith(BrowserFixture.RegencyCode + "."));
        }
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword);

        var polygons = page.Locator("#peta path.leaflet-interactive");
        await polygons.First.WaitForAsync();
        var drawn = await polygons.CountAsync();
        output.WriteLine($"villages {villages}, polygons {drawn}");
        Assert.InRange(drawn, villages * 95 / 100, villages);
        Assert.NotNull(await page.QuerySelectorAsync("#peta .legend"));

        // Another indicator recolors the map (families are spread over villages; receiving assistance is not everywhere).
        var before = await page.EvalOnSelectorAllAsync<string[]>("#peta path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))");
        await page.SelectOptionAsync("#indikator", "penerima_bantuan");
        var after = await page.EvalOnSelectorAllAsync<string[]>("#peta path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('fill'))");
        Assert.NotEqual(before, after);
        await app.ScreenshotAsync(page, "5-1-dasbor-peta");

        await polygons.Nth(drawn / 2).DispatchEventAsync("click");
        await page.WaitForURLAsync(new Regex("/Wilayah/Desa/33\\.14\\.[0-9]{2}\\.[0-9]{4}$"));
        Assert.Equal(1, await page.Locator("h1").CountAsync());

        // The kecamatan dashboard draws only its villages; nothing scrolls sideways on a 360 px phone.
        await using var phone = await app.NewContextAsync(360, 740, await context.StorageStateAsync());
        var small = await phone.NewPageAsync();
        await small.GotoAsync("/Wilayah/Kecamatan/33.14.01");
        var kecamatan = small.Locator("#peta path.leaflet-interactive");
        await kecamatan.First.WaitForAsync();
        Assert.Equal(await small.Locator("#wilayah tbody tr").CountAsync(), await kecamatan.CountAsync());
        var scrollWidth = await small.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 360, $"the kecamatan dashboard scrolls sideways at 360 px: {scrollWidth}");
        await app.ScreenshotAsync(small, "5-2-dasbor-kecamatan-360");
    }
}

using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// The Bappeda planner goes from the Forum CSR view to the committed-vs-delivered report,
/// downloads it as XLSX, and prints the first village's profile for its musdes — on one A4 sheet, with the navigation
/// left off the paper.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CollaborationBrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task A_planner_reports_commitments_downloads_them_and_prints_a_village_profile_on_one_page()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, BrowserFixture.CoordinatorUser, BrowserFixture.RolePassword);

        await page.GotoAsync("/Kolaborasi");
        await app.ScreenshotAsync(page, "11-1-forum-csr");
        await page.ClickAsync("#ke-laporan");
        await page.Locator("#laporan-desa tbody tr").First.WaitForAsync();
        Assert.NotEqual("Rp0", await page.InnerTextAsync("#total-dijanjikan"));
        await app.ScreenshotAsync(page, "11-2-laporan-komitmen");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#unduh-desa-xlsx"));
        var file = Path.Combine(Path.GetTempPath(), "tuntas-laporan-" + Guid.NewGuid().ToString("N") + ".xlsx");
        await download.SaveAsAsync(file);
        using (var reader = new Tuntas.Imports.Tabular.XlsxTabularReader(File.OpenRead(file)))
        {
            Assert.Equal("KODE_DESA", reader.Header[0]);
            Assert.True(reader.Read());
        }
        File.Delete(file);

        // From the report to the first village's profile; printed, it is one A4 page without the navigation.
        await page.ClickAsync("#laporan-desa tbody tr:first-child a[href$='/Profil']");
        await page.Locator("#profil-desa").WaitForAsync();
        Assert.True(await page.Locator("#profil-kebutuhan tbody tr").CountAsync() > 0);
        await app.ScreenshotAsync(page, "11-3-profil-desa");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator("header.top").IsVisibleAsync());
        Assert.False(await page.Locator("#cetak").IsVisibleAsync());
        await app.ScreenshotAsync(page, "11-4-profil-desa-cetak");
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true });
        var pages = System.Text.RegularExpressions.Regex.Count(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page(?!s)");
        output.WriteLine($"profile PDF: {pdf.Length:N0} bytes, {pages} page(s)");
        Assert.Equal(1, pages);
    }
}

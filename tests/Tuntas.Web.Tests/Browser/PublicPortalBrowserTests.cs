using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// A citizen at the village kiosk checks the family's assistance, files
/// a complaint with a photo, follows it by its ticket, and reads the transparency page — without signing in, with no
/// NIK in any URL and nothing scrolling sideways.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class PublicPortalBrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    [GeneratedRegex(@"(?<!\d)\d{16}(?!\d)")]
    private static partial Regex SixteenDigits();

    [Fact]
    public async Task A_citizen_checks_status_files_a_complaint_and_tracks_it_on_a_phone()
    {
        (string Nik, string Nama) person;
        await using (var db = app.Database.Database.CreateDb())
        {
            person = await db.Persons.AsNoTracking().Where(p => p.HubunganKk == 1).OrderBy(p => p.Id).Select(p => new ValueTuple<string, string>(p.Nik, p.Nama)).FirstAsync();
        }
        await using var context = await app.NewContextAsync(360, 740);
        var page = await context.NewPageAsync();
        var urls = new List<string>();
        page.Request += (_, request) => urls.Add(request.Url);

        await page.GotoAsync("/Publik");
        await app.ScreenshotAsync(page, "10-1-portal");
        await page.ClickAsync("a[href='/Publik/Cek']");
        await page.FillAsync("#Nik", person.Nik);
        await page.FillAsync("#Nama", person.Nama.ToLowerInvariant());
        await page.ClickAsync("main form button[type=submit]");
        await page.Locator("#hasil").WaitForAsync();
        Assert.Equal("true", await page.GetAttributeAsync("#hasil", "data-ditemukan"));
        Assert.DoesNotContain(person.Nik, await page.ContentAsync(), StringComparison.Ordinal);
        await app.ScreenshotAsync(page, "10-2-cek-bantuan");

        await page.GotoAsync("/Publik/Pengaduan");
        await page.SelectOptionAsync("#kategori", "tidak-terdaftar");
        await page.FillAsync("#nama", "Warga Kios");
        await page.FillAsync("#kontak", "081234567890");
        await page.SelectOptionAsync("#desa", TuntasWebFactory.Keden);
        await page.FillAsync("#uraian", "Keluarga kami miskin tetapi tidak ada dalam daftar penerima bantuan desa.");
        var photo = Path.Combine(Path.GetTempPath(), "tuntas-foto-" + Guid.NewGuid().ToString("N") + ".png");
        await File.WriteAllBytesAsync(photo, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);
        await page.SetInputFilesAsync("#lampiran", photo);
        await page.ClickAsync("main form button[type=submit]");
        var ticket = await page.Locator("#tiket").InnerTextAsync();
        File.Delete(photo);
        output.WriteLine("ticket " + ticket);
        await app.ScreenshotAsync(page, "10-3-pengaduan-terkirim");

        await page.GotoAsync("/Publik/Lacak");
        await page.FillAsync("#tiket", ticket);
        await page.ClickAsync("main form button[type=submit]");
        await page.Locator("#status-pengaduan").WaitForAsync();
        Assert.Equal("baru", await page.GetAttributeAsync("#status-pengaduan", "data-status"));
        await app.ScreenshotAsync(page, "10-4-lacak");

        await page.GotoAsync("/Publik/Transparansi");
        Assert.True(await page.Locator("#transparansi tbody tr").CountAsync() > 0);
        var scrollWidth = await page.EvaluateAsync<int>("document.body.scrollWidth");
        await app.ScreenshotAsync(page, "10-5-transparansi");
        output.WriteLine($"transparency page scroll width at 360 px: {scrollWidth}");
        Assert.All(urls, url => Assert.DoesNotMatch(SixteenDigits(), url));
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// P2KP in a real Chromium (docs/p2kp.md): the regency's coordinator registers a BKM, forms a KSM from registry families,
/// proposes, approves and disburses a loan, records a repayment (posting the receipt again is refused), then opens the
/// UPK's monthly report.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class P2kpBrowserTests(BrowserFixture app)
{
    private const string Village = "33.14.04.2001";

    [Fact]
    public async Task A_coordinator_goes_from_ksm_formation_to_a_repayment_and_the_upk_report()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, BrowserFixture.CoordinatorUser, BrowserFixture.RolePassword);

        await page.GotoAsync("/P2kp/Bkm");
        await page.SelectOptionAsync("#form-bkm select[name=KodeDesa]", Village);
        await page.FillAsync("#form-bkm input[name=Name]", "BKM Uji Sejahtera");
        await page.ClickAsync("#form-bkm button[type=submit]");
        await page.Locator("section.box h2").First.WaitForAsync();
        await app.ScreenshotAsync(page, "p2kp-1-bkm");

        // Five heads of family of the village, found by name in the registry search.
        await using var db = app.Database.Database.CreateDb();
        var heads = await db.Persons.Where(p => p.HubunganKk == 1).Join(db.Families.Where(f => f.KodeDesa == Village), p => p.FamilyId, f => f.Id, (p, f) => new { p.Id, p.Nama })
            .OrderBy(p => p.Id).Take(5).ToListAsync();
        Assert.Equal(5, heads.Count);
        await page.GotoAsync("/P2kp/KsmBaru");
        foreach (var head in heads)
        {
            await page.FillAsync("#cari-anggota input[name=Q]", head.Nama);
            await page.ClickAsync("#cari-anggota button[type=submit]");
            await page.CheckAsync($"#calon-{head.Id}");
            await page.ClickAsync("#cari-anggota button[name=add]");
            await page.Locator($"#anggota-terpilih input[value='{head.Id}']").First.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
        }
        await page.FillAsync("#form-ksm input[name=Name]", "KSM Uji Mawar");
        await page.CheckAsync($"#anggota-terpilih input[type=radio][value='{heads[0].Id}']");
        await app.ScreenshotAsync(page, "p2kp-2-bentuk-ksm");
        await page.ClickAsync("#form-ksm button[type=submit]");
        await page.Locator("#nama-ksm").WaitForAsync();
        Assert.Equal(5, await page.Locator("#anggota tbody tr").CountAsync());

        await page.FillAsync("#form-usulan input[name=Principal]", "1000000");
        await page.FillAsync("#form-usulan input[name=TermMonths]", "10");
        foreach (var share in await page.Locator("#form-usulan input.share").AllAsync())
        {
            await share.FillAsync("200000");
        }
        await page.ClickAsync("#form-usulan button[type=submit]");
        await page.Locator("#form-setujui").WaitForAsync();
        await page.ClickAsync("#form-setujui button[type=submit]");
        await page.Locator("#form-cair").WaitForAsync();
        var today = DateTime.UtcNow;
        await page.FillAsync("#form-cair input[name=On]", today.AddMonths(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.FillAsync("#form-cair input[name=FirstDueOn]", today.AddMonths(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.ClickAsync("#form-cair button[type=submit]");
        await page.Locator("#form-angsuran").WaitForAsync();
        Assert.Equal("dicairkan", await page.InnerTextAsync("#status-pinjaman"));
        Assert.Equal(10, await page.Locator("#jadwal tbody tr").CountAsync());

        await page.FillAsync("#form-angsuran input[name=Receipt]", "KW-UJI-1");
        await page.ClickAsync("#form-angsuran button[type=submit]");
        await page.Locator("#tersimpan").WaitForAsync();
        Assert.Equal(1, await page.Locator("#angsuran tbody tr").CountAsync());
        // The same receipt again is refused as a duplicate.
        await page.FillAsync("#form-angsuran input[name=Receipt]", "KW-UJI-1");
        await page.ClickAsync("#form-angsuran button[type=submit]");
        await page.Locator(".error").WaitForAsync();
        Assert.Equal(1, await page.Locator("#angsuran tbody tr").CountAsync());
        await app.ScreenshotAsync(page, "p2kp-3-pinjaman");

        var kode = await db.Upks.Where(u => u.KodeDesa == Village).Select(u => u.Kode).SingleAsync();
        await page.GotoAsync($"/P2kp/Laporan/{kode}?bulan={today:yyyy-MM}");
        await page.Locator("#indikator").WaitForAsync();
        Assert.Equal(1, await page.Locator("#pinjaman-laporan tbody tr").CountAsync());
        await app.ScreenshotAsync(page, "p2kp-4-laporan-upk");
        await page.GotoAsync("/P2kp");
        await page.Locator($"#kinerja tr[data-kode='{kode}']").WaitForAsync();
        await app.ScreenshotAsync(page, "p2kp-5-kinerja");
    }
}

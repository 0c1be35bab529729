using Microsoft.EntityFrameworkCore;
using Tuntas.Registry;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// The BKM's other two pillars in a real Chromium (docs/p2kp.md, "Works and grants"): the coordinator registers a BKM,
/// writes its PJM Pronangkis with one UPL work (budget by source, location), records its progress with a photo, names a registry
/// family of the desa as a beneficiary, gives that family a UPS grant, and finds both on the family's page.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class P2kpWorksBrowserTests(BrowserFixture app)
{
    /// <summary>A 1×1 PNG: the progress form takes real image files only.</summary>
    private static readonly byte[] _photo = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task A_coordinator_plans_a_work_records_its_progress_and_beneficiary_and_gives_a_grant()
    {
        // A village of the demo regency with living families and no BKM yet (the loan walk has its own).
        await using var db = app.Database.Database.CreateDb();
        var taken = await db.Bkms.Select(b => b.KodeDesa).ToListAsync();
        var village = (await db.Families.Where(f => f.KodeDesa.StartsWith(BrowserFixture.RegencyCode + "."))
                .GroupBy(f => f.KodeDesa).Where(g => g.Count() >= 3).Select(g => g.Key).OrderByDescending(k => k).ToListAsync())
            .First(k => !taken.Contains(k) && k != "33.14.04.2001");
        var head = await db.Persons.Where(p => p.HubunganKk == 1 && p.StatusHidup == LifeStatus.Hidup)
            .Join(db.Families.Where(f => f.KodeDesa == village), p => p.FamilyId, f => f.Id, (p, f) => new { f.Id, p.Nama })
            .OrderBy(p => p.Id).FirstAsync();

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, BrowserFixture.CoordinatorUser, BrowserFixture.RolePassword);
        await page.GotoAsync("/P2kp/Bkm");
        await page.SelectOptionAsync("#form-bkm select[name=KodeDesa]", village);
        await page.FillAsync("#form-bkm input[name=Name]", "BKM Uji Karya");
        await page.ClickAsync("#form-bkm button[type=submit]");
        await page.Locator("section.box h2").First.WaitForAsync();
        var bkmId = await db.Bkms.Where(b => b.KodeDesa == village).Select(b => b.Id).SingleAsync();

        // The three-year PJM (a Renta must lie inside one) and its one UPL work: APBD money planned, part realised, a location on the map.
        await page.GotoAsync("/P2kp/Rencana");
        await page.SelectOptionAsync("#form-rencana select[name=BkmId]", bkmId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#form-rencana select[name=Kind]", "PJM");
        await page.FillAsync("#form-rencana input[name=Title]", "PJM Pronangkis Uji Karya");
        await page.ClickAsync("#form-rencana button[type=submit]");
        await page.Locator("#form-kegiatan").WaitForAsync();
        await page.SelectOptionAsync("#form-kegiatan select[name=Pillar]", "LINGKUNGAN");
        await page.FillAsync("#form-kegiatan input[name=Name]", "Rabat beton gang RT 02");
        await page.FillAsync("#form-kegiatan input[name='Planned[APBD]']", "15000000");
        await page.FillAsync("#form-kegiatan input[name='Realised[APBD]']", "6000000");
        await page.FillAsync("#form-kegiatan input[name=SwadayaInKind]", "2500000");
        await page.FillAsync("#form-kegiatan input[name=Latitude]", "-7.43");
        await page.FillAsync("#form-kegiatan input[name=Longitude]", "111.02");
        await page.ClickAsync("#form-kegiatan button[type=submit]");
        var work = page.Locator("#kegiatan tbody tr[data-pillar=LINGKUNGAN] a").First;
        await work.WaitForAsync();
        Assert.Contains("15.000.000", await page.InnerTextAsync("#total-anggaran"));
        await app.ScreenshotAsync(page, "p2kp-karya-1-pjm");

        // Progress with a photo, then the beneficiary found by the head's name.
        await work.ClickAsync();
        await page.Locator("#form-kemajuan").WaitForAsync();
        await page.FillAsync("#form-kemajuan input[name=persen]", "40");
        await page.FillAsync("#form-kemajuan textarea[name=catatan]", "Pengecoran separuh gang");
        await page.SetInputFilesAsync("#form-kemajuan input[name=foto]",
            new Microsoft.Playwright.FilePayload { Name = "gang.png", MimeType = "image/png", Buffer = _photo });
        await page.ClickAsync("#form-kemajuan button[type=submit]");
        await page.Locator("#laporan-kemajuan tbody tr").First.WaitForAsync();
        Assert.Equal("40 %", (await page.InnerTextAsync("#kemajuan-terakhir")).Trim());
        Assert.Equal(1, await page.Locator("#laporan-kemajuan td.foto a").CountAsync());
        await page.FillAsync("#cari-penerima input[name=cari]", head.Nama);
        await page.ClickAsync("#cari-penerima button[type=submit]");
        await page.CheckAsync($"#tambah-penerima input[value='{head.Id}']");
        await page.ClickAsync("#tambah-penerima button[type=submit]");
        await page.Locator("#daftar-penerima tbody tr").First.WaitForAsync();
        Assert.Equal("1", (await page.InnerTextAsync("#jumlah-penerima")).Trim());
        await app.ScreenshotAsync(page, "p2kp-karya-2-kemajuan-penerima");

        // A UPS grant to the same family.
        await page.GotoAsync($"/P2kp/Bantuan?desa={village}");
        await page.FillAsync("#cari-keluarga input[name=cari]", head.Nama);
        await page.ClickAsync("#cari-keluarga button[type=submit]");
        await page.SelectOptionAsync("#form-bantuan select[name=FamilyId]", head.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#form-bantuan input[name=Amount]", "250000");
        await page.FillAsync("#form-bantuan input[name=InKind]", "Paket sembako");
        await page.SelectOptionAsync("#form-bantuan select[name=Source]", "SWADAYA");
        await page.ClickAsync("#form-bantuan button[type=submit]");
        await page.Locator("#bantuan-ups tbody tr").First.WaitForAsync();
        Assert.Contains("250.000", await page.InnerTextAsync("#bantuan-total"));
        await app.ScreenshotAsync(page, "p2kp-karya-3-bantuan");

        // The family's page says what it receives from the BKM: the work and the grant.
        await page.GotoAsync($"/Keluarga/{head.Id}");
        await page.Locator("#p2kp-manfaat").WaitForAsync();
        Assert.Contains("Rabat beton gang RT 02", await page.InnerTextAsync("#p2kp-kegiatan-keluarga"));
        Assert.Contains("40 %", await page.InnerTextAsync("#p2kp-kegiatan-keluarga"));
        Assert.Contains("Paket sembako", await page.InnerTextAsync("#p2kp-bantuan-keluarga"));
        await app.ScreenshotAsync(page, "p2kp-karya-4-keluarga");
    }
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Users;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// The verivali cycle in a real Chromium: the regency opens a period, a relawan visits an assigned family, the village
/// operator reviews, prints the berita acara, records the decision, closes the musdes with the signed scan and applies;
/// the regency closes the period and downloads the proposal. The visit carries a photo, the operator enters a family
/// proposed by villagers (usulan baru), and the dashboard map shows the period's progress per village.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class VerivaliBrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    private const string Relawan = "relawan.browser";

    [Fact]
    public async Task A_period_runs_from_worklist_to_visit_review_musdes_apply_and_export()
    {
        await using (var db = app.Database.Database.CreateDb())
        {
            if (!await db.Users.AnyAsync(u => u.UserName == Relawan))
            {
                await new AddUser(db, TimeProvider.System).RunAsync(new AddUser.Input(Relawan, "Relawan Uji", BrowserFixture.RolePassword, Roles.Relawan, null, null), CancellationToken.None);
            }
        }
        await using var regencyContext = await app.NewContextAsync();
        var regency = await regencyContext.NewPageAsync();
        await app.SignInAsync(regency, BrowserFixture.CoordinatorUser, BrowserFixture.RolePassword);
        await regency.GotoAsync("/Verivali");
        await regency.FillAsync("#form-buka input[name=nama]", "Semester I 2027 (uji)");
        await regency.ClickAsync("#form-buka button");
        await regency.Locator("#kemajuan tbody tr").First.WaitForAsync();
        // The suspected-duplicates search the opening started (its worker is off in the tests, so it stays pending).
        await regency.Locator("#dugaan-ganda[data-status=menunggu]").WaitForAsync();
        await app.ScreenshotAsync(regency, "13-1-periode-dibuka");
        long periodId;
        long lineId;
        await using (var db = app.Database.Database.CreateDb())
        {
            periodId = await db.VerivaliPeriods.Where(p => p.ClosedAt == null).Select(p => p.Id).SingleAsync();
            lineId = await db.VerivaliLines.Where(l => l.PeriodId == periodId && l.KodeDesa == TuntasWebFactory.Keden).OrderBy(l => l.Id).Select(l => l.Id).FirstAsync();
        }

        await using var operatorContext = await app.NewContextAsync();
        var village = await operatorContext.NewPageAsync();
        await app.SignInAsync(village, TuntasWebFactory.OperatorUser, TuntasWebFactory.OperatorPassword);
        await village.GotoAsync($"/Verivali/Kunjungan?periode={periodId}");
        await village.FillAsync("#form-tugaskan input[name=petugas]", Relawan);
        await village.CheckAsync($"#form-tugaskan input[name=baris][value='{lineId}']");
        await village.ClickAsync("#form-tugaskan button");
        await village.Locator("#pesan").WaitForAsync();

        await using var relawanContext = await app.NewContextAsync(width: 360, height: 740);
        var relawan = await relawanContext.NewPageAsync();
        await app.SignInAsync(relawan, Relawan, BrowserFixture.RolePassword);
        await relawan.GotoAsync($"/Verivali/Kunjungan?periode={periodId}");
        Assert.Equal(1, await relawan.Locator("section[id^=baris-]").CountAsync());
        var line = relawan.Locator($"#baris-{lineId}");
        // The proposed changes are rows: for whom, a field of the catalogue, its value (a code list where it has one,
        // pre-filled with the registry's value). A value the import would refuse is refused here too, the rows kept.
        int floor, education;
        long memberId;
        await using (var db = app.Database.Database.CreateDb())
        {
            var familyId = await db.VerivaliLines.Where(l => l.Id == lineId).Select(l => l.FamilyId!.Value).SingleAsync();
            floor = await db.Families.Where(f => f.Id == familyId).Select(f => f.JenisLantai ?? 0).SingleAsync();
            (memberId, education) = await db.Persons.Where(p => p.FamilyId == familyId).OrderBy(p => p.HubunganKk).ThenBy(p => p.TanggalLahir).ThenBy(p => p.Id)
                .Select(p => ValueTuple.Create(p.Id, p.Pendidikan)).FirstAsync();
        }
        await line.Locator("select[name=hasil]").SelectOptionAsync("perbaikan-data");
        Assert.Equal(0, await line.Locator("textarea").CountAsync());
        Assert.Equal(1, await line.Locator(".perubahan-baris").CountAsync());
        var row = line.Locator(".perubahan-baris").First;
        await row.Locator("select[name='ubah.kolom']").SelectOptionAsync("JENIS_LANTAI");
        Assert.Equal("SELECT", await row.Locator("[name='ubah.nilai']").EvaluateAsync<string>("e => e.tagName"));
        Assert.Equal(floor.ToString(System.Globalization.CultureInfo.InvariantCulture), await row.Locator("[name='ubah.nilai']").InputValueAsync());
        Assert.Contains("(" + floor.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")", await row.Locator(".sekarang").InnerTextAsync());
        await row.Locator("select[name='ubah.kolom']").SelectOptionAsync("MAKAN_PER_HARI");
        await row.Locator("input[name='ubah.nilai']").FillAsync("9");
        await app.ScreenshotAsync(relawan, "13-2a-kunjungan-baris-perubahan");
        await line.Locator("form.form-kunjungi button[type=submit]").ClickAsync();
        await relawan.Locator("#masalah-kolom").WaitForAsync();
        Assert.Contains("OUT_OF_RANGE", await relawan.InnerTextAsync("#masalah-kolom"));
        line = relawan.Locator($"#baris-{lineId}");
        row = line.Locator(".perubahan-baris").First;
        Assert.Equal("MAKAN_PER_HARI", await row.Locator("select[name='ubah.kolom']").InputValueAsync());
        Assert.Equal("9", await row.Locator("[name='ubah.nilai']").InputValueAsync());
        await app.ScreenshotAsync(relawan, "13-2-kunjungan-ditolak");
        await line.Locator("select[name=hasil]").SelectOptionAsync("perbaikan-data");
        await row.Locator("select[name='ubah.kolom']").SelectOptionAsync("JENIS_LANTAI");
        await row.Locator("select[name='ubah.nilai']").SelectOptionAsync("2");
        // A second row, for a member: only member fields are offered, and the member's current value comes first.
        await line.Locator(".tambah-perubahan").ClickAsync();
        var second = line.Locator(".perubahan-baris").Nth(1);
        await second.Locator("select[name='ubah.siapa']").SelectOptionAsync(memberId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await second.Locator("select[name='ubah.kolom']").SelectOptionAsync("PENDIDIKAN");
        Assert.Equal(education.ToString(System.Globalization.CultureInfo.InvariantCulture), await second.Locator("select[name='ubah.nilai']").InputValueAsync());
        var newEducation = education == 5 ? 4 : 5;
        await second.Locator("select[name='ubah.nilai']").SelectOptionAsync(newEducation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await line.Locator("input[name=catatan]").FillAsync("Lantai sudah keramik");
        await line.Locator("input[name=foto]").SetInputFilesAsync(new Microsoft.Playwright.FilePayload
        {
            Name = "lantai.png",
            MimeType = "image/png",
            Buffer = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0],
        });
        await line.Locator("form.form-kunjungi button[type=submit]").ClickAsync();
        await relawan.Locator($"#baris-{lineId}[data-status=dikunjungi] .foto a").WaitForAsync();
        await app.ScreenshotAsync(relawan, "13-3-kunjungan-relawan");
        await using (var db = app.Database.Database.CreateDb())
        {
            var changes = Tuntas.Verivali.VisitChange.Describe(await db.VerivaliLines.Where(l => l.Id == lineId).Select(l => l.Changes).SingleAsync());
            Assert.Equal($"JENIS_LANTAI = 2; anggota {memberId}: PENDIDIKAN = {newEducation}", changes);
        }

        await village.GotoAsync($"/Verivali/Kunjungan?periode={periodId}");
        await village.Locator($"#baris-{lineId} .form-tinjau button[value=true]").ClickAsync();
        await village.Locator($"#baris-{lineId}[data-status=ditinjau]").WaitForAsync();
        // A family proposed by villagers, typed by the operator with the import's columns.
        await village.ClickAsync("#usulan-baru summary");
        foreach (var (column, value) in Tuntas.Testing.ProposedFamilies.Family())
        {
            await village.FillAsync($"#form-usulan input[name='kk.{column}']", column == "NO_KK" ? "3314010101200099" : value!);
        }
        foreach (var (column, value) in Tuntas.Testing.ProposedFamilies.Head(Tuntas.Registry.Nik.Compose("331401", new DateOnly(1990, 4, 5), 1, 99)))
        {
            await village.FillAsync($"#form-usulan input[name='a1.{column}']", value!);
        }
        await app.ScreenshotAsync(village, "13-3b-usulan-baru");
        await village.ClickAsync("#form-usulan button");
        await village.Locator("#pesan").WaitForAsync();
        long proposedId;
        await using (var db = app.Database.Database.CreateDb())
        {
            proposedId = await db.VerivaliLines.Where(l => l.PeriodId == periodId && l.FamilyId == null).Select(l => l.Id).SingleAsync();
        }
        await village.Locator($"#baris-{proposedId} .form-tinjau button[value=true]").ClickAsync();
        await village.Locator($"#baris-{proposedId}[data-status=ditinjau]").WaitForAsync();
        await village.GotoAsync($"/Verivali/BeritaAcara?periode={periodId}&desa={TuntasWebFactory.Keden}");
        await village.Locator($"#baris-{lineId} a[download]").WaitForAsync();
        Assert.Contains("Wagiman", await village.InnerTextAsync($"#baris-{proposedId}"));
        await app.ScreenshotAsync(village, "13-4-berita-acara");
        await village.SelectOptionAsync($"select[name='d.{lineId}']", "setuju");
        await village.SelectOptionAsync($"select[name='d.{proposedId}']", "setuju");
        await village.ClickAsync("#form-putus button");
        await village.FillAsync("#form-tutup-musdes input[name=tanggal]", "2026-11-20");
        await village.SetInputFilesAsync("#form-tutup-musdes input[name=pindaian]", new Microsoft.Playwright.FilePayload
        {
            Name = "berita-acara.pdf",
            MimeType = "application/pdf",
            Buffer = "%PDF-1.4\n%berita acara bertanda tangan\n"u8.ToArray(),
        });
        await village.ClickAsync("#form-tutup-musdes button");
        await village.Locator("#form-terapkan").WaitForAsync();
        await village.ClickAsync("#form-terapkan button");
        await village.Locator("#hasil-terap").WaitForAsync();
        output.WriteLine(await village.InnerTextAsync("#hasil-terap"));
        Assert.Contains("1 keluarga usulan baru", await village.InnerTextAsync("#hasil-terap"));
        await app.ScreenshotAsync(village, "13-5-keputusan-diterapkan");

        // The dashboard map's verivali layer: the village's share of lines applied, from the open period's progress.
        await regency.GotoAsync("/");
        await regency.Locator("#peta[data-period]").WaitForAsync();
        await regency.SelectOptionAsync("#indikator", "verivali:appliedShare");
        await regency.Locator(".legend b").WaitForAsync();
        Assert.Contains("Verivali", await regency.InnerTextAsync(".legend b"));
        await app.ScreenshotAsync(regency, "13-5b-peta-verivali");

        await regency.GotoAsync($"/Verivali?periode={periodId}");
        await regency.ClickAsync("#form-tutup button");
        await regency.Locator("#periode").WaitForAsync();
        var download = await regency.RunAndWaitForDownloadAsync(() => regency.GotoAsync($"/api/verivali/periods/{periodId}/proposal?format=csv").ContinueWith(_ => { }));
        var file = Path.Combine(Path.GetTempPath(), "usulan-" + Guid.NewGuid().ToString("N") + ".csv");
        await download.SaveAsAsync(file);
        var csv = await File.ReadAllTextAsync(file);
        File.Delete(file);
        Assert.Contains("perubahan", csv);
        Assert.Contains("penambahan", csv);
        Assert.Contains("Wagiman", csv);
        await app.ScreenshotAsync(regency, "13-6-periode-ditutup");
        await using var db2 = app.Database.Database.CreateDb();
        Assert.Equal("diterapkan", await db2.VerivaliLines.Where(l => l.Id == lineId).Select(l => l.ApplyResult).SingleAsync());
        // The agreed usulan baru is now a family of the registry, its line pointing at it.
        var registered = await db2.VerivaliLines.Where(l => l.Id == proposedId).Select(l => l.FamilyId).SingleAsync();
        Assert.Equal("3314010101200099", await db2.Families.Where(f => f.Id == registered).Select(f => f.NoKk).SingleAsync());
    }
}

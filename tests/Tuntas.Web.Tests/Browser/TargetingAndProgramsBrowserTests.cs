using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// Targeting (/Penargetan) and the assistance programs (/Program, the family page's "Bantuan yang diterima") in a real
/// Chromium: a run started from its form, rule preview with an invalid and a valid rule, the program pages with masked
/// or full identifiers by role, the error report's XLSX worklist through the browser's download, and the new pages on a
/// 360 px phone. Every wait is on a selector or a URL, never on a fixed delay.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class TargetingAndProgramsBrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    private const int FamilyPageBudgetBytes = 200 * 1024;
    private const int PhoneWidth = 360;

    /// <summary>Sub-pixel rounding only: anything wider is a page that scrolls sideways.</summary>
    private const int OverflowTolerance = 1;

    private const string UnknownField = """{"<": [{"field": "luas_lantaii"}, 8]}""";
    /// <summary>Valid and broad (every family with a floor area), so each kecamatan has a count above zero.</summary>
    private const string ValidRule = """{">": [{"field": "luas_lantai"}, 0]}""";

    [GeneratedRegex(@"(?<!\d)\d{16}(?!\d)")]
    private static partial Regex SixteenDigits();

    [GeneratedRegex(@"/Penargetan/\d+$")]
    private static partial Regex RunUrl();

    [GeneratedRegex(@"/Keluarga/\d+$")]
    private static partial Regex FamilyUrl();

    [GeneratedRegex(@"^\d{2}\.\d{2}\.\d{2}$")]
    private static partial Regex DistrictCode();

    [Fact]
    public async Task An_administrator_starts_a_run_from_the_page_and_previews_an_invalid_then_a_valid_rule()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword);

        await page.GotoAsync("/Penargetan");
        await page.Locator("form#jalankan").WaitForAsync();
        await page.SelectOptionAsync("#DecileModel", "");
        await app.ScreenshotAsync(page, "6-1-penargetan");
        await page.ClickAsync("form#jalankan button[type=submit]");
        await page.WaitForURLAsync(RunUrl(), new() { Timeout = 120_000 });
        await page.Locator("table#program").WaitForAsync();

        // The run page: every default program with its eligible families, the deciles, the family count of the registry.
        var programs = page.Locator("table#program tbody tr");
        Assert.True(await programs.CountAsync() >= 10, "the ten default programs");
        // The registry as it is now: other browser tests share it (the verivali walk registers an agreed new family).
        int registered;
        await using (var db = app.Database.Database.CreateDb())
        {
            registered = await db.Families.CountAsync();
        }
        Assert.True(registered >= BrowserFixture.DemoFamilies);
        Assert.Equal(registered, Number(await page.InnerTextAsync("#jumlah-keluarga")));
        var deciles = page.Locator("table#desil tbody tr");
        Assert.True(await deciles.CountAsync() >= 2, "deciles and the row of families without a decile");
        var decileFamilies = 0;
        foreach (var cell in await page.Locator("table#desil tbody tr td:nth-child(2)").AllInnerTextsAsync())
        {
            decileFamilies += Number(cell);
        }
        Assert.Equal(registered, decileFamilies);
        Assert.DoesNotMatch(SixteenDigits(), await page.InnerTextAsync("body"));
        await app.ScreenshotAsync(page, "6-2-penargetan-hasil");

        // To the rules by links, as a person would.
        await page.ClickAsync("p.crumbs a[href='/Penargetan']");
        await page.WaitForURLAsync(app.BaseUrl + "/Penargetan");
        await page.ClickAsync("a#aturan");
        await page.WaitForURLAsync(app.BaseUrl + "/Penargetan/Aturan");
        await page.Locator("form#aturan-form").WaitForAsync();
        await app.ScreenshotAsync(page, "6-3-aturan");

        await page.FillAsync("#Program", "UJI");
        await page.FillAsync("#Name", "Uji peramban");
        // The JSON box is the experts' view behind a toggle; the structured rows are RuleEditorBrowserTests'.
        await page.ClickAsync("form#aturan-form button.re-toggle");
        await page.FillAsync("#Definition", UnknownField);
        await PreviewButton(page).ClickAsync();
        var issues = page.Locator("#masalah");
        await issues.WaitForAsync();
        Assert.Contains("UNKNOWN_FIELD", await issues.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#pratinjau").CountAsync());
        Assert.Equal(UnknownField, await page.InputValueAsync("#Definition"));
        await app.ScreenshotAsync(page, "6-4-aturan-salah");

        await page.ClickAsync("form#aturan-form button.re-toggle");
        await page.FillAsync("#Definition", ValidRule);
        await PreviewButton(page).ClickAsync();
        var districts = page.Locator("table#pratinjau-kecamatan tbody tr");
        await districts.First.WaitForAsync();
        Assert.Equal(0, await page.Locator("#masalah").CountAsync());
        var districtCount = await districts.CountAsync();
        Assert.True(districtCount >= 10, $"expected a count for each kecamatan of Sragen, saw {districtCount} rows");
        var eligible = 0;
        for (var i = 0; i < districtCount; i++)
        {
            Assert.Matches(DistrictCode(), (await districts.Nth(i).Locator("td").First.InnerTextAsync()).Trim());
            var families = Number(await districts.Nth(i).Locator("td.num").First.InnerTextAsync());
            Assert.True(families > 0, $"kecamatan row {i} counts no family with a floor area");
            eligible += families;
        }
        Assert.InRange(eligible, 1, BrowserFixture.DemoFamilies + 1);
        await app.ScreenshotAsync(page, "6-5-aturan-pratinjau");
    }

    [Fact]
    public async Task An_administrator_walks_the_programs_downloads_the_error_worklist_and_opens_a_recipient_family()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword);
        await EnsureRunAsync(page);

        await page.GotoAsync("/Program");
        await page.Locator("table#katalog").WaitForAsync();
        int programCount;
        await using (var db = app.Database.Database.CreateDb())
        {
            programCount = await db.Programs.CountAsync();
        }
        Assert.Equal(programCount, await page.Locator("table#katalog tbody tr").CountAsync());
        await app.ScreenshotAsync(page, "7-1-program");

        await page.Locator("table#katalog").GetByRole(AriaRole.Link, new() { Name = "PKH", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/Program/PKH");
        var recipients = page.Locator("table#penerima tbody tr");
        await recipients.First.WaitForAsync();
        Assert.InRange(await recipients.CountAsync(), 1, Tuntas.Programs.ListEnrollments.PageSize);
        Assert.True(Number(await page.InnerTextAsync("#jumlah-terbuka")) > 0, "PKH has open demo enrollments");
        // Masked for every role at first (docs/security.md); an administrator (RegistryPermissions.SeeSensitive) reveals
        // the page's identifiers with one audited action.
        Assert.DoesNotMatch(SixteenDigits(), await page.InnerTextAsync("table#penerima"));
        await page.ClickAsync("#buka-nik");
        await page.Locator("table#penerima tbody tr").First.WaitForAsync();
        Assert.Matches(SixteenDigits(), await page.InnerTextAsync("table#penerima"));
        await app.ScreenshotAsync(page, "7-2-program-pkh");

        // A recipient's family, by its link: the assistance section lists PKH, and the family page itself masks identifiers.
        await recipients.First.Locator("td:nth-child(2) a").ClickAsync();
        await page.WaitForURLAsync(FamilyUrl());
        var assistance = page.Locator("table#bantuan-diterima tbody tr");
        await assistance.First.WaitForAsync();
        Assert.Contains(await assistance.AllInnerTextsAsync(), row => row.StartsWith("PKH", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator("table#bantuan-diterima a[href='/Program/PKH']").CountAsync());
        Assert.NotEmpty((await page.InnerTextAsync("#bantuan-nilai")).Trim());
        Assert.DoesNotMatch(SixteenDigits(), await page.InnerTextAsync("body"));
        await page.Locator("section#bantuan").ScrollIntoViewIfNeededAsync();
        await app.ScreenshotAsync(page, "7-3-keluarga-bantuan");

        await page.GotoAsync("/Program");
        await page.ClickAsync("a#ke-tumpang-tindih");
        await page.WaitForURLAsync(app.BaseUrl + "/Program/TumpangTindih");
        await page.Locator("table#matriks").WaitForAsync();
        Assert.Equal(programCount, await page.Locator("table#matriks tbody tr").CountAsync());
        Assert.True(Number(await page.InnerTextAsync("#keluarga-menerima")) > 0, "families receive something");
        await app.ScreenshotAsync(page, "7-4-tumpang-tindih");

        await page.GotoAsync("/Program");
        await page.ClickAsync("a#ke-galat");
        await page.WaitForURLAsync(app.BaseUrl + "/Program/Galat");
        await page.Locator("table#galat-kabupaten").WaitForAsync();
        Assert.True(await page.Locator("table#galat-kabupaten tbody tr").CountAsync() > 0, "error counts per program");
        await page.SelectOptionAsync("select#program", "PKH");
        await page.ClickAsync("form#saring button[type=submit]");
        var villages = page.Locator("table#galat-desa tbody tr");
        await villages.First.WaitForAsync();
        Assert.True(await villages.CountAsync() > 0, "PKH errors per village");
        Assert.DoesNotMatch(SixteenDigits(), page.Url);
        await app.ScreenshotAsync(page, "7-5-galat");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a#unduh-xlsx"));
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await download.FailureAsync());
        var file = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(file);
        output.WriteLine($"worklist {download.SuggestedFilename}: {bytes.Length:N0} bytes");
        Assert.True(bytes.Length > 2, "the worklist is empty");
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);

        await page.GotoAsync("/Program");
        await page.ClickAsync("a#ke-realisasi");
        await page.WaitForURLAsync(new Regex("/Program/Realisasi"));
        var realization = page.Locator("table#realisasi-program tbody tr");
        await realization.First.WaitForAsync();
        Assert.True(await realization.CountAsync() > 0, "realization per program");
        await app.ScreenshotAsync(page, "7-6-realisasi");
    }

    [Fact]
    public async Task An_agency_officer_sees_program_recipients_with_masked_identifiers()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, TuntasWebFactory.OfficerUser, TuntasWebFactory.OfficerPassword);
        var urls = new List<string>();
        page.Request += (_, request) => urls.Add(request.Url);

        // The officer's OPD (Dinas Sosial Kabupaten) owns UEP, not PKH (Access.ProgramOwnership): it reads both, changes UEP only.
        await page.GotoAsync("/Program/UEP");
        Assert.Equal(1, await page.Locator("form#form-unggah").CountAsync());
        // A list matched only (the box is ticked), then enrolled by its button without choosing the file again.
        string listed;
        await using (var db = app.Database.Database.CreateDb())
        {
            var enrolled = db.Enrollments.Select(e => e.FamilyId);
            var head = await db.Persons.Where(p => p.HubunganKk == 1 && !enrolled.Contains(p.FamilyId)).OrderByDescending(p => p.Id).FirstAsync();
            listed = $"NIK,NAMA\n{head.Nik},{head.Nama}\n";
        }
        await page.SetInputFilesAsync("#form-unggah input[name=Upload]", new FilePayload { Name = "uep.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(listed) });
        await page.ClickAsync("#form-unggah button[type=submit]");
        await page.Locator("#daftarkan-berkas button").WaitForAsync();
        Assert.Equal("0", await page.GetAttributeAsync("#hasil-impor", "data-committed"));
        await page.ClickAsync("#daftarkan-berkas button");
        await page.Locator("#hasil-impor[data-committed='1']").WaitForAsync();
        Assert.Equal(0, await page.Locator("#daftarkan-berkas").CountAsync());
        Assert.DoesNotMatch(SixteenDigits(), await page.InnerTextAsync("body"));
        await page.GotoAsync("/Program/PKH");
        var recipients = page.Locator("table#penerima tbody tr");
        await recipients.First.WaitForAsync();
        // Agency officers may not see full identifiers (RegistryPermissions.SeeSensitive).
        Assert.Equal(0, await page.Locator("form#form-unggah").CountAsync());
        foreach (var nik in await page.Locator("table#penerima tbody tr td:nth-child(3)").AllInnerTextsAsync())
        {
            Assert.Contains("••••", nik, StringComparison.Ordinal);
        }
        Assert.DoesNotMatch(SixteenDigits(), await page.InnerTextAsync("body"));
        Assert.DoesNotMatch(SixteenDigits(), await page.ContentAsync());
        Assert.All(urls, url => Assert.DoesNotMatch(SixteenDigits(), url));
        await app.ScreenshotAsync(page, "8-program-pkh-petugas");
    }

    [Fact]
    public async Task Run_and_program_pages_fit_a_360_px_phone_and_the_family_page_with_assistance_stays_under_200_KB()
    {
        string signedIn;
        await using (var desktop = await app.NewContextAsync())
        {
            var page = await desktop.NewPageAsync();
            await app.SignInAsync(page, TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword);
            await EnsureRunAsync(page);
            signedIn = await desktop.StorageStateAsync();
        }
        long runId;
        long familyId;
        await using (var db = app.Database.Database.CreateDb())
        {
            runId = await db.TargetingRuns.MaxAsync(r => r.Id);
            // The family enrolled in the most programs: the longest assistance table, on top of the members.
            familyId = await db.Enrollments.GroupBy(e => e.FamilyId)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstAsync();
        }

        await using (var phone = await app.NewContextAsync(PhoneWidth, 740, signedIn))
        {
            var page = await phone.NewPageAsync();
            foreach (var (url, table, name) in new[]
            {
                ($"/Penargetan/{runId}", "table#program", "9-1-penargetan-360px"),
                ("/Penargetan/Aturan", "table#aturan", "9-2-aturan-360px"),
                ("/Program", "table#katalog", "9-3-program-360px"),
                ("/Program/PKH", "table#penerima", "9-4-program-pkh-360px"),
                ("/Program/Galat?program=PKH", "table#galat-desa", "9-5-galat-360px"),
                ("/Program/TumpangTindih", "table#matriks", "9-6-tumpang-tindih-360px"),
                ("/Program/Realisasi", "table#realisasi-program", "9-7-realisasi-360px"),
            })
            {
                var response = await page.GotoAsync(url);
                Assert.Equal(200, response?.Status);
                await page.Locator(table).WaitForAsync();
                await app.ScreenshotAsync(page, name);
                await AssertNoSidewaysScrollAsync(page, url);
            }
        }

        // A fresh context: the cookie but an empty cache, so everything the page loads crosses the wire.
        await using (var phone = await app.NewContextAsync(PhoneWidth, 740, signedIn))
        {
            var page = await phone.NewPageAsync();
            var finished = new List<IRequest>();
            page.RequestFinished += (_, request) => finished.Add(request);
            var response = await page.GotoAsync($"/Keluarga/{familyId}");
            Assert.Equal(200, response?.Status);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.True(await page.Locator("table#bantuan-diterima tbody tr").CountAsync() >= 2, "the family receives several programs");
            Assert.Equal(1, await page.Locator("section#penargetan").CountAsync());
            await app.ScreenshotAsync(page, "9-8-keluarga-bantuan-360px");
            await page.Locator("section#bantuan").ScrollIntoViewIfNeededAsync();
            await app.ScreenshotAsync(page, "9-9-keluarga-bantuan-360px-bagian", fullPage: false);
            await AssertNoSidewaysScrollAsync(page, $"/Keluarga/{familyId}");

            long bytes = 0;
            foreach (var request in finished.ToList())
            {
                var sizes = await request.SizesAsync();
                bytes += sizes.ResponseHeadersSize + sizes.ResponseBodySize;
            }
            var performance = await page.EvaluateAsync<long>(
                "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((sum, e) => sum + (e.transferSize || 0), 0)");
            output.WriteLine($"family page {familyId} with assistance: {finished.Count} responses, {bytes:N0} bytes (Playwright), {performance:N0} bytes (transferSize); budget {FamilyPageBudgetBytes:N0}");
            Assert.True(bytes > 0, "no response was measured");
            Assert.True(Math.Max(bytes, performance) < FamilyPageBudgetBytes,
                $"the family page weighs {Math.Max(bytes, performance):N0} bytes, over the {FamilyPageBudgetBytes:N0} byte budget");
        }
    }

    /// <summary>The page does not scroll sideways, and every table sits in a <c>.table-wrap</c> that scrolls on its own.</summary>
    private async Task AssertNoSidewaysScrollAsync(IPage page, string url)
    {
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        var widest = await page.EvaluateAsync<string>(
            """
            () => {
              const limit = document.documentElement.clientWidth;
              const wide = [...document.querySelectorAll('body *')]
                .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > limit + 1)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right));
              return wide.slice(0, 8).join(', ');
            }
            """);
        var unwrapped = await page.EvaluateAsync<int>("[...document.querySelectorAll('main table')].filter(t => !t.closest('.table-wrap')).length");
        output.WriteLine($"{url}: scrollWidth {scrollWidth} at {PhoneWidth} px{(widest.Length > 0 ? "; too wide: " + widest : "")}");
        Assert.True(scrollWidth <= PhoneWidth + OverflowTolerance, $"{url} scrolls sideways on a {PhoneWidth} px phone: scrollWidth {scrollWidth}; {widest}");
        Assert.Equal(0, unwrapped);
    }

    /// <summary>Starts a targeting run through the form when none exists yet (the error report needs one).</summary>
    private async Task EnsureRunAsync(IPage page)
    {
        await page.GotoAsync("/Penargetan");
        await page.Locator("#penargetan, #tanpa-penargetan").First.WaitForAsync();
        if (await page.Locator("table#penargetan").CountAsync() > 0)
        {
            return;
        }
        await page.ClickAsync("form#jalankan button[type=submit]");
        await page.WaitForURLAsync(RunUrl(), new() { Timeout = 120_000 });
        await page.Locator("table#program").WaitForAsync();
    }

    private static ILocator PreviewButton(IPage page) =>
        page.Locator("form#aturan-form").GetByRole(AriaRole.Button, new() { Name = "Pratinjau", Exact = true });

    private static int Number(string text) => int.Parse(new string([.. text.Where(char.IsAsciiDigit)]), System.Globalization.CultureInfo.InvariantCulture);
}

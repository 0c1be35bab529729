using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// The back office in a real Chromium (ARCHITECTURE §6): real sign-in form, a walk through the main pages, the phone
/// budget of the family page, the language switch. Run alone with <c>dotnet test --filter Category=Browser</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class BrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    /// <summary>Budget from the issue: the family page with everything it loads, over the wire.</summary>
    private const int FamilyPageBudgetBytes = 200 * 1024;

    [GeneratedRegex(@"(?<!\d)\d{16}(?!\d)")]
    private static partial Regex SixteenDigits();

    [Fact]
    public async Task An_administrator_signs_in_and_walks_dashboard_to_village_to_family()
    {
        output.WriteLine("screenshots: " + app.ScreenshotFolder);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var urls = new List<string>();
        page.Request += (_, request) => urls.Add(request.Url);
        page.FrameNavigated += (_, frame) => urls.Add(frame.Url);

        await page.GotoAsync("/Masuk");
        await app.ScreenshotAsync(page, "1-1-masuk");
        await page.FillAsync("#UserName", TuntasWebFactory.AdminUser);
        await page.FillAsync("#Password", TuntasWebFactory.AdminPassword);
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForURLAsync(app.BaseUrl + "/");

        // Home: every kecamatan of the regency with its counts, adding up to what the database holds.
        int familiesInDatabase;
        await using (var db = app.Database.Database.CreateDb())
        {
            familiesInDatabase = await db.Families.CountAsync();
        }
        var rows = page.Locator("table#wilayah tbody tr");
        var districtCount = await rows.CountAsync();
        Assert.True(districtCount >= 10, $"expected the kecamatan of Sragen on the home page, saw {districtCount} rows");
        var familyCounts = new List<int>();
        for (var i = 0; i < districtCount; i++)
        {
            familyCounts.Add(Number(await rows.Nth(i).Locator("td.num").First.InnerTextAsync()));
        }
        Assert.Equal(familiesInDatabase, familyCounts.Sum());
        Assert.Equal(familiesInDatabase, Number(await page.InnerTextAsync("#jumlah-keluarga")));
        await app.ScreenshotAsync(page, "1-2-beranda");

        // Kecamatan → desa → keluarga, each by clicking a link, as a person would.
        var district = rows.Nth(familyCounts.FindIndex(n => n > 0)).Locator("a");
        var districtName = await district.InnerTextAsync();
        await district.ClickAsync();
        await page.WaitForURLAsync(new Regex("/Wilayah/Kecamatan/"));
        Assert.Contains(districtName, await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await app.ScreenshotAsync(page, "1-3-kecamatan");

        var villages = page.Locator("table#wilayah tbody tr");
        var villageIndex = -1;
        for (var i = 0; i < await villages.CountAsync() && villageIndex < 0; i++)
        {
            if (Number(await villages.Nth(i).Locator("td.num").First.InnerTextAsync()) > 0)
            {
                villageIndex = i;
            }
        }
        Assert.True(villageIndex >= 0, "no village of " + districtName + " has families");
        var village = villages.Nth(villageIndex).Locator("a");
        var villageName = await village.InnerTextAsync();
        await village.ClickAsync();
        await page.WaitForURLAsync(new Regex("/Wilayah/Desa/"));
        Assert.Contains(villageName, await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await app.ScreenshotAsync(page, "1-4-desa");

        var family = page.Locator("table#keluarga tbody tr a").First;
        await family.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/Keluarga/\d+$"));
        var familyId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        await app.ScreenshotAsync(page, "1-5-keluarga");

        // Members table with masked NIKs; no full NIK or NO_KK anywhere in the page, its HTML or any URL.
        List<string> identifiers;
        await using (var db = app.Database.Database.CreateDb())
        {
            identifiers = await db.Persons.Where(p => p.FamilyId == familyId).Select(p => p.Nik).ToListAsync();
            identifiers.Add(await db.Families.Where(f => f.Id == familyId).Select(f => f.NoKk).SingleAsync());
        }
        var members = page.Locator("table#anggota tbody tr");
        Assert.Equal(identifiers.Count - 1, await members.CountAsync());
        foreach (var nik in await page.Locator("table#anggota td.nik").AllInnerTextsAsync())
        {
            Assert.Contains("••••", nik, StringComparison.Ordinal);
        }
        var text = await page.InnerTextAsync("body");
        var html = await page.ContentAsync();
        Assert.DoesNotMatch(SixteenDigits(), text);
        foreach (var identifier in identifiers)
        {
            Assert.DoesNotContain(identifier, html, StringComparison.Ordinal);
        }
        output.WriteLine($"visited {urls.Distinct().Count()} URLs");
        Assert.All(urls, url => Assert.DoesNotMatch(SixteenDigits(), url));
    }

    [Fact]
    public async Task Search_finds_a_family_by_a_spelling_variant_of_a_name()
    {
        // A real two-part name that few families share, so the family must be among the (at most 20) results.
        var (name, familyId) = await RareTwoPartNameAsync();
        var variant = SpaceVariant(name);
        output.WriteLine($"searching for \"{variant}\" (registered as \"{name}\", family {familyId})");

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword);
        await page.GotoAsync("/Keluarga/Cari");
        await page.FillAsync("#Query", variant);
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForSelectorAsync("table#hasil, #tidak-ditemukan");
        await app.ScreenshotAsync(page, "2-cari");

        Assert.Equal(1, await page.Locator($"table#hasil a[href='/Keluarga/{familyId}']").CountAsync());
        Assert.Equal(app.BaseUrl + "/Keluarga/Cari", page.Url);
        foreach (var part in variant.Split(' '))
        {
            Assert.DoesNotContain(part, page.Url, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotMatch(SixteenDigits(), await page.InnerTextAsync("body"));
    }

    [Fact]
    public async Task The_family_page_fits_a_360_px_phone_and_weighs_under_200_KB()
    {
        long familyId;
        await using (var db = app.Database.Database.CreateDb())
        {
            // The largest family: the widest members table and the longest page.
            familyId = await db.Persons.GroupBy(p => p.FamilyId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstAsync();
        }
        string signedIn;
        await using (var desktop = await app.NewContextAsync())
        {
            await app.SignInAsync(await desktop.NewPageAsync(), TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword);
            signedIn = await desktop.StorageStateAsync();
        }

        // A new context: the cookie, but an empty cache, so every resource of the page crosses the wire.
        await using var phone = await app.NewContextAsync(360, 740, signedIn);
        var page = await phone.NewPageAsync();
        var finished = new List<IRequest>();
        page.RequestFinished += (_, request) => finished.Add(request);
        var response = await page.GotoAsync($"/Keluarga/{familyId}");
        Assert.Equal(200, response?.Status);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await app.ScreenshotAsync(page, "3-keluarga-360px");
        await page.Locator("table#anggota").ScrollIntoViewIfNeededAsync();
        await app.ScreenshotAsync(page, "3-keluarga-360px-anggota", fullPage: false);

        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        output.WriteLine($"scrollWidth at 360 px: {scrollWidth}");
        Assert.True(scrollWidth <= 360, $"the family page scrolls sideways on a 360 px phone: scrollWidth {scrollWidth}");

        long bytes = 0;
        foreach (var request in finished.ToList())
        {
            var sizes = await request.SizesAsync();
            output.WriteLine($"  {request.Url}: {sizes.ResponseHeadersSize} header + {sizes.ResponseBodySize} body bytes");
            bytes += sizes.ResponseHeadersSize + sizes.ResponseBodySize;
        }
        var performance = await page.EvaluateAsync<long>(
            "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((sum, e) => sum + (e.transferSize || 0), 0)");
        output.WriteLine($"family page {familyId}: {finished.Count} responses, {bytes:N0} bytes over the wire (Playwright), {performance:N0} bytes (Performance API transferSize); budget {FamilyPageBudgetBytes:N0}");
        Assert.True(bytes > 0, "no response was measured");
        Assert.True(Math.Max(bytes, performance) < FamilyPageBudgetBytes,
            $"the family page weighs {Math.Max(bytes, performance):N0} bytes, over the {FamilyPageBudgetBytes:N0} byte budget");
    }

    [Fact]
    public async Task A_village_operator_signs_in_and_the_language_switches_to_English()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, TuntasWebFactory.OperatorUser, TuntasWebFactory.OperatorPassword);
        Assert.Equal("id", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("Cari Keluarga", await page.InnerTextAsync("header nav"), StringComparison.Ordinal);

        await page.ClickAsync("header nav a[lang=en]");
        await page.WaitForFunctionAsync("document.documentElement.lang === 'en'");
        Assert.Equal(app.BaseUrl + "/", page.Url);
        var nav = await page.InnerTextAsync("header nav");
        Assert.Contains("Find a family", nav, StringComparison.Ordinal);
        Assert.Contains("Sign out", nav, StringComparison.Ordinal);
        Assert.Contains("Bahasa Indonesia", nav, StringComparison.Ordinal);
        Assert.DoesNotContain("Cari Keluarga", nav, StringComparison.Ordinal);
        Assert.Contains("NIK is shown masked", await page.InnerTextAsync("footer"), StringComparison.Ordinal);
        await app.ScreenshotAsync(page, "4-english");

        // The choice sticks for the next page.
        await page.ClickAsync("header nav >> text=Find a family");
        await page.WaitForURLAsync(app.BaseUrl + "/Keluarga/Cari");
        Assert.Equal("Find a family", await page.InnerTextAsync("main h1"));
    }

    [Fact]
    public async Task Wrong_password_shows_a_clear_message_in_Indonesian()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Masuk");
        await page.FillAsync("#UserName", TuntasWebFactory.OfficerUser);
        await page.FillAsync("#Password", "bukan-kata-sandinya");
        await page.ClickAsync("main form button[type=submit]");
        var alert = page.Locator("main [role=alert]");
        await alert.WaitForAsync();
        await app.ScreenshotAsync(page, "5-sandi-salah");

        Assert.Equal(
            "Nama pengguna atau kata sandi salah. Coba lagi atau hubungi administrator.",
            (await alert.InnerTextAsync()).Trim());
        Assert.Equal("id", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal(app.BaseUrl + "/Masuk", page.Url);
        Assert.Equal("", await page.InputValueAsync("#Password"));
        Assert.Equal(TuntasWebFactory.OfficerUser, await page.InputValueAsync("#UserName"));
        Assert.Equal(0, await page.Locator("header form[action='/Keluar']").CountAsync());
    }

    private async Task<(string Name, long FamilyId)> RareTwoPartNameAsync()
    {
        await using var db = app.Database.Database.CreateDb();
        var persons = await db.Persons.Select(p => new { p.Nama, p.NamaKunci, p.FamilyId }).ToListAsync();
        var familiesByKey = persons.GroupBy(p => p.NamaKunci).ToDictionary(g => g.Key, g => g.Select(p => p.FamilyId).Distinct().Count());
        var pick = persons
            .Where(p => p.Nama.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, { Length: >= 6 } last] && last.All(char.IsLetter))
            .Where(p => familiesByKey[p.NamaKunci] <= 3)
            .OrderBy(p => p.NamaKunci, StringComparer.Ordinal)
            .FirstOrDefault() ?? throw new InvalidOperationException("the demo registry has no rare two-part name");
        return (pick.Nama, pick.FamilyId);
    }

    /// <summary>"Siti Nurhaliza" → "Siti Nur Haliza": the second part split with a space, as another clerk may write it.</summary>
    private static string SpaceVariant(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var last = parts[1];
        var rest = char.IsUpper(last[0]) ? char.ToUpperInvariant(last[3]) + last[4..] : last[3..];
        return $"{parts[0]} {last[..3]} {rest}";
    }

    private static int Number(string text) => int.Parse(new string([.. text.Where(char.IsAsciiDigit)]));
}

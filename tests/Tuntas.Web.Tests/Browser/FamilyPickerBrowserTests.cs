using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tuntas.Registry;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// A village operator records a need for one family by picking it: the family picker searches the head's name as
/// typed, lists the operator's own families with their KK numbers masked, and the picked family is the
/// need's family — no KK number typed or shown in full.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class FamilyPickerBrowserTests(BrowserFixture app)
{
    [GeneratedRegex(@"(?<!\d)\d{16}(?!\d)")]
    private static partial Regex SixteenDigits();

    [Fact]
    public async Task A_need_names_its_family_by_a_picked_name_with_the_kk_number_masked()
    {
        long familyId;
        string head;
        await using (var db = app.Database.Database.CreateDb())
        {
            (familyId, head) = await db.Persons.Where(p => p.HubunganKk == 1 && p.StatusHidup == LifeStatus.Hidup && db.Families.Any(f => f.Id == p.FamilyId && f.KodeDesa == TuntasWebFactory.Keden))
                .OrderBy(p => p.Id).Select(p => ValueTuple.Create(p.FamilyId, p.Nama)).FirstAsync();
        }
        await using var context = await app.NewContextAsync(width: 360, height: 740);
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, TuntasWebFactory.OperatorUser, TuntasWebFactory.OperatorPassword);
        await page.GotoAsync("/Kolaborasi/Kebutuhan");
        var picker = page.Locator("#keluarga-kebutuhan .family-picker");
        // The head's name in lower case, as people type it; the search is the registry's forgiving one.
        await picker.Locator(".picker-query").FillAsync(head.ToLowerInvariant());
        await picker.Locator(".picker-query").PressAsync("Enter");
        var choice = picker.Locator($".picker-choose[data-id='{familyId}']");
        await choice.WaitForAsync();
        Assert.False(SixteenDigits().IsMatch(await picker.InnerTextAsync()), "KK numbers are masked in the picker");
        await choice.ClickAsync();
        Assert.Equal(familyId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await picker.Locator(".picker-picked input[name='Form.FamilyId']").InputValueAsync());
        await page.FillAsync("#form-kebutuhan input[name='Form.Title']", "Bedah rumah satu keluarga (uji pemilih)");
        await page.FillAsync("#form-kebutuhan input[name='Form.Cost']", "Rp 15 jt");
        await app.ScreenshotAsync(page, "14-1-pemilih-keluarga");
        await PageChecks.AssertFitsWidthAsync(page);
        await page.ClickAsync("#form-kebutuhan button[type=submit]");
        await page.Locator("#kebutuhan-baru").WaitForAsync();
        await using var check = app.Database.Database.CreateDb();
        Assert.Equal(familyId, await check.Needs.Where(n => n.Title == "Bedah rumah satu keluarga (uji pemilih)").Select(n => n.FamilyId).SingleAsync());
    }
}

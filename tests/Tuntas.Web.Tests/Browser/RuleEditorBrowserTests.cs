using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// The structured rule editor on /Penargetan/Aturan in a real Chromium: a coordinator of the targeting builds a rule by
/// rows (a coded family field picked from its code list, a condition on a member), reads the JSON the rows wrote and
/// the live count beside them, checks that count against the preview button, saves, and finds the same rows after a
/// reload; a scoring model opens as a table of weights. Waits are on selectors and texts, never on a fixed delay.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class RuleEditorBrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    /// <summary>Floor of earth or bamboo (REGSOSEK 303 codes 7 and 8) and a child of at most 6 in the family.</summary>
    private const string ExpectedRule = """{"all":[{"in":[{"field":"jenis_lantai"},[7,8]]},{"anyMember":{"<=":[{"field":"umur"},6]}}]}""";

    [GeneratedRegex(@"^\D*([\d.,]+)")]
    private static partial Regex FirstNumber();

    [Fact]
    public async Task An_administrator_builds_a_rule_by_rows_sees_its_json_and_count_saves_it_and_finds_the_rows_again()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword);
        await page.GotoAsync("/Penargetan/Aturan");
        var editor = page.Locator("#Definition-baris");
        await editor.WaitForAsync();
        Assert.True(await page.Locator("#Definition").IsHiddenAsync(), "the JSON box is the experts' view, behind the toggle");

        await page.FillAsync("#Program", "BARIS");
        await page.FillAsync("#Name", "Uji penyunting baris");
        var root = editor.Locator("> .re-group");
        await root.Locator("> .re-add .re-add-condition").ClickAsync();
        var row = root.Locator("> .re-rows > .re-row").First;
        await row.Locator("select.re-field").SelectOptionAsync("jenis_lantai");
        // A coded field offers its code list, not a number box: pick "7 · Tanah", then widen to "one of".
        await row.Locator("select.re-value").SelectOptionAsync("7");
        await row.Locator("select.re-op").SelectOptionAsync("in");
        Assert.True(await row.Locator("input[type=checkbox][value='7']").IsCheckedAsync(), "the picked code stays chosen");
        await row.Locator("input[type=checkbox][value='8']").CheckAsync();

        await root.Locator("> .re-add .re-add-member").ClickAsync();
        var member = root.Locator("> .re-rows > .re-member .re-row").First;
        await member.Locator("select.re-field").SelectOptionAsync("umur");
        await member.Locator("select.re-op").SelectOptionAsync("<=");
        await member.Locator("input.re-value").FillAsync("6");

        await page.ClickAsync("form#aturan-form button.re-toggle");
        Assert.True(await page.Locator("#Definition").IsVisibleAsync());
        Assert.Equal(Canonical(ExpectedRule), Canonical(await page.InputValueAsync("#Definition")));

        // The count beside the rows follows them, and says what the preview button says.
        var count = page.Locator("#hitung-langsung");
        await Assertions.Expect(count).ToContainTextAsync(new Regex(@"\d+ (dari|of) \d"), new() { Timeout = 30_000 });
        var live = FirstNumber().Match(await count.InnerTextAsync()).Groups[1].Value;
        await app.ScreenshotAsync(page, "6-6-aturan-baris");
        await page.Locator("form#aturan-form").GetByRole(AriaRole.Button, new() { Name = "Pratinjau", Exact = true }).ClickAsync();
        await page.Locator("#pratinjau").WaitForAsync();
        Assert.Equal(live, FirstNumber().Match(await page.InnerTextAsync("#pratinjau p")).Groups[1].Value);
        output.WriteLine($"live count {live} families");

        await page.Locator("form#aturan-form").GetByRole(AriaRole.Button, new() { Name = "Simpan", Exact = true }).ClickAsync();
        await page.Locator("#disimpan").WaitForAsync();
        Assert.Contains("BARIS v", await page.InnerTextAsync("#disimpan"), StringComparison.Ordinal);

        await page.GotoAsync("/Penargetan/Aturan?program=BARIS");
        await editor.WaitForAsync();
        Assert.Equal(Canonical(ExpectedRule), Canonical(await page.InputValueAsync("#Definition")));
        row = root.Locator("> .re-rows > .re-row").First;
        Assert.Equal("jenis_lantai", await row.Locator("select.re-field").InputValueAsync());
        Assert.Equal("in", await row.Locator("select.re-op").InputValueAsync());
        Assert.True(await row.Locator("input[type=checkbox][value='7']").IsCheckedAsync());
        Assert.True(await row.Locator("input[type=checkbox][value='8']").IsCheckedAsync());
        Assert.False(await row.Locator("input[type=checkbox][value='1']").IsCheckedAsync());
        member = root.Locator("> .re-rows > .re-member .re-row").First;
        Assert.Equal("umur", await member.Locator("select.re-field").InputValueAsync());
        Assert.Equal("6", await member.Locator("input.re-value").InputValueAsync());
        Assert.Equal(0, await editor.Locator(".re-raw").CountAsync());
        await app.ScreenshotAsync(page, "6-7-aturan-baris-dimuat");

        // A weighted index opens as a table: one weight per indicator, each condition as rows.
        await page.GotoAsync("/Penargetan/Aturan?ModelCode=INDEKS");
        var weights = page.Locator("#ModelDefinition-baris table#model-bobot tbody tr");
        await weights.First.WaitForAsync();
        Assert.True(await weights.CountAsync() >= 5, "the index's indicators");
        var firstWeight = weights.First.Locator("td.num input");
        await firstWeight.FillAsync("5");
        using var model = JsonDocument.Parse(await page.InputValueAsync("#ModelDefinition"));
        Assert.Equal(5, model.RootElement.GetProperty("indikator")[0].GetProperty("bobot").GetDouble());
        await app.ScreenshotAsync(page, "6-8-model-bobot");
    }

    private static string Canonical(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// What every page of a walk must hold, checked on the text a person reads (docs/glossary.md, docs/security.md):
/// no text key shown instead of its words, no internal document cited, every clock time followed by the regency's zone, and on list pages no
/// unmasked 16-digit NIK or KK number; on a phone, no page wider than the screen.
/// </summary>
public static partial class PageChecks
{
    /// <summary>Sub-pixel rounding only: anything wider is a page that scrolls sideways.</summary>
    private const int OverflowTolerance = 1;

    /// <summary>A resource key such as <c>Targeting.Rules</c> printed because its text is missing.</summary>
    [GeneratedRegex(@"(?<![\w./@-])[A-Z][A-Za-z]{2,}(?:\.[A-Z][A-Za-z0-9]+)+(?![\w/@-])")]
    private static partial Regex TextKey();

    /// <summary>A clock time (or a range of two) not followed by WIB, WITA or WIT.</summary>
    [GeneratedRegex(@"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])(?!\s*(?:[–-]\s*\d{1,2}:\d{2}(?::\d{2})?\s*)?(?:WIB|WITA|WIT)\b)")]
    private static partial Regex TimeWithoutZone();

    [GeneratedRegex(@"(?<!\d)\d{16}(?!\d)")]
    private static partial Regex SixteenDigits();

    /// <summary>A pointer to an internal document ("DOMAIN §5 [U]") instead of the rule itself (docs/glossary.md).</summary>
    [GeneratedRegex(@"\bDOMAIN\b|\bARCHITECTURE\b|§\s*\d|\[[UVS]\]")]
    private static partial Regex InternalReference();

    public static async Task AssertReadableAsync(IPage page, bool listPage)
    {
        var text = await page.InnerTextAsync("body");
        var where = page.Url;
        var key = TextKey().Match(text);
        Assert.False(key.Success, $"{where}: untranslated text key '{key.Value}'");
        var internalReference = InternalReference().Match(text);
        Assert.False(internalReference.Success, $"{where}: an internal document cited: '…{(internalReference.Success ? Around(text, internalReference.Index) : "")}…'");
        var time = TimeWithoutZone().Match(text);
        Assert.False(time.Success, $"{where}: time '{time.Value}' without its zone in '…{Around(text, time.Index)}…'");
        if (listPage)
        {
            Assert.False(SixteenDigits().IsMatch(text), $"{where}: an unmasked 16-digit number on a list page");
        }
    }

    public static async Task AssertFitsWidthAsync(IPage page)
    {
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= inner + OverflowTolerance, $"{page.Url}: {scroll} px wide on a {inner} px screen");
    }

    private static string Around(string text, int index) => text[Math.Max(0, index - 30)..Math.Min(text.Length, index + 30)].ReplaceLineEndings(" ");
}

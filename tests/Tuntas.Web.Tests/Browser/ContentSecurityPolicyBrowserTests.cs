using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// The Content-Security-Policy (script-src 'self', style-src 'self', no inline script) in a real Chromium: the main pages
/// — the dashboard map, search, programs, collaboration, a village profile, the public portal — load with no CSP
/// violation reported by the browser, and their scripts still run (the map draws, its legend is filled).
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture app, ITestOutputHelper output)
{
    private static readonly string[] _backOffice =
    [
        "/", "/Keluarga/Cari", "/Wilayah/Kecamatan/33.14.01", "/Wilayah/Desa/" + TuntasWebFactory.Keden, "/Program", "/Program/PKH",
        "/Penargetan", "/Impor", "/Aduan", "/Kolaborasi", "/Kolaborasi/Lab", "/Kolaborasi/Lab/" + TuntasWebFactory.Keden + "/Profil", "/Audit", "/Pengguna",
    ];

    private static readonly string[] _public = ["/Publik", "/Publik/Cek", "/Publik/Pengaduan", "/Publik/Lacak", "/Publik/Transparansi", "/Masuk"];

    [Fact]
    public async Task The_main_pages_run_under_the_policy_without_a_violation()
    {
        await using var context = await app.NewContextAsync();
        // Init scripts are injected by the browser itself, not by the page, so the policy does not stop this listener.
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => { (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber); });");
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                console.Add(page.Url + ": " + message.Text);
            }
        };
        var violations = new List<string>();
        foreach (var url in _public)
        {
            await VisitAsync(page, url, violations);
        }
        await app.SignInAsync(page, TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword);
        await page.Locator("#peta path.leaflet-interactive").First.WaitForAsync();
        Assert.True(await page.Locator("#peta .legend i").CountAsync() > 1, "the map legend is drawn by the script");
        foreach (var url in _backOffice)
        {
            await VisitAsync(page, url, violations);
        }
        output.WriteLine($"{_public.Length + _backOffice.Length} pages visited");
        Assert.True(violations.Count == 0 && console.Count == 0, string.Join("\n", violations.Concat(console)));
    }

    private static async Task VisitAsync(IPage page, string url, List<string> violations)
    {
        var response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.NotNull(response);
        Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        var found = await page.EvaluateAsync<string[]?>("() => window.__csp || null");
        violations.AddRange((found ?? []).Select(v => url + ": " + v));
    }
}

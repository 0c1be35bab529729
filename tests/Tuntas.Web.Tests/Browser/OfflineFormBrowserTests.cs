using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Tuntas.FieldCollection;
using Tuntas.Users;
using Tuntas.Verivali;

namespace Tuntas.Web.Tests.Browser;

/// <summary>
/// The offline field form in a real Chromium with the network cut (Playwright's offline mode): a relawan with two
/// assigned families loads the form while connected (the service worker keeps it, the worklist goes to IndexedDB),
/// loses the signal, fills two visits and a new family proposal with a bad NIK, reloads the page still offline, then
/// reconnects: both visits land once on their worklist lines, the proposal is refused with its reason, and sending
/// everything again stores nothing twice.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class OfflineFormBrowserTests(BrowserFixture app)
{
    private const string Relawan = "relawan.luring";

    /// <summary>A valid 1×1 PNG: the form scales the photo through a canvas to a JPEG before keeping it.</summary>
    private static readonly byte[] _png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Two_visits_filled_without_signal_arrive_once_after_a_reload_offline_and_a_refusal_shows_its_reason()
    {
        long? openedHere = null;
        long[] lines;
        await using (var db = app.Database.Database.CreateDb())
        {
            if (!await db.Users.AnyAsync(u => u.UserName == Relawan))
            {
                await new AddUser(db, TimeProvider.System).RunAsync(new AddUser.Input(Relawan, "Relawan Luring", BrowserFixture.RolePassword, Roles.Relawan, null, null), CancellationToken.None);
            }
            // The browser tests share one database: use the open period, or open one and close it again at the end so
            // the verivali walk can open its own.
            if (!await db.VerivaliPeriods.AnyAsync(p => p.ClosedAt == null))
            {
                var opened = await new OpenPeriod(db, TimeProvider.System).RunAsync(new OpenPeriod.Input("Formulir luring (uji)", BrowserFixture.CoordinatorUser), CancellationToken.None);
                openedHere = opened.Period!.Id;
            }
            var period = await db.VerivaliPeriods.Where(p => p.ClosedAt == null).Select(p => p.Id).SingleAsync();
            lines = await db.VerivaliLines.Where(l => l.PeriodId == period && l.KodeDesa == TuntasWebFactory.Keden && l.FamilyId != null && l.Status == VerivaliTerms.Open && l.AssignedTo == null)
                .OrderByDescending(l => l.Id).Select(l => l.Id).Take(2).ToArrayAsync();
            Assert.Equal(2, lines.Length);
            // Test set-up: the assignment itself (AssignLines) has its own tests.
            await db.VerivaliLines.Where(l => lines.Contains(l.Id)).ExecuteUpdateAsync(u => u.SetProperty(l => l.AssignedTo, Relawan));
        }
        try
        {
            await WalkAsync(lines);
        }
        finally
        {
            if (openedHere is { } id)
            {
                await using var db = app.Database.Database.CreateDb();
                await new ClosePeriod(db, TimeProvider.System).RunAsync(id, BrowserFixture.CoordinatorUser, CancellationToken.None);
            }
        }
    }

    private async Task WalkAsync(long[] lines)
    {
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl,
            ViewportSize = new() { Width = 360, Height = 740 },
            Locale = "id-ID",
            Permissions = ["geolocation"],
            Geolocation = new() { Latitude = -7.4301f, Longitude = 111.0119f, Accuracy = 6 },
        });
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, Relawan, BrowserFixture.RolePassword);
        await page.GotoAsync("/Lapangan/Formulir");
        await page.Locator("#formulir[data-ready=true]").WaitForAsync();
        // Installed: the worker controls the page and keeps it (the page's CSP forbids WaitForFunction's eval: the script
        // says so in data attributes).
        await page.Locator("#formulir[data-offline=ready]").WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>("caches.match(location.pathname).then(r => !!r)"));
        Assert.Equal(3, await page.Locator("#keluarga option").CountAsync()); // "— pilih —" and the two assigned families
        await app.ScreenshotAsync(page, "17-1-formulir-luring");

        await context.SetOfflineAsync(true);
        await page.Locator("#jaringan[data-online=false]").WaitForAsync();

        // Visit 1: nothing changed, with the GPS point.
        await page.SelectOptionAsync("#keluarga", lines[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#hasil", VerivaliTerms.Unchanged);
        await page.ClickAsync("#form-kunjungan button.gps");
        await page.Locator("#form-kunjungan output.lokasi", new() { HasText = "-7.43010" }).WaitForAsync();
        await page.ClickAsync("#form-kunjungan button[type=submit]");
        await page.Locator("#kiriman-hp li[data-state=menunggu]").First.WaitForAsync();

        // Visit 2: a correction of the floor, with a photo of the house.
        await page.SelectOptionAsync("#keluarga", lines[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#hasil", VerivaliTerms.Corrected);
        await page.SelectOptionAsync("#rumah select[name=jenis_lantai]", "1");
        await page.SetInputFilesAsync("#form-kunjungan input[name=foto]", new FilePayload { Name = "rumah.png", MimeType = "image/png", Buffer = _png });
        await page.FillAsync("#form-kunjungan textarea[name=catatan]", "Lantai sudah marmer");
        await page.ClickAsync("#form-kunjungan button[type=submit]");
        await page.Locator("#kiriman-hp li[data-state=menunggu]").Nth(1).WaitForAsync();

        // A new family whose head's NIK has month 13: the server's rules refuse it, with the reason.
        await page.SelectOptionAsync("#desa", TuntasWebFactory.Keden);
        await page.EvaluateAsync("""
            () => document.querySelectorAll('#usulan-keluarga [name], #usulan-anggota [name]').forEach(e => {
              if (e.tagName === 'SELECT') e.selectedIndex = 1;
              else if (e.type === 'number') e.value = e.min || '1';
              else if (e.type === 'date') e.value = '1990-04-05';
              else if (e.pattern === '[0-9]{16}') e.value = '3314010504900077';
              else if (e.pattern) e.value = '001';
              else e.value = 'Uji luring';
            })
            """);
        await page.SelectOptionAsync("#usulan-anggota select[name=hubungan_kk]", "1");
        await page.FillAsync("#usulan-anggota input[name=nik]", "3314011513900001");
        await page.ClickAsync("#form-usulan button[type=submit]");
        await page.Locator("#kiriman-hp li[data-state=menunggu]").Nth(2).WaitForAsync();

        // Reloaded without signal: the worker serves the page, IndexedDB still holds the list and the three forms.
        await page.ReloadAsync();
        await page.Locator("#formulir[data-ready=true]").WaitForAsync();
        Assert.Equal(3, await page.Locator("#kiriman-hp li[data-state=menunggu]").CountAsync());
        Assert.Equal(3, await page.Locator("#keluarga option").CountAsync());
        await app.ScreenshotAsync(page, "17-2-formulir-luring-antrian");
        await using (var db = app.Database.Database.CreateDb())
        {
            Assert.Equal(0, await db.FieldSubmissions.CountAsync(s => s.SubmittedBy == Relawan));
        }

        // The signal is back: everything goes, and each answer shows.
        await context.SetOfflineAsync(false);
        await page.Locator("#jaringan[data-online=true]").WaitForAsync();
        await page.Locator("#kiriman-hp li[data-state=ditolak]").WaitForAsync(); // sent oldest first: the proposal is the last
        Assert.Equal(0, await page.Locator("#kiriman-hp li[data-state=menunggu]").CountAsync());
        Assert.Equal(2, await page.Locator("#kiriman-hp li[data-state=diterima]").CountAsync());
        var refused = page.Locator("#kiriman-hp li[data-state=ditolak]");
        Assert.Contains("NIK", await refused.InnerTextAsync(), StringComparison.Ordinal);
        await app.ScreenshotAsync(page, "17-3-formulir-luring-terkirim");

        // Sent all again (a phone that never saw the answers): the server stores nothing twice.
        await page.EvaluateAsync("""
            () => new Promise(done => {
              const open = indexedDB.open('tuntas-lapangan');
              open.onsuccess = () => {
                const tx = open.result.transaction('kiriman', 'readwrite');
                const store = tx.objectStore('kiriman');
                store.getAll().onsuccess = (e) => e.target.result.forEach(i => { i.state = 'menunggu'; store.put(i); });
                tx.oncomplete = () => done();
              };
            })
            """);
        var sends = await page.GetAttributeAsync("#formulir", "data-sends");
        await page.ClickAsync("#kirim");
        await page.Locator($"#formulir:not([data-sends='{sends}'])").WaitForAsync();
        Assert.Equal(2, await page.Locator("#kiriman-hp li[data-state=diterima]").CountAsync());
        Assert.Equal(0, await page.Locator("#kiriman-hp li[data-state=menunggu]").CountAsync());

        await using (var db = app.Database.Database.CreateDb())
        {
            var stored = await db.FieldSubmissions.AsNoTracking().Where(s => s.SubmittedBy == Relawan).ToListAsync();
            Assert.Equal(3, stored.Count);
            var accepted = stored.Where(s => s.Status == FieldTerms.Accepted).OrderBy(s => s.LineId).ToList();
            Assert.Equal(lines.Order(), accepted.Select(s => s.LineId!.Value));
            Assert.All(accepted, s => Assert.Equal(FieldForms.Visit, s.FormId));
            var first = accepted.Single(s => s.LineId == lines[0]);
            Assert.Equal(-7.4301, first.Latitude!.Value, 3);
            var second = accepted.Single(s => s.LineId == lines[1]);
            Assert.Equal(1, await db.FieldSubmissionFiles.CountAsync(f => f.SubmissionId == second.Id && f.ContentType == "image/jpeg"));
            var proposal = stored.Single(s => s.Status == FieldTerms.Refused);
            Assert.Equal(FieldForms.NewFamily, proposal.FormId);
            Assert.Contains("NIK", proposal.Problems, StringComparison.Ordinal);
            var visited = await db.VerivaliLines.AsNoTracking().Where(l => lines.Contains(l.Id)).ToListAsync();
            Assert.All(visited, l => Assert.Equal((VerivaliTerms.Visited, Relawan), (l.Status, l.VisitedBy)));
            Assert.Equal([VerivaliTerms.Unchanged, VerivaliTerms.Corrected], lines.Select(id => visited.Single(l => l.Id == id).Outcome));
        }
    }
}

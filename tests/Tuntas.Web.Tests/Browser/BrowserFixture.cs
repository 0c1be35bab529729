using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tuntas.Access;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Web.Tests.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// One server and one Chromium for all browser tests (ARCHITECTURE §6): a fresh SQLite database with ~2,000 demo families
/// imported through <see cref="SeedDemoRegistry"/> with the program catalogue and demo recipients, the users of <see cref="TuntasWebFactory"/>, the app on Kestrel at a
/// real loopback port, and Debian's <c>/usr/bin/chromium</c> driven headless by Playwright.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string RegencyCode = "33.14";
    public const int DemoFamilies = 2000;
    public const string RolePassword = "rahasia-peran-123";
    public const string CoordinatorUser = "koordinator";
    public const string AuditorUser = "auditor";
    public const string FacilitatorUser = "pendamping";
    public const string PartnerUser = "mitra";
    public const string PartnerOrganization = "PT Uji Peduli";
    /// <summary>Two villages of two kecamatan, neither the operator's.</summary>
    public static readonly string[] FacilitatorVillages = ["33.14.02.2001", "33.14.03.2001"];

    private TestDatabase? _database;
    private BrowserApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not started");

    /// <summary>The app's real address, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("fixture not started");

    public string ScreenshotFolder { get; } =
        Environment.GetEnvironmentVariable("TUNTAS_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>How long the fixture took to start, for the test output (not asserted: timings belong in bench/).</summary>
    public TimeSpan StartUpTime { get; private set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Browser tests need Chromium at {ChromiumPath} (Debian package 'chromium'; CI installs it). " +
                "It is not there, so the browser tests fail instead of skipping. Never run 'playwright install'.");
        }
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(ScreenshotFolder);

        _database = await TestDatabase.CreateAsync("Sqlite");
        await new SeedDemoRegistry(_database.Database, TimeProvider.System)
            .RunAsync(new GenerateDemoRegistry.Input(RegencyCode, DemoFamilies, 1), null, CancellationToken.None);
        // The web app saves the program catalogue at start-up, after the demo registry above was seeded without recipients;
        // save it now and draw the demo recipients, as ProgramsTests does, so the program pages have something to show.
        await new SeedPrograms(_database.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoEnrollments(_database.Database, TimeProvider.System).RunAsync(1, DateTime.UtcNow.Year, CancellationToken.None);

        _app = new BrowserApp(_database);
        _app.UseKestrel();
        _app.StartServer();
        BaseUrl = _app.Address();
        await _app.AddUserAsync(TuntasWebFactory.AdminUser, TuntasWebFactory.AdminPassword, Roles.Administrator);
        await _app.AddUserAsync(TuntasWebFactory.OperatorUser, TuntasWebFactory.OperatorPassword, Roles.VillageOperator, TuntasWebFactory.Keden);
        await _app.AddUserAsync(TuntasWebFactory.OfficerUser, TuntasWebFactory.OfficerPassword, Roles.AgencyOfficer, organization: TuntasWebFactory.OfficerOrganization);
        // One account for each other role (RoleWalkBrowserTests): a facilitator with two villages, a partner whose
        // agreement shares the operator's village.
        await _app.AddUserAsync(CoordinatorUser, RolePassword, Roles.TkpkdCoordinator);
        await _app.AddUserAsync(AuditorUser, RolePassword, Roles.Auditor);
        var facilitator = await _app.AddUserAsync(FacilitatorUser, RolePassword, Roles.Facilitator);
        await _app.AddUserAsync(PartnerUser, RolePassword, Roles.Partner, organization: PartnerOrganization);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AssignVillages>()
                .RunAsync(new AssignVillages.Input(facilitator.Id, FacilitatorVillages, "uji"), CancellationToken.None);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            await scope.ServiceProvider.GetRequiredService<RecordAgreement>().RunAsync(new RecordAgreement.Input("PKS/UJI/BROWSER", PartnerOrganization,
                "verifikasi calon penerima bedah rumah CSR", today, today.AddMonths(6), [TuntasWebFactory.Keden], [], "uji"), CancellationToken.None);
            // The demo collaboration (CollaborationBrowserTests): stakeholders, needs and pledges in the first villages, meetings.
            var villages = await scope.ServiceProvider.GetRequiredService<Tuntas.Data.TuntasDb>().Regions
                .Where(r => r.Level == Tuntas.Regions.Region.Village && r.Code.StartsWith(RegencyCode + ".")).OrderBy(r => r.Code).Select(r => new { r.Code, r.Name }).ToListAsync();
            await scope.ServiceProvider.GetRequiredService<Tuntas.Collaboration.SeedDemoCollaboration>().RunAsync(RegencyCode, [.. villages.Select(v => (v.Code, v.Name))],
                TuntasWebFactory.OfficerOrganization, PartnerOrganization, CancellationToken.None);
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        StartUpTime = clock.Elapsed;
    }

    /// <summary>A fresh browser context (own cookies and cache) pointed at the app.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800, string? storageState = null) =>
        Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            ViewportSize = new() { Width = width, Height = height },
            Locale = "id-ID",
            StorageState = storageState,
        });

    /// <summary>Signs in through the real login form and waits for the redirect home.</summary>
    public async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/Masuk");
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForURLAsync(BaseUrl + "/");
    }

    /// <summary>Saves <c>name.png</c> in <see cref="ScreenshotFolder"/>: the whole page, or only what the viewport shows.</summary>
    public async Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var file = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = fullPage });
        return file;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>The web app on its own database, like <see cref="TuntasWebFactory"/>, but on Kestrel so a browser can reach it.</summary>
    private sealed class BrowserApp(TestDatabase database) : WebApplicationFactory<Program>
    {
        private readonly string _uploads = Path.Combine(Path.GetTempPath(), "tuntas-uploads-" + Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Database:Provider", database.Database.Provider.ToString());
            builder.UseSetting("ConnectionStrings:Tuntas", database.Database.ConnectionString);
            builder.UseSetting("Demo:Enabled", "false");
            builder.UseSetting("Tuntas:Regency", RegencyCode);
            builder.UseSetting("Verivali:DuplicatesAtOpening", "false");
            builder.UseSetting("Tuntas:Import:UploadPath", _uploads);
            // The walks sign in every role with its password alone; the second step has its own tests
            // (tests/Tuntas.Security.Tests/SignInTests.cs).
            builder.UseSetting("Security:TwoFactorRoles", "");
            builder.UseSetting("Security:SignIn:ClientAttemptsPerMinute", "1000");
            builder.UseUrls("http://127.0.0.1:0");
        }

        public string Address()
        {
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                ?? throw new InvalidOperationException("Kestrel reports no addresses");
            var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
                ?? throw new InvalidOperationException("Kestrel listens on no http address: " + string.Join(", ", addresses));
            return address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://localhost", "://127.0.0.1", StringComparison.Ordinal)
                .TrimEnd('/');
        }

        public async Task<User> AddUserAsync(string userName, string password, string role, string? region = null, string? organization = null)
        {
            await using var scope = Services.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<AddUser>()
                .RunAsync(new AddUser.Input(userName, userName, password, role, region, organization), CancellationToken.None);
            return outcome.User ?? throw new InvalidOperationException(string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (Directory.Exists(_uploads))
            {
                Directory.Delete(_uploads, recursive: true);
            }
        }
    }
}

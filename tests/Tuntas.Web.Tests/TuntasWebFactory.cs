using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Data;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Security;

namespace Tuntas.Web.Tests;

/// <summary>
/// The web app on its own fresh database (ARCHITECTURE §6): demo mode off, seeded users, families inserted directly,
/// and intent methods that sign in through the real login form (antiforgery token parsed with AngleSharp).
/// </summary>
public sealed class TuntasWebFactory : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "rahasia-kabupaten-123";
    public const string OperatorUser = "operator.keden";
    public const string OperatorPassword = "rahasia-operator-123";
    public const string OfficerUser = "petugas";
    public const string OfficerPassword = "rahasia-dinsos-123";
    /// <summary>Owner of the seeded UEP program (<see cref="Programs.SeedPrograms"/>): the officer manages UEP, not PKH.</summary>
    public const string OfficerOrganization = "Dinas Sosial Kabupaten";
    /// <summary>Keden, Kalijambe, Sragen: the village operator's village.</summary>
    public const string Keden = "33.14.01.2001";
    public const string Trobayan = "33.14.01.2002";

    private readonly TestDatabase _database;
    private readonly string _uploads = Path.Combine(Path.GetTempPath(), "tuntas-uploads-" + Guid.NewGuid().ToString("N"));
    private int _serial;

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly TimeProvider? _clock;
    private readonly Action<IServiceCollection>? _services;

    private TuntasWebFactory(TestDatabase database, IReadOnlyDictionary<string, string>? settings, TimeProvider? clock = null,
        Action<IServiceCollection>? services = null)
    {
        _database = database;
        _settings = settings ?? new Dictionary<string, string>();
        _clock = clock;
        _services = services;
    }

    public TuntasDatabase Database => _database.Database;

    public string UploadFolder => _uploads;

    /// <param name="settings">Extra configuration for this app, e.g. tighter public rate limits.</param>
    /// <param name="clock">The app's clock (<see cref="TimeProvider"/>) when the test moves time itself.</param>
    /// <param name="services">Services the test puts in place of the app's (e.g. a smaller file-read gate).</param>
    public static async Task<TuntasWebFactory> CreateAsync(string provider, IReadOnlyDictionary<string, string>? settings = null, TimeProvider? clock = null,
        Action<IServiceCollection>? services = null)
    {
        var factory = new TuntasWebFactory(await TestDatabase.CreateAsync(provider), settings, clock, services);
        await factory.AddUserAsync(AdminUser, AdminPassword, Roles.Administrator);
        await factory.AddUserAsync(OperatorUser, OperatorPassword, Roles.VillageOperator, Keden);
        await factory.AddUserAsync(OfficerUser, OfficerPassword, Roles.AgencyOfficer, organization: OfficerOrganization);
        return factory;
    }

    /// <summary>The app as the README's run command starts it: demo mode on an empty database, with a small demo regency
    /// (<paramref name="families"/>) and the demo accounts (password <c>tuntas-demo</c>); none of the test users.</summary>
    public static async Task<TuntasWebFactory> CreateDemoAsync(string provider, int families) =>
        new(await TestDatabase.CreateAsync(provider), new Dictionary<string, string>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Families"] = families.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", Database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Tuntas", Database.ConnectionString);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Tuntas:Regency", "33.14");
        // The periods the tests open must not change under them; SearchDuplicatesAtOpening has its own tests.
        builder.UseSetting("Verivali:DuplicatesAtOpening", "false");
        builder.UseSetting("Tuntas:Import:UploadPath", _uploads);
        // Most tests sign in many times from one test client: the throttle and the second step have their own tests
        // (tests/Tuntas.Security.Tests), which set these back to the product's defaults.
        builder.UseSetting("Security:SignIn:ClientAttemptsPerMinute", "1000");
        builder.UseSetting("Security:TwoFactorRoles", "");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
        if (_services is { } replace)
        {
            builder.ConfigureTestServices(replace);
        }
    }

    public async Task<User> AddUserAsync(string userName, string password, string role, string? region = null, string? organization = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<AddUser>()
            .RunAsync(new AddUser.Input(userName, userName, password, role, region, organization), CancellationToken.None);
        return outcome.User ?? throw new InvalidOperationException(string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
    }

    /// <summary>A stakeholder registered by the secretariat, with its first contact person; returns its id.</summary>
    public async Task<long> AddStakeholderAsync(string name, string helix, string resource, string contact)
    {
        await using var scope = Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<Tuntas.Collaboration.Stakeholders.SaveStakeholder>()
            .RunAsync(new Tuntas.Collaboration.Stakeholders.SaveStakeholder.Input(null, name, helix, [resource], null, null, true, contact), CancellationToken.None);
        return outcome.Stakeholder?.Id ?? throw new InvalidOperationException(string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
    }

    /// <summary>An API client as <c>tuntas users api-client</c> creates it; a village operator's is bound to <see cref="Keden"/>,
    /// a partner's to an organization without agreements.</summary>
    public async Task<string> AddApiClientAsync(string role, string? region = null, string? organization = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<AddApiClient>().RunAsync(
            new AddApiClient.Input("sid-" + role, role, region ?? (role == Roles.VillageOperator ? Keden : null),
                organization ?? (role == Roles.Partner ? "Mitra Tanpa Perjanjian" : null)), CancellationToken.None);
        return outcome.Key ?? throw new InvalidOperationException(string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
    }

    public sealed record SeededMember(string Nama, int Sex, DateOnly BirthDate, int Hubungan, int Disabilitas = 0);

    /// <summary>A family with valid NIKs (<see cref="Nik.Compose"/>) in a village of Kalijambe; returns it with its members.</summary>
    public async Task<Family> SeedFamilyAsync(string villageCode, params SeededMember[] members)
    {
        var district6 = RegionCode_ToPlain(villageCode)[..6];
        var serial = Interlocked.Increment(ref _serial);
        var now = DateTime.UtcNow;
        var family = new Family
        {
            NoKk = NoKk.Compose(district6, new DateOnly(2015, 3, 1), serial),
            KodeDesa = villageCode,
            Alamat = "Dukuh Krajan",
            Rt = "002",
            Rw = "001",
            StatusBangunan = 1,
            LuasLantai = 36,
            JenisLantai = 8,
            JenisDinding = 4,
            JenisAtap = 2,
            SumberAirMinum = 5,
            SumberPenerangan = 1,
            DayaListrik = 450,
            BahanBakarMasak = 4,
            FasilitasBab = 1,
            AsetTv = true,
            TernakKambing = 2,
            DesilNasional = 1,
            DesilNasionalTanggal = new DateOnly(2025, 6, 1),
            CreatedAt = now,
            UpdatedAt = now,
        };
        foreach (var m in members)
        {
            family.Persons.Add(new Person
            {
                Nik = Nik.Compose(district6, m.BirthDate, m.Sex, Interlocked.Increment(ref _serial)),
                Nama = m.Nama,
                NamaKunci = NameKey.For(m.Nama),
                JenisKelamin = m.Sex,
                TempatLahir = "Sragen",
                TanggalLahir = m.BirthDate,
                HubunganKk = m.Hubungan,
                StatusKawin = m.Hubungan is 1 or 2 or 3 ? 2 : 1,
                Pendidikan = 3,
                Disabilitas = m.Disabilitas,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }
        await using var db = Database.CreateDb();
        db.Families.Add(family);
        await db.SaveChangesAsync();
        return family;
    }

    private static string RegionCode_ToPlain(string code) => Regions.RegionCode.ToPlain(code);

    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public Task<HttpClient> SignInAsAdministratorAsync() => SignInAsync(AdminUser, AdminPassword);

    public Task<HttpClient> SignInAsVillageOperatorAsync() => SignInAsync(OperatorUser, OperatorPassword);

    public Task<HttpClient> SignInAsAgencyOfficerAsync() => SignInAsync(OfficerUser, OfficerPassword);

    public async Task<HttpClient> SignInAsync(string userName, string password)
    {
        var client = CreateBrowser();
        var response = await PostFormAsync(client, "/Masuk", new() { ["UserName"] = userName, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("sign-in failed for " + userName);
        }
        return client;
    }

    /// <summary>GETs the page, takes the antiforgery token from its form and POSTs the fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        var page = await ParseAsync(await client.GetStringAsync(url));
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("no antiforgery token on " + url);
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    public static async Task<IDocument> ParseAsync(string html) =>
        await BrowsingContext.New(Configuration.Default).OpenAsync(request => request.Content(html));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_uploads))
        {
            Directory.Delete(_uploads, recursive: true);
        }
    }
}

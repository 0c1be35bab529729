using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Access;
using Tuntas.Imports;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Security;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// An API client carries its region and organization like a user, and every path takes its scope from the request's
/// resolved <see cref="AccessScope"/> (OWASP ASVS 4.2.1): a village system's key reads and writes its village only —
/// the probe found such a key committing an import into another village, because the import worker looked the
/// importer's region up by user name and found no user for a key.
/// </summary>
public sealed class ApiClientScopeTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_key_cannot_import_into_another_village_and_reads_its_own(string provider)
    {
        await using var app = await CreateAsync(provider);
        var own = await app.SeedFamilyAsync(Keden, new SeededMember("Warga Keden", 2, new DateOnly(1980, 1, 2), 1));
        var other = await app.SeedFamilyAsync(Trobayan, new SeededMember("Warga Trobayan", 1, new DateOnly(1979, 3, 4), 1));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, await app.AddApiClientAsync(Roles.VillageOperator));

        // Reads: its village by name, the other village's family not at all.
        var list = await client.GetAsync($"/api/families?desa={Keden}");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(own.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/families/{own.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/families/{other.Id}")).StatusCode);

        // Writes: a file for Trobayan is refused like the operator's own upload, and nothing is written.
        var file = new ImportFileBuilder().Family(900, village: Trobayan).ToCsv();
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(file));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", "keluarga.csv");
        var accepted = await client.PostAsync("/api/families/import", form);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await WaitForJobAsync(app, JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64());
        Assert.Equal(ImportJob.Rejected, job.Status);
        Assert.Contains("KODE_DESA_OUTSIDE_SCOPE", job.ReportJson, StringComparison.Ordinal);
        Assert.False(job.ScopeRegency);
        Assert.Equal(Keden, job.ScopeRegion);
        await using var db = app.Database.CreateDb();
        Assert.Equal(1, await db.Families.CountAsync(f => f.KodeDesa == Trobayan));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_key_without_a_village_is_refused_at_creation(string provider)
    {
        await using var app = await CreateAsync(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<AddApiClient>()
            .RunAsync(new AddApiClient.Input("SID tanpa desa", Roles.VillageOperator), CancellationToken.None);
        Assert.False(outcome.Succeeded);
        Assert.Contains(outcome.Problems, p => p.Code == "REGION_VILLAGE_REQUIRED");
        var partner = await scope.ServiceProvider.GetRequiredService<AddApiClient>()
            .RunAsync(new AddApiClient.Input("Sistem mitra", Roles.Partner), CancellationToken.None);
        Assert.Contains(partner.Problems, p => p.Code == "ORGANIZATION_REQUIRED");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_api_client_role_stays_inside_its_scope_on_every_api_route(string provider)
    {
        await using var app = await CreateAsync(provider);
        var inside = await app.SeedFamilyAsync(Keden, new SeededMember("Warga Dalam Keden", 2, new DateOnly(1980, 1, 2), 1));
        var outside = await app.SeedFamilyAsync(Trobayan, new SeededMember("Warga Luar Trobayan", 1, new DateOnly(1979, 3, 4), 1));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var agreement = await scope.ServiceProvider.GetRequiredService<RecordAgreement>().RunAsync(new RecordAgreement.Input("PKS/UJI/API", "PT Uji Peduli",
                "verifikasi calon penerima", DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(6),
                [], [inside.NoKk], "uji"), CancellationToken.None);
            Assert.True(agreement.Succeeded);
        }
        var secrets = new[] { "Warga Luar Trobayan", outside.NoKk, outside.Persons[0].Nik };
        var keys = new Dictionary<string, string>
        {
            [Roles.VillageOperator] = await app.AddApiClientAsync(Roles.VillageOperator),
            [Roles.Facilitator] = await app.AddApiClientAsync(Roles.Facilitator, Keden),
            [Roles.Partner] = await app.AddApiClientAsync(Roles.Partner, organization: "PT Uji Peduli"),
            [Roles.Auditor + "-desa"] = await app.AddApiClientAsync(Roles.Auditor, Keden),
        };
        var routes = ApiRoutes(app, outside.Id);
        var failures = new List<string>();
        foreach (var (role, key) in keys)
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, key);
            foreach (var url in routes)
            {
                var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{role} {url}: {(int)response.StatusCode}");
                }
                if (response.IsSuccessStatusCode && secrets.FirstOrDefault(s => body.Contains(s, StringComparison.Ordinal)) is { } leaked)
                {
                    failures.Add($"{role} {url}: shows '{leaked}' of a family outside its scope");
                }
            }
            // And the family inside the scope is reachable (the walk can see data at all).
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/families/{inside.Id}")).StatusCode);
        }
        Assert.True(routes.Count > 20, "the endpoint table lists the API's routes");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static List<string> ApiRoutes(TuntasWebFactory app, long familyId)
    {
        var urls = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods;
            var raw = endpoint.RoutePattern.RawText ?? "";
            if (!raw.StartsWith("/api", StringComparison.OrdinalIgnoreCase) || methods is null || !methods.Contains("GET"))
            {
                continue;
            }
            urls.Add("/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter =>
                    parameter.Name.Equals("code", StringComparison.OrdinalIgnoreCase) ? Trobayan
                    : parameter.Name.Contains("year", StringComparison.OrdinalIgnoreCase) ? "2026"
                    : familyId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            })))));
        }
        urls.Add($"/api/families?desa={Trobayan}");
        return [.. urls];
    }

    /// <summary>
    /// An import job's report carries residents' names, birth dates and masked NIKs. The coordinator's right to see every
    /// job ignored the coordinator's region: a kecamatan's coordinator read the reports of every village of the regency.
    /// Now: the jobs queued within the region or of a village in it; the regency's coordinator still sees every job.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_kecamatan_coordinator_reads_the_import_jobs_of_its_kecamatan_only(string provider)
    {
        await using var app = await CreateAsync(provider);
        const string Karangwaru = "33.14.02.2001";
        long inside, fromRegency, outside;
        await using (var db = app.Database.CreateDb())
        {
            ImportJob Job(string by, string? scopeRegion, string? village) => new()
            {
                FileName = "keluarga.csv",
                Status = ImportJob.Rejected,
                CreatedBy = by,
                CreatedAt = DateTime.UtcNow,
                FinishedAt = DateTime.UtcNow,
                ScopeRegency = scopeRegion is null,
                ScopeRegion = scopeRegion,
                Village = village,
                ReportJson = new ImportReport { File = "keluarga.csv", Errors = [new ImportIssue(2, "NAMA", "Warga Rahasia", "REQUIRED", "-", "-")] }.ToJson(),
            };
            var jobs = new[] { Job("operator.keden", Keden, Keden), Job("admin", null, Trobayan), Job("operator.karangwaru", Karangwaru, Karangwaru) };
            db.ImportJobs.AddRange(jobs);
            await db.SaveChangesAsync();
            (inside, fromRegency, outside) = (jobs[0].Id, jobs[1].Id, jobs[2].Id);
        }
        var kecamatan = app.CreateClient();
        kecamatan.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, await app.AddApiClientAsync(Roles.TkpkdCoordinator, "33.14.01"));
        var regency = await app.SignInAsAdministratorAsync();

        Assert.Equal(HttpStatusCode.OK, (await kecamatan.GetAsync($"/api/imports/{inside}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await kecamatan.GetAsync($"/api/imports/{fromRegency}")).StatusCode);
        var refused = await kecamatan.GetAsync($"/api/imports/{outside}");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.DoesNotContain("Warga Rahasia", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await regency.GetAsync($"/api/imports/{outside}")).StatusCode);
    }

    /// <summary>A village typed with a file of the import format is not used (its rows name their villages), but it was
    /// kept on the job: a regency's file uploaded with a village of kecamatan 33.14.01 typed showed the whole regency's
    /// report to that kecamatan's coordinator. The job keeps the village the import used, none here.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_typed_with_a_regency_file_does_not_show_its_report_to_that_kecamatan(string provider)
    {
        await using var app = await CreateAsync(provider);
        var regency = await app.SignInAsAdministratorAsync();
        var file = new ImportFileBuilder().Family(901, village: "33.14.02.2001").ToCsv();
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(file));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", "keluarga.csv");
        form.Add(new StringContent("true"), "dryRun");
        form.Add(new StringContent(Keden), "village");
        var accepted = await regency.PostAsync("/api/families/import", form);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await WaitForJobAsync(app, JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64());
        var kecamatan = app.CreateClient();
        kecamatan.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, await app.AddApiClientAsync(Roles.TkpkdCoordinator, "33.14.01"));

        Assert.Null(job.Village);
        Assert.Equal(HttpStatusCode.NotFound, (await kecamatan.GetAsync($"/api/imports/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await regency.GetAsync($"/api/imports/{job.Id}")).StatusCode);
    }

    private static async Task<ImportJob> WaitForJobAsync(TuntasWebFactory app, long id)
    {
        for (var i = 0; i < 600; i++)
        {
            await using var db = app.Database.CreateDb();
            var job = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == id);
            if (job.IsFinished)
            {
                return job;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("import job did not finish");
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Audit;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// Every read of personal data is audited once (UU PDP 27/2022; OWASP ASVS 7.1.3): the probe read full NIK, income and
/// disability from <c>/api/families/{id}/persons</c>, village family lists and enrollment lists without a trace. This
/// walks every GET route of the app as the administrator and, wherever the answer shows the seeded person's name or
/// identifiers, requires exactly one new audit entry for that request — committed before the answer was sent.
/// </summary>
public sealed class PersonalDataAuditTests
{
    private const string Name = "Sulastri Wahyuningsih";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_route_that_shows_a_person_writes_exactly_one_audit_entry_before_it_answers(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember(Name, 2, new DateOnly(1978, 8, 9), 1, Disabilitas: 1));
        await new SeedPrograms(app.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await using (var db = app.Database.CreateDb())
        {
            var pkh = await db.Programs.SingleAsync(p => p.Code == "PKH");
            db.Enrollments.Add(new Enrollment
            {
                ProgramId = pkh.Id,
                FamilyId = family.Id,
                Status = ProgramTerms.Enrolled,
                StartedOn = new DateOnly(2026, 1, 1),
                CreatedBy = "uji",
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        var admin = await app.SignInAsAdministratorAsync();
        var shows = new[] { Name, family.NoKk, family.Persons[0].Nik, Nik.Mask(family.Persons[0].Nik) };
        var failures = new List<string>();
        var audited = 0;
        foreach (var url in Routes(app, family.Id))
        {
            var before = await CountAsync(app);
            var response = await admin.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            var added = await CountAsync(app) - before;
            if (!response.IsSuccessStatusCode || !shows.Any(s => body.Contains(s, StringComparison.Ordinal)))
            {
                continue;
            }
            audited++;
            if (added != 1)
            {
                failures.Add($"{url}: shows the person, {added} audit entries");
            }
        }
        Assert.True(audited >= 6, $"the walk reached personal data on {audited} routes");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // The family's persons with full NIK, income and disability through the API: a view of that family.
        await using var check = app.Database.CreateDb();
        var entry = await check.AuditLog.AsNoTracking().Where(e => e.Detail == $"GET /api/families/{family.Id}/persons").SingleAsync();
        Assert.Equal((AuditActions.ViewFamily, family.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (entry.Action, entry.SubjectId));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_search_is_one_read_and_a_refused_change_is_not_a_change(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.SeedFamilyAsync(Keden, new SeededMember(Name, 2, new DateOnly(1978, 8, 9), 1));
        var admin = await app.SignInAsAdministratorAsync();
        var before = await CountAsync(app);
        var found = await admin.GetAsync("/Keluarga/Cari?Query=Sulastri");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(1, await CountAsync(app) - before);
        await using var db = app.Database.CreateDb();
        Assert.Equal(AuditActions.ViewPersonalData, (await db.AuditLog.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync()).Action);

        var officer = await app.SignInAsAgencyOfficerAsync();
        var beforeRefusal = await CountAsync(app);
        var refused = await officer.PostAsync("/api/targeting/runs", System.Net.Http.Json.JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var entries = await db.AuditLog.AsNoTracking().Where(e => e.Id > beforeRefusal).ToListAsync();
        Assert.Equal(AuditActions.AccessDenied, Assert.Single(entries).Action);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_change_leaves_one_chained_entry_and_its_in_transaction_record_is_settled(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember(Name, 1, new DateOnly(1978, 8, 9), 1));
        var operatorClient = await app.SignInAsVillageOperatorAsync();
        var version = (await operatorClient.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/families/{family.Id}/version")).GetProperty("version").GetInt64();
        var before = await CountAsync(app);
        var edited = await operatorClient.PutAsJsonAsync($"/api/families/{family.Id}",
            new { version, fields = new Dictionary<string, string> { ["JENIS_DINDING"] = "1" } });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        await using var db = app.Database.CreateDb();
        var entry = Assert.Single(await db.AuditLog.AsNoTracking().Where(e => e.Id > before).ToListAsync());
        Assert.Equal((AuditActions.Change, OperatorUser), (entry.Action, entry.Actor));
        Assert.Contains($"ubah keluarga #{family.Id}", entry.Detail);
        // The record written in the change's transaction was replaced by the entry in the entry's transaction.
        Assert.Empty(await db.Set<PendingChange>().AsNoTracking().ToListAsync());
    }

    private static async Task<long> CountAsync(TuntasWebFactory app)
    {
        await using var db = app.Database.CreateDb();
        return await db.AuditLog.LongCountAsync();
    }

    private static List<string> Routes(TuntasWebFactory app, long familyId)
    {
        var id = familyId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var urls = new SortedSet<string>(StringComparer.Ordinal) { $"/api/families?desa={Keden}", "/Keluarga/Cari?Query=Sulastri" };
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            var raw = endpoint.RoutePattern.RawText ?? "";
            if ((methods is not null && !methods.Contains("GET")) || raw.Equals("Keluar", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            urls.Add("/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter =>
                    parameter.Name.Equals("code", StringComparison.OrdinalIgnoreCase) && raw.Contains("rogram", StringComparison.Ordinal) ? "PKH"
                    : parameter.Name.Equals("code", StringComparison.OrdinalIgnoreCase) ? Keden
                    : parameter.Name.Contains("year", StringComparison.OrdinalIgnoreCase) ? "2026"
                    : parameter.IsOptional ? "" : id,
                _ => "",
            })))).TrimEnd('/'));
        }
        return [.. urls.Where(u => u.Length > 0)];
    }
}

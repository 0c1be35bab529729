using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Audit;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The audit trail as the back office writes it: sign-ins, failed sign-ins, family views, refusals, changes.</summary>
public sealed class AuditTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sign_ins_family_views_refusals_and_changes_are_chained_in_the_audit_trail(string provider)
    {
        await using var app = await CreateAsync(provider);
        var familyId = (await app.SeedFamilyAsync("33.14.01.2001", new SeededMember("Sri Lestari", 2, new DateOnly(1982, 4, 5), 1))).Id;
        var failed = await PostFormAsync(app.CreateBrowser(), "/Masuk", new() { ["UserName"] = AdminUser, ["Password"] = "salah-sekali" });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);

        var admin = await app.SignInAsAdministratorAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/Keluarga/{familyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/families/{familyId}")).StatusCode);

        var officer = await app.SignInAsAgencyOfficerAsync();
        // Starting a targeting run is for the administrator and the coordinator only.
        var refused = await officer.PostAsync("/api/targeting/runs", System.Net.Http.Json.JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        await using var check = app.Database.CreateDb();
        var entries = await check.AuditLog.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Contains(entries, e => e.Action == AuditActions.SignInFailed && e.Actor == AdminUser && e.Detail == null);
        Assert.Contains(entries, e => e.Action == AuditActions.SignIn && e.Actor == AdminUser && e.ActorRole == "administrator");
        Assert.Equal(2, entries.Count(e => e.Action == AuditActions.ViewFamily && e.SubjectId == familyId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(entries, e => e.Action == AuditActions.AccessDenied && e.Actor == OfficerUser && e.SubjectId == "/api/targeting/runs");
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.Origin)));
        Assert.DoesNotContain(entries, e => (e.Detail ?? "").Contains("salah-sekali", StringComparison.Ordinal));

        var verified = await new VerifyAudit(check, app.Services.GetRequiredService<AuditKey>()).RunAsync(new(), CancellationToken.None);
        Assert.True(verified.Intact);
    }
}

public sealed class NikRevealTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_full_nik_is_shown_only_on_an_explicit_audited_request_by_a_role_that_needs_it(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Sri Lestari", 2, new DateOnly(1982, 4, 5), 1));
        var person = family.Persons[0];

        var admin = await app.SignInAsAdministratorAsync();
        var page = await admin.GetStringAsync($"/Keluarga/{family.Id}");
        Assert.DoesNotContain(person.Nik, page, StringComparison.Ordinal);
        var revealed = await PostFormAsync(admin, $"/Keluarga/{family.Id}?handler=BukaNik", new() { ["personId"] = person.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Contains(person.Nik, await revealed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var officer = await app.SignInAsAgencyOfficerAsync();
        var officerPage = await ParseAsync(await officer.GetStringAsync($"/Keluarga/{family.Id}"));
        Assert.Null(officerPage.QuerySelector("form[action*=BukaNik]"));

        await using var db = app.Database.CreateDb();
        var entry = await db.AuditLog.AsNoTracking().SingleAsync(e => e.Action == AuditActions.RevealNik);
        Assert.Equal((AdminUser, "orang", person.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (entry.Actor, entry.SubjectType, entry.SubjectId));
        Assert.DoesNotContain(person.Nik, entry.Detail ?? "", StringComparison.Ordinal);
    }
}

public sealed class AuditPageTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_auditor_reads_the_trail_and_verifies_the_chain_other_roles_are_refused(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.AddUserAsync("pemeriksa", "rahasia-audit-12345", Tuntas.Users.Roles.Auditor);
        var auditor = await app.SignInAsync("pemeriksa", "rahasia-audit-12345");

        var page = await ParseAsync(await auditor.GetStringAsync("/Audit?Tindakan=masuk"));
        Assert.Contains(page.QuerySelectorAll("#jejak tbody tr"), row => row.TextContent.Contains("pemeriksa", StringComparison.Ordinal));
        var verified = await PostFormAsync(auditor, "/Audit?handler=Verify", []);
        var result = await ParseAsync(await verified.Content.ReadAsStringAsync());
        Assert.Equal("ok", result.QuerySelector("#verifikasi")!.ClassName);

        var officer = await app.SignInAsAgencyOfficerAsync();
        var refused = await officer.GetAsync("/Audit");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }
}

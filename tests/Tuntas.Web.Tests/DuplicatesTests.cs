using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Linkage;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

public sealed class DuplicatesTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_duplicate_queue_is_for_regency_data_roles_and_its_decisions_merges_and_undo_work_through_the_api(string provider)
    {
        await using var app = await CreateAsync(provider);
        var first = await app.SeedFamilyAsync("33.14.01.2001", new SeededMember("Siti Aminah", 2, new DateOnly(1983, 4, 17), 1));
        var second = await app.SeedFamilyAsync("33.14.01.2001", new SeededMember("Sitti Aminah", 2, new DateOnly(1983, 4, 17), 1));
        var third = await app.SeedFamilyAsync("33.14.01.2001", new SeededMember("Hasan Basri", 1, new DateOnly(1990, 1, 1), 1));
        var (a, b, c) = (first.Persons[0].Id, second.Persons[0].Id, third.Persons[0].Id);

        var admin = await app.SignInAsAdministratorAsync();
        var page = await admin.GetAsync("/Duplikat");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Dugaan duplikat", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/duplicates")).StatusCode);

        var operatorClient = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync("/api/duplicates")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await operatorClient.GetAsync("/Duplikat")).StatusCode);

        var different = await admin.PostAsync("/api/duplicates/decisions", JsonContent.Create(new { personIdA = a, personIdB = c, decision = "berbeda" }));
        Assert.Equal(HttpStatusCode.OK, different.StatusCode);
        var merged = await admin.PostAsync("/api/duplicates/decisions", JsonContent.Create(new { personIdA = a, personIdB = b, decision = "sama", keepPersonId = a }));
        Assert.Equal(HttpStatusCode.BadRequest, merged.StatusCode); // two heads of family in different families: asked, not guessed
        Assert.Contains("MERGE_KONFLIK", await merged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        merged = await admin.PostAsync("/api/duplicates/decisions", JsonContent.Create(new { personIdA = a, personIdB = b, decision = "sama", keepPersonId = a, confirmConflicts = true }));
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var mergeId = (await merged.Content.ReadFromJsonAsync<DecisionBody>())!.MergeId;

        var undone = await admin.PostAsync($"/api/duplicates/merges/{mergeId}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undone.StatusCode);

        await using var check = app.Database.CreateDb();
        Assert.True(await check.Persons.AnyAsync(p => p.Id == b));
        Assert.Equal(DuplicateDecision.Different, (await check.DuplicateDecisions.SingleAsync()).Decision);
        Assert.True(await check.AuditLog.AnyAsync(e => e.Action == Audit.AuditActions.ViewDuplicates));
    }

    private sealed record DecisionBody(string Decision, long? MergeId);
}

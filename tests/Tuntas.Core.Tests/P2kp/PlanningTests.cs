using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Collaboration;
using Tuntas.Data;
using Tuntas.P2kp;
using Tuntas.P2kp.Planning;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Core.Tests.P2kp;

public sealed class PlanningTests
{
    private const string Desa = "33.14.01.2001";
    private const string OtherDesa = "33.14.02.2001";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bkm_plans_activities_per_pillar_with_budget_by_source_and_a_csr_commitment_funds_one_of_them(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (upk, _) = await LoanLifecycleTests.VillageWithFamiliesAsync(test);
        await using var db = test.Database.CreateDb();
        var bkm = await db.Bkms.SingleAsync(b => b.KodeDesa == upk.KodeDesa);
        var village = AccessScope.Within(Desa);
        var save = new SavePlan(db, LoanLifecycleTests.Clock);

        // A Renta lies within a PJM: refused before the PJM exists; bad kind, year and title; another village.
        Assert.Equal("RENTA_OUTSIDE_PJM", Assert.Single((await save.RunAsync(new(bkm.Id, "renta", 2026, "Renta 2026", "op", Roles.VillageOperator, village), CancellationToken.None)).Problems).Code);
        var bad = await save.RunAsync(new(bkm.Id, "RPJM", 1990, "", "op", Roles.VillageOperator, village), CancellationToken.None);
        Assert.Equal(["INVALID_CODE", "OUT_OF_RANGE", "REQUIRED"], bad.Problems.Select(p => p.Code));
        Assert.Equal("FORBIDDEN", Assert.Single((await save.RunAsync(new(bkm.Id, "PJM", 2025, "PJM 2025–2027", "op", Roles.VillageOperator, AccessScope.Within(OtherDesa)), CancellationToken.None)).Problems).Code);
        Assert.Equal(0, await db.P2kpPlans.CountAsync());

        var pjm = (await save.RunAsync(new(bkm.Id, "PJM", 2025, "PJM Pronangkis 2025–2027", "op", Roles.VillageOperator, village), CancellationToken.None)).Plan!;
        Assert.Equal(2027, pjm.YearTo);
        Assert.Equal("DUPLICATE", Assert.Single((await save.RunAsync(new(bkm.Id, "PJM", 2025, "lagi", "op", Roles.VillageOperator, village), CancellationToken.None)).Problems).Code);
        var renta = (await save.RunAsync(new(bkm.Id, "RENTA", 2026, "Renta 2026", "op", Roles.VillageOperator, village), CancellationToken.None)).Plan!;

        var (commitment, _) = await P2kpSeeds.CommitmentAsync(db, Desa, 30_000_000);
        var (elsewhere, _) = await P2kpSeeds.CommitmentAsync(db, OtherDesa, 5_000_000);
        var (cancelled, _) = await P2kpSeeds.CommitmentAsync(db, Desa, 5_000_000, CollaborationTerms.Cancelled);
        var activity = new SaveActivity(db, LoanLifecycleTests.Clock);
        SaveActivity.Input Drainage() => new(renta.Id, null, "lingkungan", "Drainase RT 2", new Dictionary<string, SaveActivity.Line>
        {
            ["BLM_APBN"] = new(50_000_000, 20_000_000),
            ["SWADAYA"] = new(10_000_000, 4_000_000),
            ["CSR"] = new(25_000_000, 0),
        }, commitment, "op", Roles.VillageOperator, village);

        Assert.Equal("INVALID_CODE", Assert.Single((await activity.RunAsync(Drainage() with { Pillar = "BUDAYA" }, CancellationToken.None)).Problems).Code);
        Assert.Equal("INVALID_CODE", Assert.Single((await activity.RunAsync(Drainage() with { Budget = new Dictionary<string, SaveActivity.Line> { ["DONASI"] = new(1, 0), ["APBD"] = new(1, 0) } }, CancellationToken.None)).Problems).Code);
        Assert.Equal("OUT_OF_RANGE", Assert.Single((await activity.RunAsync(Drainage() with { Budget = new Dictionary<string, SaveActivity.Line> { ["APBD"] = new(1, -1), ["APBDES"] = new(5, 0) } }, CancellationToken.None)).Problems).Code);
        Assert.Equal("REQUIRED", Assert.Single((await activity.RunAsync(Drainage() with { Budget = new Dictionary<string, SaveActivity.Line>() }, CancellationToken.None)).Problems).Code);
        Assert.Equal("COMMITMENT_OTHER_VILLAGE", Assert.Single((await activity.RunAsync(Drainage() with { CommitmentId = elsewhere }, CancellationToken.None)).Problems).Code);
        Assert.Equal("COMMITMENT_UNAVAILABLE", Assert.Single((await activity.RunAsync(Drainage() with { CommitmentId = cancelled }, CancellationToken.None)).Problems).Code);
        Assert.Equal("CSR_OVER_COMMITMENT", Assert.Single((await activity.RunAsync(Drainage() with
        {
            Budget = new Dictionary<string, SaveActivity.Line> { ["CSR"] = new(30_000_001, 0) },
        }, CancellationToken.None)).Problems).Code);
        Assert.Equal("FORBIDDEN", Assert.Single((await activity.RunAsync(Drainage() with { Role = Roles.Partner }, CancellationToken.None)).Problems).Code);
        Assert.Equal("REQUIRED", Assert.Single((await activity.RunAsync(Drainage() with { Latitude = -7.43 }, CancellationToken.None)).Problems).Code);
        Assert.Equal("OUT_OF_RANGE", Assert.Single((await activity.RunAsync(Drainage() with { Latitude = 48.85, Longitude = 2.35 }, CancellationToken.None)).Problems).Code);
        Assert.Equal("OUT_OF_RANGE", Assert.Single((await activity.RunAsync(Drainage() with { SwadayaInKind = -1 }, CancellationToken.None)).Problems).Code);
        Assert.Equal(0, await db.P2kpActivities.CountAsync());

        var drainage = (await activity.RunAsync(Drainage() with { Latitude = -7.43, Longitude = 111.02, SwadayaInKind = 6_000_000 }, CancellationToken.None)).Activity!;
        Assert.Equal("LINGKUNGAN", drainage.Pillar);
        Assert.Equal("COMMITMENT_LINKED", Assert.Single((await activity.RunAsync(Drainage() with { Name = "Jalan setapak" }, CancellationToken.None)).Problems).Code);
        Assert.Empty((await activity.RunAsync(new(renta.Id, null, "EKONOMI", "Modal bergulir KSM", new Dictionary<string, SaveActivity.Line> { ["BLM_APBN"] = new(40_000_000, 40_000_000) },
            null, "op", Roles.VillageOperator, village), CancellationToken.None)).Problems);
        // The realisation of the drainage grows: the same activity, updated.
        Assert.Empty((await activity.RunAsync(Drainage() with
        {
            ActivityId = drainage.Id,
            Latitude = -7.43,
            Longitude = 111.02,
            SwadayaInKind = 6_000_000,
            Budget = new Dictionary<string, SaveActivity.Line> { ["BLM_APBN"] = new(50_000_000, 50_000_000), ["SWADAYA"] = new(10_000_000, 10_000_000), ["CSR"] = new(25_000_000, 25_000_000) },
        }, CancellationToken.None)).Problems);

        var read = new ReadPlans(db);
        var view = (await read.ReadAsync(renta.Id, AccessScope.Regency, CancellationToken.None))!;
        Assert.Equal(["EKONOMI", "LINGKUNGAN"], view.Activities.Select(a => a.Pillar));
        Assert.Equal(new ReadPlans.Totals(85_000_000, 85_000_000), view.ByPillar["LINGKUNGAN"]);
        Assert.Equal(new ReadPlans.Totals(90_000_000, 90_000_000), view.BySource["BLM_APBN"]);
        Assert.Equal(new ReadPlans.Totals(125_000_000, 125_000_000), view.Total);
        Assert.Equal("PT Gula Manis", view.Activities[1].Funding!.Stakeholder);
        Assert.Equal((-7.43, 111.02, 6_000_000L), (view.Activities[1].Latitude!.Value, view.Activities[1].Longitude!.Value, view.Activities[1].SwadayaInKind));
        // On the map: the drainage only (the loan fund has no location), and nothing for another village's reader.
        var point = Assert.Single(await read.MapAsync(null, village, CancellationToken.None));
        Assert.Equal((drainage.Id, 85_000_000L), (point.ActivityId, point.Budget.Realised));
        Assert.Empty(await read.MapAsync("EKONOMI", village, CancellationToken.None));
        Assert.Empty(await read.MapAsync(null, AccessScope.Within(OtherDesa), CancellationToken.None));
        Assert.Equal(drainage.Id, (await read.FundedByAsync([commitment], AccessScope.Regency, CancellationToken.None))[commitment].ActivityId);
        Assert.Empty(await read.FundedByAsync([commitment], AccessScope.Within(OtherDesa), CancellationToken.None));
        Assert.Equal(2, (await read.ListAsync(village, CancellationToken.None)).Count);
        Assert.Empty(await read.ListAsync(AccessScope.Within(OtherDesa), CancellationToken.None));
        Assert.Null(await read.ReadAsync(renta.Id, AccessScope.Within(OtherDesa), CancellationToken.None));
    }
}

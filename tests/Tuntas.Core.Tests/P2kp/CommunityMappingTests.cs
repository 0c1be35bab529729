using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.P2kp.Planning;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Core.Tests.P2kp;

public sealed class CommunityMappingTests
{
    private const string Desa = "33.14.01.2001";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_community_maps_an_rts_families_and_the_mapping_is_compared_with_the_deciles_while_bad_input_writes_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (_, heads) = await LoanLifecycleTests.VillageWithFamiliesAsync(test);
        await using var db = test.Database.CreateDb();
        var families = await db.Persons.Where(p => heads.Contains(p.Id)).OrderBy(p => p.Id).Select(p => p.FamilyId).ToListAsync();
        // The importer puts every family in RT 1; the last one moves to RT 002.
        await db.Families.Where(f => f.Id == families[4]).ExecuteUpdateAsync(u => u.SetProperty(f => f.Rt, "002"));
        await P2kpSeeds.AddRunAsync(db, new DateOnly(2026, 6, 1), Desa, families, [8, 1, 3, 5, 2]);
        var mapping = new CommunityMapping(db, test.Database, LoanLifecycleTests.Clock);
        var village = AccessScope.Within(Desa);
        CommunityMapping.Input Valid() => new(Desa, "001", 2026, new Dictionary<long, string?>
        {
            [families[0]] = "miskin",
            [families[1]] = "tidak_miskin",
            [families[2]] = "2",
            [families[3]] = "",
        }, "op", Roles.VillageOperator, village);

        Assert.Equal("FAMILY_NOT_IN_RT", Assert.Single((await mapping.RecordAsync(Valid() with
        {
            Categories = new Dictionary<long, string?> { [families[4]] = "miskin" },
        }, CancellationToken.None)).Problems).Code);
        Assert.Equal("INVALID_CODE", Assert.Single((await mapping.RecordAsync(Valid() with
        {
            Categories = new Dictionary<long, string?> { [families[0]] = "kaya" },
        }, CancellationToken.None)).Problems).Code);
        Assert.Equal("OUT_OF_RANGE", Assert.Single((await mapping.RecordAsync(Valid() with { Year = 1999 }, CancellationToken.None)).Problems).Code);
        Assert.Contains((await mapping.RecordAsync(Valid() with { Rt = " " }, CancellationToken.None)).Problems, p => p.Code == "REQUIRED");
        Assert.Equal("FORBIDDEN", Assert.Single((await mapping.RecordAsync(Valid() with { Scope = AccessScope.Within("33.14.02.2001") }, CancellationToken.None)).Problems).Code);
        Assert.Equal("FORBIDDEN", Assert.Single((await mapping.RecordAsync(Valid() with { Role = Roles.Partner }, CancellationToken.None)).Problems).Code);
        Assert.Equal(0, await db.CommunityMaps.CountAsync());

        var recorded = await mapping.RecordAsync(Valid(), CancellationToken.None);
        Assert.Empty(recorded.Problems);
        Assert.Equal(3, recorded.Recorded);

        var overview = await mapping.ReadAsync(Desa, 2026, "1", Roles.VillageOperator, village, CancellationToken.None);
        Assert.Equal([new CommunityMapping.RtCount("1", 4, 1, 1, 1), new CommunityMapping.RtCount("2", 1, 0, 0, 0)], overview!.Rts);
        Assert.Equal(4, overview.Families.Count);
        Assert.Equal(CommunityMapping.Miskin, overview.Families.Single(f => f.FamilyId == families[0]).Category);
        // Miskin for the community, desil 8 for the model; tidak miskin for the community, desil 1 for the model.
        Assert.Equal(families[0], Assert.Single(overview.Comparison.CommunityPoorModelRich).FamilyId);
        Assert.Equal(families[1], Assert.Single(overview.Comparison.CommunityRichModelPoor).FamilyId);

        // Mapped again the same year: the family's category is replaced, not added.
        Assert.Empty((await mapping.RecordAsync(Valid() with { Categories = new Dictionary<long, string?> { [families[0]] = "hampir miskin" } }, CancellationToken.None)).Problems);
        Assert.Equal(3, await db.CommunityMaps.CountAsync());
        Assert.Empty((await mapping.ReadAsync(Desa, 2026, null, Roles.VillageOperator, village, CancellationToken.None))!.Comparison.CommunityPoorModelRich);

        Assert.Null(await mapping.ReadAsync(Desa, 2026, null, Roles.VillageOperator, AccessScope.Within("33.14.02.2001"), CancellationToken.None));
        Assert.Null(await mapping.ReadAsync(Desa, 2026, null, Roles.Partner, AccessScope.Regency, CancellationToken.None));
    }
}

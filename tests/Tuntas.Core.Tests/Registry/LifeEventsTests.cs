using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.PublicPortal;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;
using static Tuntas.Registry.RegistryWriter;

namespace Tuntas.Core.Tests.Registry;

/// <summary>Members who are not living leave family size, targeting, the public status check and eligibility, but stay in history.</summary>
public sealed class LifeEventsTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_family_whose_members_all_died_leaves_targeting_and_the_status_check_and_its_enrollment_is_flagged(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 300, Seed: 4), null, CancellationToken.None);
        long familyId;
        List<Person> members;
        await using (var db = test.Database.CreateDb())
        {
            familyId = await db.Enrollments.Where(e => e.Status != ProgramTerms.Exited).Select(e => e.FamilyId).OrderBy(id => id).FirstAsync();
            members = await db.Persons.AsNoTracking().Where(p => p.FamilyId == familyId).ToListAsync();
        }
        var before = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new("sebelum", new DateOnly(2026, 11, 23)), CancellationToken.None);
        var nik = members[0].Nik;
        Assert.True((await new CheckStatus(new StatusLookups(test.Database)).RunAsync(new CheckStatus.Input(nik, members[0].Nama, null), CancellationToken.None)).Found);

        await using (var db = test.Database.CreateDb())
        {
            var version = await db.Families.Where(f => f.Id == familyId).Select(f => f.Version).SingleAsync();
            var outcome = await new RegistryWriter(db, TimeProvider.System).WriteAsync(new FamilyEdit(familyId, version,
                [.. members.Select(m => (Edit)new SetLifeStatus(m.Id, LifeStatus.Pindah, new DateOnly(2026, 6, 1), "Kota Surakarta"))]),
                "ani", ChangeSource.Editor, AccessScope.Regency, CancellationToken.None);
            Assert.Equal(Result.Written, outcome.Result);
            Assert.Equal(members.Count, outcome.Changes.Count(c => c.Field == RegistryHistory.LifeStatusField && c.NewValue == "pindah 2026-06-01 → Kota Surakarta"));
        }

        Assert.False((await new CheckStatus(new StatusLookups(test.Database)).RunAsync(new CheckStatus.Input(nik, members[0].Nama, null), CancellationToken.None)).Found);
        var after = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new("sesudah", new DateOnly(2026, 11, 23)), CancellationToken.None);
        Assert.Equal(before.FamilyCount - 1, after.FamilyCount);
        var report = await new TargetingErrorReport(test.Database).RunAsync(new(after.Id), CancellationToken.None);
        Assert.Contains(report.Worklist, w => w.Category == TargetingErrorReport.NoLivingMember && w.FamilyId == familyId);
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(members.Count, await db.Persons.CountAsync(p => p.FamilyId == familyId)); // still in the family and its history
        }
    }
}

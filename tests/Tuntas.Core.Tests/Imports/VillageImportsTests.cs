using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Imports;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Imports;

/// <summary>
/// The villages' checklist of a regency operator: which villages have families, when the last of their files came,
/// whose latest file was refused since; a village operator sees their village only, and jobs as the jobs' table shows
/// them (their own unless they see every import).
/// </summary>
public sealed class VillageImportsTests
{
    private const string Gondang = "33.14.01.2001";
    private const string Tanggan = "33.14.01.2002";
    private const string Other = "33.14.01.2003";
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_village_shows_its_families_its_last_import_and_a_file_refused_since(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 2, village: Gondang).Family(2, village: Gondang).Family(3, village: Tanggan);
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator-kabupaten"),
            null, CancellationToken.None);
        Assert.True(report.Committed, report.Failure);
        await using (var db = test.Database.CreateDb())
        {
            // Gondang: committed, then a file refused; Tanggan: a dry run, then committed (typed undotted); Other: refused only.
            db.ImportJobs.AddRange(
                Job(Gondang, ImportJob.Committed, "gondang-1.xlsx", "operator-kabupaten", day: 1),
                Job(Gondang, ImportJob.Rejected, "gondang-2.xlsx", "operator-kabupaten", day: 2),
                Job(Tanggan, ImportJob.Validated, "tanggan-uji.xlsx", "operator-kabupaten", day: 1, dryRun: true),
                Job("3314012002", ImportJob.Committed, "tanggan.xlsx", "operator-desa", day: 3),
                Job(Other, ImportJob.Rejected, "lain.xlsx", "operator-kabupaten", day: 4));
            await db.SaveChangesAsync();
        }

        await using var read = test.Database.CreateDb();
        var all = await VillageImports.RunAsync(read, "33.14", AccessScope.Regency, seesAllImports: true, "operator-kabupaten", CancellationToken.None);

        var gondang = all.Villages.Single(v => v.Code == Gondang);
        Assert.Equal((2, "gondang-1.xlsx", "gondang-2.xlsx", true), (gondang.Families, gondang.LastCommitted!.FileName, gondang.Latest!.FileName, gondang.LatestRefused));
        Assert.NotNull(gondang.LastChange);
        var tanggan = all.Villages.Single(v => v.Code == Tanggan);
        Assert.Equal((1, "tanggan.xlsx", false), (tanggan.Families, tanggan.LastCommitted!.FileName, tanggan.LatestRefused));
        Assert.Null(tanggan.Latest);
        var other = all.Villages.Single(v => v.Code == Other);
        Assert.Equal((0, false, true), (other.Families, other.HasData, other.LatestRefused));
        Assert.Null(other.LastChange);
        Assert.Null(other.LastCommitted);
        // Every village of the shipped region table for Sragen, by kecamatan.
        Assert.Equal(await read.Regions.CountAsync(r => r.Level == Tuntas.Regions.Region.Village && r.Code.StartsWith("33.14.")), all.Villages.Count);
        Assert.Equal((2, all.Villages.Count - 2, 2), (all.WithData, all.WithoutData, all.LatestRefused));

        // A village operator of Tanggan: that village only, and only their own jobs.
        var own = await VillageImports.RunAsync(read, "33.14", AccessScope.Within(Tanggan), seesAllImports: false, "operator-desa", CancellationToken.None);
        var only = Assert.Single(own.Villages);
        Assert.Equal((Tanggan, 1, "tanggan.xlsx"), (only.Code, only.Families, only.LastCommitted!.FileName));
        var stranger = await VillageImports.RunAsync(read, "33.14", AccessScope.Within(Gondang), seesAllImports: false, "operator-desa", CancellationToken.None);
        Assert.Null(Assert.Single(stranger.Villages).LastCommitted);

        // A file that changed only members leaves the families' own time: the village's last change is its import's, in UTC.
        read.ImportJobs.Add(Job(Tanggan, ImportJob.Committed, "tanggan-anggota.xlsx", "operator-kabupaten", day: 30));
        await read.SaveChangesAsync();
        var later = (await VillageImports.RunAsync(read, "33.14", AccessScope.Regency, seesAllImports: true, "operator-kabupaten", CancellationToken.None))
            .Villages.Single(v => v.Code == Tanggan);
        Assert.Equal((new DateTime(2026, 11, 30, 8, 5, 0), DateTimeKind.Utc), (later.LastChange!.Value, later.LastChange.Value.Kind));
    }

    private static ImportJob Job(string village, string status, string fileName, string by, int day, bool dryRun = false) => new()
    {
        FileName = fileName,
        Status = status,
        DryRun = dryRun,
        Village = village,
        CreatedBy = by,
        CreatedAt = new DateTime(2026, 11, day, 8, 0, 0, DateTimeKind.Utc),
        FinishedAt = new DateTime(2026, 11, day, 8, 5, 0, DateTimeKind.Utc),
        ScopeRegency = true,
    };
}

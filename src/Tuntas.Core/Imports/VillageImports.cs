using Tuntas.Access;
using Tuntas.Regions;

namespace Tuntas.Imports;

/// <summary>
/// Which villages' data has come in: every village of the regency in the reader's scope, with its registered families,
/// when one of them last changed, and the last import of a file of that village — so that a regency operator receiving
/// the files of 200 villages sees which have sent theirs, whose last file was refused, and which have sent nothing yet
/// (the seeds' "data by name, by address" from every village; GERTAK's inclusion and exclusion errors start with a
/// village that never sent its list). A job knows its village when the file is one village's (OpenSID, DTKS: typed,
/// the operator's own, or the file's name); a Tuntas file spanning villages names none, and the families' last change
/// still shows that the village's data came.
/// </summary>
public static class VillageImports
{
    /// <summary>An import job of the village, as the jobs' table shows it.</summary>
    public sealed record Job(long Id, string Status, string FileName, DateTime At, bool DryRun);

    /// <param name="LastChange">When the village's data last changed: a family's own fields (import, edit, verification) or
    /// the village's last import committed, whichever is later (a member's change moves the family's version, not its
    /// time); null = nothing registered.</param>
    /// <param name="LastCommitted">The last import of the village's file that was committed (not a dry run).</param>
    /// <param name="Latest">The village's latest job of any outcome, when it came after <paramref name="LastCommitted"/>:
    /// a file refused or failed since, or a dry run waiting for its import.</param>
    public sealed record Village(string Code, string Name, string DistrictCode, string DistrictName, int Families, DateTime? LastChange,
        Job? LastCommitted, Job? Latest)
    {
        public bool HasData => Families > 0;

        /// <summary>The village's latest file was refused or failed, and none has been imported since.</summary>
        public bool LatestRefused => Latest is { Status: ImportJob.Rejected or ImportJob.Failed };
    }

    public sealed record Outcome(IReadOnlyList<Village> Villages)
    {
        public int WithData => Villages.Count(v => v.HasData);
        public int WithoutData => Villages.Count(v => !v.HasData);
        public int LatestRefused => Villages.Count(v => v.LatestRefused);
    }

    /// <param name="seesAllImports">The reader sees every job (<c>RegistryPermissions.SeeAllImports</c>); otherwise only their
    /// own, as the jobs' table.</param>
    public static async Task<Outcome> RunAsync(TuntasDb db, string regencyCode, AccessScope scope, bool seesAllImports, string userName,
        CancellationToken cancellationToken)
    {
        var districts = await RegionChoices.RunAsync(db, regencyCode, scope, cancellationToken);
        // One pass over the families by village (the kode_desa index holds the code; the last change needs the rows).
        var prefix = regencyCode + ".";
        var families = await scope.Apply(db.Families.AsNoTracking()).Where(f => f.KodeDesa.StartsWith(prefix))
            .GroupBy(f => f.KodeDesa)
            .Select(g => new { Code = g.Key, Count = g.Count(), Last = g.Max(f => f.UpdatedAt) })
            .ToDictionaryAsync(g => g.Code, StringComparer.Ordinal, cancellationToken);
        var jobs = (await db.ImportJobs.AsNoTracking()
                .Where(j => j.Village != null && (seesAllImports || j.CreatedBy == userName))
                .OrderBy(j => j.Id)
                .Select(j => new { j.Id, j.Village, j.Status, j.FileName, j.CreatedAt, j.FinishedAt, j.DryRun })
                .ToListAsync(cancellationToken))
            // Kept as typed on the upload (3314012001 or 33.14.01.2001); the regions table's codes are dotted.
            .GroupBy(j => RegionCode.ToDotted(j.Village) ?? j.Village!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(j => new Job(j.Id, j.Status, j.FileName, Utc(j.FinishedAt ?? j.CreatedAt), j.DryRun)).ToList(),
                StringComparer.Ordinal);
        var villages = new List<Village>();
        foreach (var district in districts)
        {
            foreach (var village in district.Villages)
            {
                var registered = families.GetValueOrDefault(village.Code);
                var ofVillage = jobs.GetValueOrDefault(village.Code) ?? [];
                var committed = ofVillage.LastOrDefault(j => j.Status == ImportJob.Committed && !j.DryRun);
                var latest = ofVillage.LastOrDefault();
                DateTime? changed = registered is null ? null : Utc(registered.Last);
                if (registered is not null && committed is not null && committed.At > changed)
                {
                    changed = committed.At;
                }
                villages.Add(new Village(village.Code, village.Name, district.Code, district.Name, registered?.Count ?? 0, changed,
                    committed, latest is null || latest == committed ? null : latest));
            }
        }
        return new Outcome(villages);
    }

    /// <summary>The database's times are UTC; SQLite's come back unspecified, which JSON would write without its zone.</summary>
    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}

using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Access;

/// <summary>
/// Sets the villages a facilitator (pendamping) works in ("assigned villages"): the whole list at once, in
/// one transaction, each code checked against the Kemendagri table and limited to villages (desa/kelurahan). Returns
/// the villages added and removed for the audit trail.
/// </summary>
public sealed class AssignVillages(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(long UserId, IReadOnlyList<string> Villages, string AssignedBy);

    public sealed record Outcome(bool Found, IReadOnlyList<Problem> Problems, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
    {
        public bool Succeeded => Found && Problems.Count == 0;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == input.UserId, cancellationToken);
        if (user is null)
        {
            return new Outcome(false, [], [], []);
        }
        var problems = new List<Problem>();
        if (user.Role != Roles.Facilitator)
        {
            problems.Add(new("Villages", "ASSIGN_FACILITATOR_ONLY",
                "Penugasan desa hanya untuk pendamping; peran lain memakai wilayahnya sendiri.",
                "Village assignments are for facilitators only; other roles use their own region."));
        }
        var wanted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in input.Villages.Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            var code = RegionCode.ToDotted(text);
            if (code is null || code.Length != 13)
            {
                problems.Add(new("Villages", "VILLAGE_CODE_FORMAT",
                    string.Create(CultureInfo.InvariantCulture, $"'{text.Trim()}' bukan kode desa (mis. 33.14.01.2001)."),
                    string.Create(CultureInfo.InvariantCulture, $"'{text.Trim()}' is not a village code (e.g. 33.14.01.2001).")));
                continue;
            }
            wanted.Add(code);
        }
        var known = await db.Regions.AsNoTracking().Where(r => wanted.Contains(r.Code) && r.Level == Region.Village).Select(r => r.Code).ToListAsync(cancellationToken);
        foreach (var missing in wanted.Except(known, StringComparer.Ordinal))
        {
            problems.Add(new("Villages", "REGION_UNKNOWN",
                string.Create(CultureInfo.InvariantCulture, $"Kode desa '{missing}' tidak ada di tabel wilayah Kemendagri."),
                string.Create(CultureInfo.InvariantCulture, $"Village code '{missing}' is not in the Kemendagri region table.")));
        }
        if (problems.Count > 0)
        {
            return new Outcome(true, problems, [], []);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await db.UserVillages.Where(v => v.UserId == user.Id).ToListAsync(cancellationToken);
        var removed = current.Where(v => !wanted.Contains(v.KodeDesa)).ToList();
        var added = wanted.Where(code => current.All(v => v.KodeDesa != code)).ToList();
        db.UserVillages.RemoveRange(removed);
        var now = clock.GetUtcNow().UtcDateTime;
        db.UserVillages.AddRange(added.Select(code => new UserVillage { UserId = user.Id, KodeDesa = code, AssignedBy = input.AssignedBy, AssignedAt = now }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(true, [], added, [.. removed.Select(v => v.KodeDesa)]);
    }
}

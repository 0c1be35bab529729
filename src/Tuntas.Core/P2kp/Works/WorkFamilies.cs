using Tuntas.Registry;

namespace Tuntas.P2kp.Works;

/// <summary>
/// The registry families a BKM may name as beneficiaries of an activity or recipients of a grant (docs/p2kp.md, "Works
/// and social grants"): families of the BKM's own desa with at least one living member — a family whose members all
/// died or moved away receives nothing new (docs/registry.md#life-events). Picked by the head's name or the NO_KK.
/// </summary>
public static class WorkFamilies
{
    public const int MaxCandidates = 20;

    /// <summary>A family as a picker shows it: NO_KK masked, the head's name, the RT.</summary>
    public sealed record Candidate(long FamilyId, string NoKkMasked, string? Head, string? Rt);

    /// <summary>Why the families may not be named for the desa, or none (field <paramref name="field"/>; family ids only, never a name or NO_KK).</summary>
    public static async Task<IReadOnlyList<Problem>> CheckAsync(TuntasDb db, IReadOnlyCollection<long> familyIds, string kodeDesa, string field, CancellationToken cancellationToken)
    {
        var ids = familyIds.Distinct().ToList();
        var found = await db.Families.AsNoTracking().Where(f => ids.Contains(f.Id))
            .Select(f => new { f.Id, f.KodeDesa, Living = db.Persons.Any(p => p.FamilyId == f.Id && p.StatusHidup == LifeStatus.Hidup) })
            .ToListAsync(cancellationToken);
        var problems = new List<Problem>();
        var other = ids.Count - found.Count(f => f.KodeDesa == kodeDesa);
        if (other > 0)
        {
            problems.Add(new(field, "FAMILY_OTHER_VILLAGE", string.Create(CultureInfo.InvariantCulture, $"{other} keluarga tidak terdaftar di desa BKM ini."),
                string.Create(CultureInfo.InvariantCulture, $"{other} families are not in this BKM's desa in the registry.")));
        }
        var dead = found.Count(f => f.KodeDesa == kodeDesa && !f.Living);
        if (dead > 0)
        {
            problems.Add(new(field, "NO_LIVING_MEMBER", string.Create(CultureInfo.InvariantCulture, $"{dead} keluarga tidak punya anggota yang masih hidup di desa ini."),
                string.Create(CultureInfo.InvariantCulture, $"{dead} families have no living member left in the village.")));
        }
        return problems;
    }

    /// <summary>Up to <see cref="MaxCandidates"/> families of the desa whose head's name contains the text, or whose NO_KK it is.</summary>
    public static async Task<IReadOnlyList<Candidate>> SearchAsync(TuntasDb db, string kodeDesa, string? text, CancellationToken cancellationToken)
    {
        var query = (text ?? "").Trim();
        if (query.Length < 2)
        {
            return [];
        }
        // A desa holds a few thousand families: its heads are matched here, case-insensitively the same on both databases.
        var rows = (await (from f in db.Families.AsNoTracking()
                           where f.KodeDesa == kodeDesa
                           select new { f.Id, f.NoKk, f.Rt, Head = db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1).Select(p => p.Nama).FirstOrDefault() })
                .ToListAsync(cancellationToken))
            .Where(f => f.NoKk == query || (f.Head ?? "").Contains(query, StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f.Head, StringComparer.Ordinal).Take(MaxCandidates);
        return [.. rows.Select(r => new Candidate(r.Id, NoKk.Mask(r.NoKk), r.Head, r.Rt))];
    }

    /// <summary>The families as a list shows them (NO_KK masked, head, RT), in the order of <paramref name="familyIds"/>.</summary>
    public static async Task<IReadOnlyList<Candidate>> DescribeAsync(TuntasDb db, IReadOnlyCollection<long> familyIds, CancellationToken cancellationToken)
    {
        var ids = familyIds.ToList();
        var rows = await db.Families.AsNoTracking().Where(f => ids.Contains(f.Id))
            .Select(f => new { f.Id, f.NoKk, f.Rt, Head = db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1).Select(p => p.Nama).FirstOrDefault() })
            .ToDictionaryAsync(f => f.Id, cancellationToken);
        return [.. ids.Where(rows.ContainsKey).Select(id => new Candidate(id, NoKk.Mask(rows[id].NoKk), rows[id].Head, rows[id].Rt))];
    }
}

using Tuntas.Registry;

namespace Tuntas.Verivali;

/// <summary>
/// What a decided line proposes to the national system, as the berita acara and the regency's proposal name it, and its
/// changes as a village meeting reads them (members by name, not by the registry's id). A death or a move that leaves
/// someone living in the family changes the family (perubahan); only one that leaves no one, like tidak layak and tidak
/// ditemukan, removes it (pengurangan): a grandmother's death had been proposed as the removal of her family.
/// </summary>
public sealed class ProposalKinds
{
    private readonly Dictionary<long, List<(long Id, string Nama, bool Living)>> _members;

    private ProposalKinds(Dictionary<long, List<(long Id, string Nama, bool Living)>> members) => _members = members;

    /// <summary>The members of the lines' families, read in chunks (a regency's proposal names thousands of families).</summary>
    public static async Task<ProposalKinds> LoadAsync(TuntasDb db, IEnumerable<long?> familyIds, CancellationToken cancellationToken)
    {
        var members = new Dictionary<long, List<(long, string, bool)>>();
        foreach (var chunk in familyIds.OfType<long>().Distinct().Chunk(500))
        {
            foreach (var p in await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.FamilyId))
                .Select(p => new { p.FamilyId, p.Id, p.Nama, p.StatusHidup }).ToListAsync(cancellationToken))
            {
                if (!members.TryGetValue(p.FamilyId, out var list))
                {
                    members[p.FamilyId] = list = [];
                }
                list.Add((p.Id, p.Nama, p.StatusHidup == LifeStatus.Hidup));
            }
        }
        return new ProposalKinds(members);
    }

    /// <summary>penambahan, pengurangan, perubahan or tetap (<see cref="VerivaliTerms.ProposalKind"/>), a death or move
    /// that leaves a living member being a change.</summary>
    public string Of(string? outcome, string? changes, long? familyId)
    {
        var kind = VerivaliTerms.ProposalKind(outcome);
        if (outcome is not (VerivaliTerms.Died or VerivaliTerms.Moved) || familyId is not { } id || !_members.TryGetValue(id, out var members))
        {
            return kind;
        }
        var gone = VisitChange.Parse(changes).Where(c => c.PersonId is not null && c.Field.Equals(RegistryHistory.LifeStatusField, StringComparison.OrdinalIgnoreCase)
            && LifeStatus.Parse(c.Value) != LifeStatus.Hidup).Select(c => c.PersonId!.Value).ToHashSet();
        return members.Any(m => m.Living && !gone.Contains(m.Id)) ? "perubahan" : kind;
    }

    /// <summary>The changes as the meeting reads them: <c>JENIS_LANTAI = 2; Sri (anggota 53): STATUS_HIDUP = meninggal 2026-09-01</c>.
    /// A NIK masked and the values of sensitive fields (health, disability, income, pregnancy: UU PDP 27/2022) hidden
    /// unless <paramref name="full"/>: the berita acara is read out and pinned up at the village meeting.</summary>
    public string Describe(string? changes, long? familyId, bool full = false) =>
        VisitChange.Describe(changes, full, familyId is { } id && _members.TryGetValue(id, out var members) ? members.ToDictionary(m => m.Id, m => m.Nama) : null);
}

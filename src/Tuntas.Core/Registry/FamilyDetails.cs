namespace Tuntas.Registry;

/// <summary>
/// One family for the family page and <c>GET /api/families/{id}</c>: the family row, its members (head first: ordered
/// by HUBUNGAN_KK, then birth date), its village and kecamatan names, and a page of its change history, newest first.
/// Returns null when the family does not exist or lies outside <see cref="Input.Scope"/> (same answer for both,
/// so a scoped user cannot probe other villages).
/// </summary>
public sealed class FamilyDetails(TuntasDb db)
{
    public const int DefaultHistoryPageSize = 50;

    public sealed record Input(long FamilyId, int HistoryPage = 1, int HistoryPageSize = DefaultHistoryPageSize, AccessScope? Scope = null);

    public sealed record Outcome(
        Family Family, IReadOnlyList<Person> Members,
        string? VillageName, string DistrictCode, string? DistrictName,
        IReadOnlyList<FamilyChange> History, int HistoryTotal, int HistoryPage, int HistoryPageSize)
    {
        public int HistoryPages => Math.Max(1, (HistoryTotal + HistoryPageSize - 1) / HistoryPageSize);
    }

    public async Task<Outcome?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var family = await db.Families.AsNoTracking().SingleOrDefaultAsync(f => f.Id == input.FamilyId, cancellationToken);
        if (family is null || !(input.Scope ?? AccessScope.Regency).Covers(family.Id, family.KodeDesa))
        {
            return null;
        }
        var members = await db.Persons.AsNoTracking()
            .Where(p => p.FamilyId == family.Id)
            .OrderBy(p => p.HubunganKk).ThenBy(p => p.TanggalLahir).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
        var districtCode = Regions.RegionCode.DistrictOf(family.KodeDesa);
        var names = await db.Regions.AsNoTracking()
            .Where(r => r.Code == family.KodeDesa || r.Code == districtCode)
            .ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        var pageSize = Math.Clamp(input.HistoryPageSize, 1, 500);
        var total = await db.FamilyChanges.CountAsync(c => c.FamilyId == family.Id, cancellationToken);
        var pages = Math.Max(1, (total + pageSize - 1) / pageSize);
        var page = Math.Clamp(input.HistoryPage, 1, pages);
        var history = await db.FamilyChanges.AsNoTracking()
            .Where(c => c.FamilyId == family.Id)
            .OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        family.Persons = members;
        return new Outcome(family, members, names.GetValueOrDefault(family.KodeDesa), districtCode,
            names.GetValueOrDefault(districtCode), history, total, page, pageSize);
    }
}

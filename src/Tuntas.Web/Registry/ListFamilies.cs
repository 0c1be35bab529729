using Tuntas.Access;
using Tuntas.Registry;

namespace Tuntas.Web.Registry;

/// <summary>
/// The families of one village, a page at a time, for the village page and <c>GET /api/families?desa=</c>: NO_KK masked,
/// head of family, member count. Ordered by id (the index), so paging is stable while imports add families.
/// </summary>
public sealed class ListFamilies(TuntasDb db)
{
    public const int MaxPageSize = 200;

    public sealed record Input(string VillageCode, int Page = 1, int PageSize = 50, AccessScope? Scope = null);

    public sealed record Row(long Id, string NoKkMasked, string? Alamat, string? Rt, string? Rw, string? HeadName, int Members, int? DesilNasional);

    public sealed record Outcome(string VillageCode, string VillageName, string DistrictCode, string? DistrictName,
        IReadOnlyList<Row> Rows, int Total, int Page, int PageSize)
    {
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public async Task<Outcome?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var code = Tuntas.Regions.RegionCode.ToDotted(input.VillageCode);
        var scope = input.Scope ?? AccessScope.Regency;
        // A whole village in scope, or a partner's families shared one by one in it; otherwise the village is not there.
        if (code is null || code.Length != 13 || (!scope.CoversVillage(code) && scope.Families.Count == 0))
        {
            return null;
        }
        var families = scope.CoversVillage(code) ? db.Families : scope.Apply(db.Families);
        var district = Tuntas.Regions.RegionCode.DistrictOf(code);
        var names = await db.Regions.AsNoTracking().Where(r => r.Code == code || r.Code == district)
            .ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        if (!names.TryGetValue(code, out var villageName))
        {
            return null;
        }
        var pageSize = Math.Clamp(input.PageSize, 1, MaxPageSize);
        var total = await families.CountAsync(f => f.KodeDesa == code, cancellationToken);
        var page = Math.Clamp(input.Page, 1, Math.Max(1, (total + pageSize - 1) / pageSize));
        var rows = await families.AsNoTracking()
            .Where(f => f.KodeDesa == code)
            .OrderBy(f => f.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(f => new
            {
                f.Id,
                f.NoKk,
                f.Alamat,
                f.Rt,
                f.Rw,
                f.DesilNasional,
                Head = db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1 && p.StatusHidup == LifeStatus.Hidup).Select(p => p.Nama).FirstOrDefault(),
                Members = db.Persons.Count(p => p.FamilyId == f.Id && p.StatusHidup == LifeStatus.Hidup),
            })
            .ToListAsync(cancellationToken);
        return new Outcome(code, villageName, district, names.GetValueOrDefault(district),
            [.. rows.Select(r => new Row(r.Id, NoKk.Mask(r.NoKk), r.Alamat, r.Rt, r.Rw, r.Head, r.Members, r.DesilNasional))],
            total, page, pageSize);
    }
}

using Tuntas.Registry;

namespace Tuntas.P2kp.Works;

/// <summary>
/// The UPS grants of the BKMs the reader sees by name (the roles that see a desa's members; not partners), optionally
/// one desa and one year, newest first, with the totals per kind. Names are personal data: callers audit the read.
/// </summary>
public sealed class ReadGrants(TuntasDb db)
{
    public sealed record Row(long Id, long BkmId, string Bkm, string KodeDesa, long FamilyId, string NoKkMasked, string? Head, DateOnly GivenOn, string Kind,
        long Amount, string? InKind, string Source, string RecordedBy);

    public sealed record Outcome(IReadOnlyList<Row> Grants, IReadOnlyDictionary<string, long> AmountByKind, long Amount);

    public async Task<Outcome> RunAsync(string? kodeDesa, int? year, string role, AccessScope scope, CancellationToken cancellationToken)
    {
        var query = from g in db.P2kpGrants.AsNoTracking()
                    join b in db.Bkms.AsNoTracking() on g.BkmId equals b.Id
                    join f in db.Families.AsNoTracking() on g.FamilyId equals f.Id
                    where kodeDesa == null || b.KodeDesa == kodeDesa
                    orderby g.GivenOn descending, g.Id descending
                    select new { g, Bkm = b.Name, b.KodeDesa, f.NoKk, Head = db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1).Select(p => p.Nama).FirstOrDefault() };
        if (year is { } y)
        {
            var (from, to) = (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
            query = query.Where(x => x.g.GivenOn >= from && x.g.GivenOn <= to);
        }
        var rows = (await query.ToListAsync(cancellationToken))
            .Where(x => P2kpAccess.MaySeeMembers(role, scope, x.KodeDesa))
            .Select(x => new Row(x.g.Id, x.g.BkmId, x.Bkm, x.KodeDesa, x.g.FamilyId, NoKk.Mask(x.NoKk), x.Head, x.g.GivenOn, x.g.Kind, x.g.Amount, x.g.InKind, x.g.Source, x.g.RecordedBy))
            .ToList();
        return new Outcome(rows, GrantTerms.Kinds.ToDictionary(k => k.Code, k => rows.Where(r => r.Kind == k.Code).Sum(r => r.Amount)), rows.Sum(r => r.Amount));
    }
}

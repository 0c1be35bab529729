using Tuntas.Data;

namespace Tuntas.P2kp.Planning;

/// <summary>
/// Every activity of the BKMs' plans in the reader's aggregate scope (optionally one plan) as one row each: the plan,
/// BKM and desa, pillar, the budget and realisation per source and in total, the contribution in kind, the location, how
/// many beneficiary families it names and its latest progress — for <c>tuntas upk kegiatan</c>, the plan list's
/// download and <c>GET /api/upk/kegiatan</c>. Counts only, no names: budgets are not personal data.
/// </summary>
public sealed class ExportActivities(TuntasDb db)
{
    public sealed record Row(long PlanId, string Plan, string Kind, int YearFrom, int YearTo, string Bkm, string KodeDesa, long ActivityId, string Pillar, string Activity,
        IReadOnlyDictionary<string, SaveActivity.Line> Budget, long Planned, long Realised, long SwadayaInKind, double? Latitude, double? Longitude, int Beneficiaries, int? Percent);

    public async Task<IReadOnlyList<Row>> RowsAsync(long? planId, AccessScope scope, CancellationToken cancellationToken)
    {
        var rows = await (from a in db.P2kpActivities.AsNoTracking()
                          join p in db.P2kpPlans.AsNoTracking() on a.PlanId equals p.Id
                          join b in db.Bkms.AsNoTracking() on p.BkmId equals b.Id
                          where planId == null || p.Id == planId
                          orderby b.KodeDesa, p.YearFrom, p.Kind, a.Id
                          select new
                          {
                              Activity = a,
                              Plan = p,
                              Bkm = b.Name,
                              b.KodeDesa,
                              Beneficiaries = db.P2kpBeneficiaries.Count(x => x.ActivityId == a.Id),
                              Percent = db.P2kpProgress.Where(r => r.ActivityId == a.Id).OrderByDescending(r => r.OnDate).ThenByDescending(r => r.Id).Select(r => (int?)r.Percent).FirstOrDefault(),
                          }).ToListAsync(cancellationToken);
        rows = [.. rows.Where(r => scope.AggregatesCover(r.KodeDesa))];
        var ids = rows.Select(r => r.Activity.Id).ToList();
        var budgets = (await db.P2kpActivityBudgets.AsNoTracking().Where(b => ids.Contains(b.ActivityId)).ToListAsync(cancellationToken)).ToLookup(b => b.ActivityId);
        return [.. rows.Select(r =>
        {
            var lines = budgets[r.Activity.Id].ToDictionary(b => b.Source, b => new SaveActivity.Line(b.Planned, b.Realised));
            return new Row(r.Plan.Id, r.Plan.Title, r.Plan.Kind, r.Plan.YearFrom, r.Plan.YearTo, r.Bkm, r.KodeDesa, r.Activity.Id, r.Activity.Pillar, r.Activity.Name, lines,
                lines.Values.Sum(l => l.Planned), lines.Values.Sum(l => l.Realised), r.Activity.SwadayaInKind, r.Activity.Latitude, r.Activity.Longitude, r.Beneficiaries, r.Percent);
        })];
    }

    /// <summary>The rows as CSV or XLSX (one column pair per source); returns how many were written.</summary>
    public static Task<int> WriteAsync(Stream output, IReadOnlyList<Row> rows, bool xlsx, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> header = ["RENCANA_ID", "RENCANA", "JENIS", "TAHUN_DARI", "TAHUN_SAMPAI", "BKM", "KODE_DESA", "KEGIATAN_ID", "PILAR", "KEGIATAN",
            .. PlanTerms.Sources.SelectMany(s => new[] { s + "_ANGGARAN", s + "_REALISASI" }),
            "TOTAL_ANGGARAN", "TOTAL_REALISASI", "SWADAYA_NATURA", "LINTANG", "BUJUR", "PENERIMA_MANFAAT", "KEMAJUAN_PERSEN"];
        return TableExport.WriteAsync(output, header, rows.Select(r => (IEnumerable<object?>)
        [
            r.PlanId, r.Plan, r.Kind, r.YearFrom, r.YearTo, r.Bkm, r.KodeDesa, r.ActivityId, r.Pillar, r.Activity,
            .. PlanTerms.Sources.SelectMany(s => new object?[] { r.Budget.GetValueOrDefault(s)?.Planned ?? 0, r.Budget.GetValueOrDefault(s)?.Realised ?? 0 }),
            r.Planned, r.Realised, r.SwadayaInKind, r.Latitude, r.Longitude, r.Beneficiaries, r.Percent,
        ]), xlsx, "Kegiatan", cancellationToken);
    }
}

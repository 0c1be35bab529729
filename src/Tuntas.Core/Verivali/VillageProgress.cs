using Microsoft.Extensions.Options;
using Tuntas.Regions;

namespace Tuntas.Verivali;

/// <summary>Progress of a period per village: lines, % visited, % decided, % applied, and days since the last musdes.</summary>
public sealed class VillageProgress(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Row(string KodeDesa, string? VillageName, int Lines, int Visited, int Decided, int Applied, int? DaysSinceMusdes)
    {
        public double VisitedShare => Lines == 0 ? 0 : (double)Visited / Lines;
        public double DecidedShare => Lines == 0 ? 0 : (double)Decided / Lines;
        public double AppliedShare => Lines == 0 ? 0 : (double)Applied / Lines;
    }

    public async Task<IReadOnlyList<Row>> RunAsync(long periodId, AccessScope scope, CancellationToken cancellationToken)
    {
        var counts = await db.VerivaliLines.AsNoTracking().Where(scope.VillageFilter<VerivaliLine>(l => l.KodeDesa)).Where(l => l.PeriodId == periodId)
            .GroupBy(l => l.KodeDesa)
            .Select(g => new
            {
                KodeDesa = g.Key,
                Lines = g.Count(),
                Visited = g.Count(l => l.Status != VerivaliTerms.Open),
                Decided = g.Count(l => l.Status == VerivaliTerms.Decided || l.Status == VerivaliTerms.Applied),
                Applied = g.Count(l => l.Status == VerivaliTerms.Applied),
            })
            .ToListAsync(cancellationToken);
        var musdes = await db.VerivaliMusdes.AsNoTracking().Where(m => m.ClosedAt != null)
            .GroupBy(m => m.KodeDesa).Select(g => new { g.Key, Last = g.Max(m => m.HeldOn) }).ToDictionaryAsync(m => m.Key, m => m.Last, cancellationToken);
        var codes = counts.Select(c => c.KodeDesa).ToList();
        var names = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        var today = RegencyOptions.Of(regency).Today(clock);
        return [.. counts.OrderBy(c => c.KodeDesa, StringComparer.Ordinal).Select(c => new Row(c.KodeDesa, names.GetValueOrDefault(c.KodeDesa), c.Lines, c.Visited, c.Decided, c.Applied,
            musdes.TryGetValue(c.KodeDesa, out var last) ? today.DayNumber - last.DayNumber : null))];
    }
}

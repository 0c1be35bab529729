using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Collaboration.Needs;

/// <summary>
/// Committed against delivered, per village and per stakeholder, with every commitment behind the
/// totals — what a Bappeda planner takes to the TKPKD and a CSR officer to the company's annual report. Filters: a
/// kecamatan or village, one stakeholder, the pledge year, a helix. A village's need cost and gap are the current
/// state of its open needs and of the needs the listed commitments serve (gap = cost − covered, as in
/// <see cref="BrowseNeeds"/>). No personal data: a need for a named family shows only that it is one, titled by its
/// kind (<see cref="CollaborationTerms.PublicNeedTitle"/>).
/// </summary>
/// <param name="regency">Its time zone says which year a pledge was made in and on which day it was made and delivered:
/// a pledge at 06:00 WIB on 1 January is still in last year in UTC.</param>
public sealed class CommitmentReport(TuntasDb db, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(string? Region = null, long? StakeholderId = null, int? Year = null, string? Helix = null);

    public sealed record Line(long CommitmentId, long StakeholderId, string Stakeholder, string Helix, string KodeDesa, string Desa, string Kecamatan,
        long NeedId, string Need, string NeedKind, bool NamedFamily, string Kind, string Status, long Pledged, long? Realized, DateOnly PledgedOn,
        DateOnly? DeliveredOn, int EvidenceFiles);

    public sealed record VillageTotal(string KodeDesa, string Desa, string Kecamatan, int Needs, long NeedCost, long Gap, int Commitments, long Pledged,
        long Delivered, int Open, int Cancelled)
    {
        public double? DeliveredShare => Pledged == 0 ? null : Math.Round(100.0 * Delivered / Pledged, 1);
    }

    public sealed record StakeholderTotal(long StakeholderId, string Stakeholder, string Helix, int Villages, int Commitments, long Pledged, long Delivered,
        int Open, int Cancelled)
    {
        public double? DeliveredShare => Pledged == 0 ? null : Math.Round(100.0 * Delivered / Pledged, 1);
    }

    public sealed record Outcome(Input Input, IReadOnlyList<Line> Lines, IReadOnlyList<VillageTotal> ByVillage, IReadOnlyList<StakeholderTotal> ByStakeholder,
        long Pledged, long Delivered, long NeedCost, long Gap);

    /// <summary>Filters that cannot be right, each with its message; checked before anything is read.</summary>
    public static IReadOnlyList<Problem> Check(Input input)
    {
        var problems = new List<Problem>();
        if (input.Year is { } year && year is < 2000 or > 2100)
        {
            problems.Add(new("Year", "YEAR_RANGE", "Tahun antara 2000 dan 2100.", "The year is between 2000 and 2100."));
        }
        if (!string.IsNullOrWhiteSpace(input.Helix) && !CollaborationTerms.IsKnown(CollaborationTerms.Helixes, input.Helix))
        {
            problems.Add(new("Helix", "HELIX_UNKNOWN", "Heliks: " + string.Join(", ", CollaborationTerms.Helixes.Select(h => h.Code)) + ".",
                "Helix: " + string.Join(", ", CollaborationTerms.Helixes.Select(h => h.Code)) + "."));
        }
        if (!string.IsNullOrWhiteSpace(input.Region) && Regions.RegionCode.ToDotted(input.Region.Trim()) is null)
        {
            problems.Add(new("Region", "REGION_CODE", "Kode wilayah tidak dikenali (mis. 33.14.01 atau 33.14.01.2001).",
                "The region code is not recognized (e.g. 33.14.01 or 33.14.01.2001)."));
        }
        return problems;
    }

    /// <summary>An empty report, for filters that were refused.</summary>
    public static Outcome Empty(Input input) => new(input, [], [], [], 0, 0, 0, 0);

    /// <summary>The three exports: every commitment, the village totals, the stakeholder totals.</summary>
    public static readonly IReadOnlyList<string> Views = ["komitmen", "desa", "pemangku"];

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var lines = await LinesAsync(input, cancellationToken);
        var needs = await NeedStateAsync(input, lines, cancellationToken);
        var names = await NamesAsync(needs.Select(n => n.KodeDesa).Concat(lines.Select(l => l.KodeDesa)), cancellationToken);
        var linesOf = lines.ToLookup(l => l.KodeDesa);
        var needsOf = needs.ToLookup(n => n.KodeDesa);
        var byVillage = needs.Select(n => n.KodeDesa).Concat(lines.Select(l => l.KodeDesa)).Distinct().Select(code =>
            {
                var mine = linesOf[code].ToList();
                var villageNeeds = needsOf[code].ToList();
                var (desa, kecamatan) = names(code);
                return new VillageTotal(code, desa, kecamatan, villageNeeds.Count, villageNeeds.Sum(n => n.Cost), villageNeeds.Sum(n => n.Gap), mine.Count,
                    PledgedOf(mine), DeliveredOf(mine), mine.Count(IsOpen), mine.Count(l => l.Status == CollaborationTerms.Cancelled));
            })
            .OrderByDescending(v => v.Gap).ThenBy(v => v.KodeDesa, StringComparer.Ordinal).ToList();
        var byStakeholder = lines.GroupBy(l => l.StakeholderId).Select(g => new StakeholderTotal(g.Key, g.First().Stakeholder, g.First().Helix,
                g.Select(l => l.KodeDesa).Distinct().Count(), g.Count(), PledgedOf(g), DeliveredOf(g), g.Count(IsOpen), g.Count(l => l.Status == CollaborationTerms.Cancelled)))
            .OrderByDescending(s => s.Pledged).ThenBy(s => s.Stakeholder, StringComparer.Ordinal).ToList();
        return new Outcome(input, lines, byVillage, byStakeholder, PledgedOf(lines), DeliveredOf(lines), needs.Sum(n => n.Cost), needs.Sum(n => n.Gap));
    }

    /// <summary>Pledged value of every commitment not cancelled: what was promised.</summary>
    public static long PledgedOf(IEnumerable<Line> lines) => lines.Where(l => l.Status != CollaborationTerms.Cancelled).Sum(l => l.Pledged);

    /// <summary>Realized value of the delivered commitments: what arrived.</summary>
    public static long DeliveredOf(IEnumerable<Line> lines) => lines.Where(l => l.Status == CollaborationTerms.Delivered).Sum(l => l.Realized ?? 0);

    public static bool IsOpen(Line line) => line.Status is CollaborationTerms.Pledged or CollaborationTerms.InProgress;

    /// <summary>Every commitment matching the filters, with its stakeholder, need, village and delivery date.</summary>
    public async Task<IReadOnlyList<Line>> LinesAsync(Input input, CancellationToken cancellationToken)
    {
        var query = db.Commitments.AsNoTracking()
            .Join(db.Stakeholders, c => c.StakeholderId, s => s.Id, (c, s) => new { c, s })
            .Join(db.Needs, x => x.c.NeedId, n => n.Id, (x, n) => new { x.c, x.s, n });
        if (Village(input.Region) is { } village)
        {
            query = query.Where(x => x.n.KodeDesa == village);
        }
        else if (Under(input.Region) is { } prefix)
        {
            query = query.Where(x => x.n.KodeDesa.StartsWith(prefix));
        }
        if (input.StakeholderId is { } stakeholder)
        {
            query = query.Where(x => x.s.Id == stakeholder);
        }
        if (!string.IsNullOrWhiteSpace(input.Helix))
        {
            query = query.Where(x => x.s.Helix == input.Helix);
        }
        if (input.Year is { } year)
        {
            var zone = RegencyOptions.Of(regency);
            var (from, until) = (zone.ToUtc(new DateTime(year, 1, 1)), zone.ToUtc(new DateTime(year + 1, 1, 1)));
            query = query.Where(x => x.c.CreatedAt >= from && x.c.CreatedAt < until);
        }
        var rows = await query.OrderBy(x => x.n.KodeDesa).ThenBy(x => x.s.Name).ThenBy(x => x.c.Id)
            .Select(x => new
            {
                x.c.Id,
                StakeholderId = x.s.Id,
                Stakeholder = x.s.Name,
                x.s.Helix,
                x.n.KodeDesa,
                NeedId = x.n.Id,
                Need = x.n.Title,
                NeedKind = x.n.Kind,
                Named = x.n.FamilyId != null,
                x.c.Kind,
                x.c.Status,
                x.c.PledgedAmount,
                x.c.RealizedAmount,
                x.c.CreatedAt,
            })
            .ToListAsync(cancellationToken);
        // The delivery date and evidence count come from the commitment's steps; read them for the listed commitments
        // only (a village's report is short; a regency-wide one reads the whole, small, table once).
        var ids = rows.Select(r => r.Id).ToHashSet();
        var steps = db.CommitmentEvents.AsNoTracking().Where(e => e.StatusTo == CollaborationTerms.Delivered || e.EvidenceStoredName != null);
        var events = rows.Count <= 2_000
            ? await steps.Where(e => ids.Contains(e.CommitmentId))
                .Select(e => new { e.CommitmentId, e.StatusTo, e.At, Evidence = e.EvidenceStoredName != null }).ToListAsync(cancellationToken)
            : [.. (await steps.Select(e => new { e.CommitmentId, e.StatusTo, e.At, Evidence = e.EvidenceStoredName != null })
                .ToListAsync(cancellationToken)).Where(e => ids.Contains(e.CommitmentId))];
        var byCommitment = events.GroupBy(e => e.CommitmentId).ToDictionary(g => g.Key, g => (
            Delivered: g.Where(e => e.StatusTo == CollaborationTerms.Delivered).Select(e => (DateTime?)e.At).Max(),
            Evidence: g.Count(e => e.Evidence)));
        var names = await NamesAsync(rows.Select(r => r.KodeDesa), cancellationToken);
        DateOnly Day(DateTime utc) => DateOnly.FromDateTime(RegencyOptions.Of(regency).ToRegency(utc));
        return [.. rows.Select(r =>
        {
            var step = byCommitment.GetValueOrDefault(r.Id);
            var (desa, kecamatan) = names(r.KodeDesa);
            return new Line(r.Id, r.StakeholderId, r.Stakeholder, r.Helix, r.KodeDesa, desa, kecamatan, r.NeedId,
                CollaborationTerms.PublicNeedTitle(r.Need, r.NeedKind, r.Named), r.NeedKind, r.Named, r.Kind,
                r.Status, r.PledgedAmount, r.RealizedAmount, Day(r.CreatedAt),
                step.Delivered is { } at ? Day(at) : null, step.Evidence);
        })];
    }

    private sealed record NeedState(long Id, string KodeDesa, long Cost, long Gap);

    /// <summary>The needs whose cost and gap count: the open ones in the region (none when one stakeholder is asked
    /// for) and every need the listed commitments serve; covered counts all their commitments, whatever the filters.</summary>
    private async Task<IReadOnlyList<NeedState>> NeedStateAsync(Input input, IReadOnlyList<Line> lines, CancellationToken cancellationToken)
    {
        var served = lines.Select(l => l.NeedId).Distinct().ToList();
        var query = db.Needs.AsNoTracking();
        if (input.StakeholderId is null && string.IsNullOrWhiteSpace(input.Helix))
        {
            var open = query.Where(n => n.Status == CollaborationTerms.NeedOpen);
            if (Village(input.Region) is { } village)
            {
                open = open.Where(n => n.KodeDesa == village);
            }
            else if (Under(input.Region) is { } prefix)
            {
                open = open.Where(n => n.KodeDesa.StartsWith(prefix));
            }
            var openIds = await open.Select(n => n.Id).ToListAsync(cancellationToken);
            served = [.. served.Union(openIds)];
        }
        var needs = new List<Need>();
        var pledges = new List<(long NeedId, string Status, long Pledged, long? Realized)>();
        // Many needs (a regency's report): read both tables once and keep what is asked for, rather than thousands of IN lists.
        IEnumerable<long[]> chunks = served.Count <= 5_000 ? served.Chunk(500) : [];
        if (served.Count > 5_000)
        {
            var wanted = served.ToHashSet();
            needs.AddRange((await db.Needs.AsNoTracking().ToListAsync(cancellationToken)).Where(n => wanted.Contains(n.Id)));
            pledges.AddRange((await db.Commitments.AsNoTracking().Select(c => new { c.NeedId, c.Status, c.PledgedAmount, c.RealizedAmount }).ToListAsync(cancellationToken))
                .Where(c => wanted.Contains(c.NeedId)).Select(c => (c.NeedId, c.Status, c.PledgedAmount, c.RealizedAmount)));
        }
        foreach (var chunk in chunks)
        {
            needs.AddRange(await db.Needs.AsNoTracking().Where(n => chunk.Contains(n.Id)).ToListAsync(cancellationToken));
            pledges.AddRange((await db.Commitments.AsNoTracking().Where(c => chunk.Contains(c.NeedId))
                .Select(c => new { c.NeedId, c.Status, c.PledgedAmount, c.RealizedAmount }).ToListAsync(cancellationToken))
                .Select(c => (c.NeedId, c.Status, c.PledgedAmount, c.RealizedAmount)));
        }
        var byNeed = pledges.ToLookup(p => p.NeedId);
        return [.. needs.Select(n =>
        {
            var covered = BrowseNeeds.Covered(byNeed[n.Id].Select(p => new BrowseNeeds.Pledge(0, 0, "", "", p.Pledged, p.Realized, p.Status)));
            return new NeedState(n.Id, n.KodeDesa, n.EstimatedCost, Math.Max(0, n.EstimatedCost - covered));
        })];
    }

    /// <summary>Village and kecamatan names of the given village codes, one query.</summary>
    private async Task<Func<string, (string Desa, string Kecamatan)>> NamesAsync(IEnumerable<string> villages, CancellationToken cancellationToken)
    {
        var codes = villages.Distinct().ToList();
        var wanted = codes.Concat(codes.Where(c => c.Length > 8).Select(c => c[..8])).Distinct().ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in wanted.Chunk(500))
        {
            foreach (var region in await db.Regions.AsNoTracking().Where(r => chunk.Contains(r.Code)).Select(r => new { r.Code, r.Name }).ToListAsync(cancellationToken))
            {
                names[region.Code] = region.Name;
            }
        }
        return code => (names.GetValueOrDefault(code) ?? code, code.Length > 8 ? names.GetValueOrDefault(code[..8]) ?? code[..8] : "");
    }

    private static string? Dotted(string? region) => string.IsNullOrWhiteSpace(region) ? null : Regions.RegionCode.ToDotted(region.Trim()) ?? region.Trim();

    /// <summary>A village asked for: equality, which the kode_desa index serves (an OR with a prefix would scan).</summary>
    private static string? Village(string? region) => Dotted(region) is { Length: 13 } code ? code : null;

    /// <summary>A kecamatan or regency asked for: the prefix of its villages' codes ("33.14.01.").</summary>
    private static string? Under(string? region) => Dotted(region) is { Length: > 0 and < 13 } code ? code + "." : null;

    /// <summary>Writes one view (<see cref="Views"/>) as CSV or XLSX; amounts in whole rupiah, dates ISO.</summary>
    public static async Task<int> WriteAsync(Outcome outcome, string view, Stream output, bool xlsx, CancellationToken cancellationToken)
    {
        static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (header, rows) = view switch
        {
            "desa" => (new[] { "KODE_DESA", "DESA", "KECAMATAN", "KEBUTUHAN", "BIAYA_KEBUTUHAN", "KESENJANGAN", "KOMITMEN", "DIJANJIKAN", "TEREALISASI", "PERSEN_TEREALISASI", "BERJALAN", "DIBATALKAN" },
                outcome.ByVillage.Select(v => new object?[] { v.KodeDesa, v.Desa, v.Kecamatan, v.Needs, v.NeedCost, v.Gap, v.Commitments, v.Pledged, v.Delivered, v.DeliveredShare, v.Open, v.Cancelled })),
            "pemangku" => (new[] { "ID_PEMANGKU", "PEMANGKU", "HELIKS", "DESA", "KOMITMEN", "DIJANJIKAN", "TEREALISASI", "PERSEN_TEREALISASI", "BERJALAN", "DIBATALKAN" },
                outcome.ByStakeholder.Select(s => new object?[] { s.StakeholderId, s.Stakeholder, s.Helix, s.Villages, s.Commitments, s.Pledged, s.Delivered, s.DeliveredShare, s.Open, s.Cancelled })),
            "komitmen" => (new[] { "ID_KOMITMEN", "PEMANGKU", "HELIKS", "KODE_DESA", "DESA", "KECAMATAN", "ID_KEBUTUHAN", "KEBUTUHAN", "JENIS_KEBUTUHAN", "UNTUK_KELUARGA", "BENTUK", "STATUS", "DIJANJIKAN", "TEREALISASI", "TANGGAL_JANJI", "TANGGAL_REALISASI", "BUKTI" },
                outcome.Lines.Select(l => new object?[] { l.CommitmentId, l.Stakeholder, l.Helix, l.KodeDesa, l.Desa, l.Kecamatan, l.NeedId, l.Need, l.NeedKind, l.NamedFamily ? "ya" : "tidak", l.Kind, l.Status, l.Pledged, l.Realized, Day(l.PledgedOn), Day(l.DeliveredOn), l.EvidenceFiles })),
            _ => throw new ArgumentOutOfRangeException(nameof(view), view, "komitmen, desa or pemangku"),
        };
        return await TableExport.WriteAsync(output, header, rows, xlsx, view == "komitmen" ? "Komitmen" : view == "desa" ? "Per desa" : "Per pemangku", cancellationToken);
    }
}

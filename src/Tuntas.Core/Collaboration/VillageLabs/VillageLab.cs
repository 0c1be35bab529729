using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Tuntas.Dashboard;
using Tuntas.Users;

namespace Tuntas.Collaboration.VillageLabs;

/// <summary>The regency's thresholds for a village's poverty-lab status, as a share (%) of the village's families.</summary>
public sealed class VillageStatusThresholds
{
    public long Id { get; set; }
    /// <summary><see cref="Measures.PoorBps"/> (poor by the 14 criteria) or <see cref="Measures.Desil1To4"/>.</summary>
    public required string Indicator { get; set; }
    public double Merah { get; set; }
    public double Kuning { get; set; }
    public double Hijau { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A change of a village's status, kept as its history; <see cref="Graduated"/> marks leaving "merah".</summary>
public sealed class VillageStatusChange
{
    public long Id { get; set; }
    public required string KodeDesa { get; set; }
    public required string Status { get; set; }
    public string? PreviousStatus { get; set; }
    public double Share { get; set; }
    public long PoorFamilies { get; set; }
    public long Families { get; set; }
    public bool Graduated { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A village's target, e.g. poor families 120 → 80 by 2027.</summary>
public sealed class VillageTarget
{
    public long Id { get; set; }
    public required string KodeDesa { get; set; }
    public long Baseline { get; set; }
    public long Target { get; set; }
    public int ByYear { get; set; }
    public string? Note { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class VillageStatusThresholdsConfiguration : IEntityTypeConfiguration<VillageStatusThresholds>
{
    public void Configure(EntityTypeBuilder<VillageStatusThresholds> builder) => builder.ToTable("village_status_thresholds");
}

internal sealed class VillageStatusChangeConfiguration : IEntityTypeConfiguration<VillageStatusChange>
{
    public void Configure(EntityTypeBuilder<VillageStatusChange> builder) => builder.ToTable("village_status_history");
}

internal sealed class VillageTargetConfiguration : IEntityTypeConfiguration<VillageTarget>
{
    public void Configure(EntityTypeBuilder<VillageTarget> builder) => builder.ToTable("village_targets");
}

/// <summary>
/// The village poverty lab's status (Laboratorium Kemiskinan's "desa merah", Desa Tumis' "tuntas"): from
/// the share of the village's families poor by the chosen indicator, against the regency's thresholds — merah at or
/// above <see cref="VillageStatusThresholds.Merah"/> %, kuning at or above Kuning, hijau at or above Hijau, tuntas
/// below. <see cref="RefreshAsync"/> compares every village with its last recorded status and appends a change (a
/// graduation when it leaves merah) — cheap (one row per village from the dashboard's pre-aggregate), run when the lab,
/// transparency or village pages are viewed, so the history follows the data.
/// </summary>
/// <param name="regencyOptions">Its time zone says which year it is, the first a target may be set for: on 1 January
/// before 07:00 WIB, UTC is still in last year.</param>
public sealed class VillageLab(TuntasDb db, ReadDashboard readDashboard, TimeProvider clock, IOptions<Regions.RegencyOptions>? regencyOptions = null)
{
    public const string Merah = "merah";
    public const string Kuning = "kuning";
    public const string Hijau = "hijau";
    public const string Tuntas = "tuntas";

    private static readonly SemaphoreSlim _refreshing = new(1, 1);

    public sealed record VillageStatus(string KodeDesa, string Name, string Status, double Share, long PoorFamilies, long Families, DateTime? Since, bool EverGraduated);

    public async Task<VillageStatusThresholds> ThresholdsAsync(CancellationToken cancellationToken) =>
        await db.VillageStatusThresholds.AsNoTracking().OrderByDescending(t => t.Id).FirstOrDefaultAsync(cancellationToken)
        ?? new VillageStatusThresholds { Indicator = Measures.PoorBps, Merah = 25, Kuning = 15, Hijau = 5, UpdatedBy = "bawaan" };

    public static string Classify(double share, VillageStatusThresholds t) =>
        share >= t.Merah ? Merah : share >= t.Kuning ? Kuning : share >= t.Hijau ? Hijau : Tuntas;

    public async Task<Problem?> SetThresholdsAsync(string? indicator, double merah, double kuning, double hijau, string actor, CancellationToken cancellationToken)
    {
        if (indicator is not (Measures.PoorBps or Measures.Desil1To4))
        {
            return new Problem("Indicator", "INDICATOR_UNKNOWN", "Indikator: miskin_bps atau desil_1_4.", "Indicator: miskin_bps or desil_1_4.");
        }
        if (!(merah > kuning && kuning > hijau && hijau > 0 && merah <= 100))
        {
            return new Problem("Merah", "THRESHOLDS_ORDER", "Ambang harus menurun: merah > kuning > hijau > 0 (persen keluarga).",
                "Thresholds must decrease: merah > kuning > hijau > 0 (percent of families).");
        }
        db.VillageStatusThresholds.Add(new VillageStatusThresholds
        {
            Indicator = indicator,
            Merah = merah,
            Kuning = kuning,
            Hijau = hijau,
            UpdatedBy = actor,
            UpdatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Every village's current status; records the changes since the last refresh first.</summary>
    public async Task<IReadOnlyList<VillageStatus>> RefreshAsync(string regency, CancellationToken cancellationToken)
    {
        // Page views call this at the same moment; without one refresh at a time, two views would both see the old
        // status and record the same change twice. (Once per process: the web app is the only writer of the history.)
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            return await RefreshOnceAsync(regency, cancellationToken);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task<IReadOnlyList<VillageStatus>> RefreshOnceAsync(string regency, CancellationToken cancellationToken)
    {
        var thresholds = await ThresholdsAsync(cancellationToken);
        var dashboard = await readDashboard.RunAsync(new ReadDashboard.Input(regency, AccessScope.Regency), cancellationToken);
        if (dashboard is null)
        {
            return [];
        }
        // Only each village's latest change and the villages that ever graduated: the history grows with every change,
        // and this runs on page views (the public transparency page among them).
        var lastIds = db.VillageStatusHistory.GroupBy(h => h.KodeDesa).Select(g => g.Max(h => h.Id));
        var last = await db.VillageStatusHistory.AsNoTracking().Where(h => lastIds.Contains(h.Id)).ToDictionaryAsync(h => h.KodeDesa, cancellationToken);
        var graduated = (await db.VillageStatusHistory.AsNoTracking().Where(h => h.Graduated).Select(h => h.KodeDesa).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var now = clock.GetUtcNow().UtcDateTime;
        var result = new List<VillageStatus>();
        foreach (var village in dashboard.Villages)
        {
            var families = village[Measures.Families];
            if (families == 0)
            {
                continue; // no data: no status
            }
            var poor = village[thresholds.Indicator];
            var share = Math.Round(100.0 * poor / families, 1);
            var status = Classify(share, thresholds);
            var previous = last.GetValueOrDefault(village.Code);
            if (previous?.Status != status)
            {
                var change = new VillageStatusChange
                {
                    KodeDesa = village.Code,
                    Status = status,
                    PreviousStatus = previous?.Status,
                    Share = share,
                    PoorFamilies = poor,
                    Families = families,
                    Graduated = previous?.Status == Merah,
                    At = now,
                };
                db.VillageStatusHistory.Add(change);
                previous = change;
                if (change.Graduated)
                {
                    graduated.Add(village.Code);
                }
            }
            result.Add(new VillageStatus(village.Code, village.Name, status, share, poor, families, previous.At, graduated.Contains(village.Code)));
        }
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    public async Task<(VillageTarget? Target, Problem? Problem)> SetTargetAsync(string kodeDesa, long? baseline, long? target, int? byYear, string? note, string actor,
        CancellationToken cancellationToken)
    {
        if (baseline is not > 0 || target is not >= 0 || target >= baseline)
        {
            return (null, new Problem("Target", "TARGET_ORDER", "Sasaran harus lebih kecil dari keadaan awal (mis. 120 → 80 keluarga miskin).",
                "The target must be below the baseline (e.g. 120 → 80 poor families)."));
        }
        var year = Regions.RegencyOptions.Of(regencyOptions).Today(clock).Year;
        if (byYear is not { } y || y < year || y > year + 10)
        {
            return (null, new Problem("ByYear", "TARGET_YEAR", string.Create(CultureInfo.InvariantCulture, $"Tahun sasaran {year}–{year + 10}."),
                string.Create(CultureInfo.InvariantCulture, $"Target year {year}–{year + 10}.")));
        }
        var row = new VillageTarget
        {
            KodeDesa = kodeDesa,
            Baseline = baseline.Value,
            Target = target.Value,
            ByYear = y,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            CreatedBy = actor,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.VillageTargets.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return (row, null);
    }
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Registry;

namespace Tuntas.Verivali;

/// <summary>
/// The regency (Dinas Sosial) opens a verivali period and every village gets its worklist at once, set-based
/// (one INSERT … SELECT over the registry), each line with all its reasons:
/// <list type="bullet">
/// <item>belum-verifikasi-12-bulan: never verified, or last verified more than 12 months ago;</item>
/// <item>usulan-perubahan: an open change request (or an accepted one not yet applied);</item>
/// <item>pengaduan: an open complaint about the family.</item>
/// </list>
/// The inclusion/exclusion worklist of a targeting run and suspected duplicates come from their own features and are
/// added with <see cref="AddWorklistLines"/> (the seam record linkage will use); new families proposed by villagers
/// with <see cref="ProposeNewFamily"/>. Only one period is open at a time.
/// </summary>
public sealed class OpenPeriod(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string Name, string Actor);

    public sealed record Outcome(VerivaliPeriod? Period, int Lines, string? Problem);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var name = (input.Name ?? "").Trim();
        if (name.Length is < 3 or > 100)
        {
            return new Outcome(null, 0, "PERIOD_NAME");
        }
        if (await db.VerivaliPeriods.AnyAsync(p => p.ClosedAt == null, cancellationToken))
        {
            return new Outcome(null, 0, "PERIOD_OPEN");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var period = new VerivaliPeriod { Name = name, OpenedBy = input.Actor, OpenedAt = now };
        db.VerivaliPeriods.Add(period);
        await db.SaveChangesAsync(cancellationToken);
        var cutoff = RegistryFields.TodayWib(clock).AddYears(-1);
        object cutoffValue = db.Database.IsSqlite() ? cutoff.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : cutoff;
        // One statement over the registry; the reasons of a family are concatenated in a fixed order.
        var lines = await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO verivali_lines (period_id, kode_desa, family_id, reasons, status)
            SELECT {0}, f.kode_desa, f.id, rtrim(
                CASE WHEN f.verified_at IS NULL OR f.verified_at < {1} THEN 'belum-verifikasi-12-bulan,' ELSE '' END ||
                CASE WHEN cr.family_id IS NOT NULL THEN 'usulan-perubahan,' ELSE '' END ||
                CASE WHEN co.family_id IS NOT NULL THEN 'pengaduan,' ELSE '' END, ','), 'baru'
            FROM families f
            LEFT JOIN (SELECT DISTINCT family_id FROM change_requests
                       WHERE family_id IS NOT NULL AND (status = 'baru' OR (status = 'diterima' AND proposed_changes IS NOT NULL AND applied_at IS NULL))) cr
                   ON cr.family_id = f.id
            LEFT JOIN (SELECT DISTINCT family_id FROM complaints WHERE family_id IS NOT NULL AND status IN ('baru', 'diproses')) co
                   ON co.family_id = f.id
            WHERE f.verified_at IS NULL OR f.verified_at < {1} OR cr.family_id IS NOT NULL OR co.family_id IS NOT NULL
            """, [period.Id, cutoffValue], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(period, lines, null);
    }
}

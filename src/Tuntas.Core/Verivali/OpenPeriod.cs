using Microsoft.Extensions.Options;
using Tuntas.Programs;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Verivali;

/// <summary>
/// The regency (Dinas Sosial) opens a verivali period and every village gets its worklist at once, set-based
/// (one INSERT … SELECT over the registry), each line with all its reasons:
/// <list type="bullet">
/// <item>belum-verifikasi-12-bulan: never verified, or last verified more than 12 months ago;</item>
/// <item>usulan-perubahan: an open change request (or an accepted one not yet applied);</item>
/// <item>pengaduan: an open complaint about the family;</item>
/// <item>inklusi, eksklusi: the by-name worklist of the targeting error report (<see cref="TargetingErrorReport"/>) against
/// the latest targeting run — recipients not eligible, in desil 6–10 or without a living member (inclusion); eligible
/// families not receiving, desil-1 families receiving nothing (exclusion).</item>
/// </list>
/// Suspected duplicates (dugaan-ganda) are searched right after: record linkage over the regency takes minutes, so the
/// period is marked <see cref="VerivaliTerms.DuplicatesPending"/> and <see cref="SearchDuplicatesAtOpening"/> (the web
/// host's background worker, or the CLI right after opening) adds them; the worklists are there at once and the
/// dugaan-ganda reasons join them when the search ends. New families proposed by villagers come with
/// <see cref="ProposeNewFamily"/>; every producer of reasons goes through <see cref="AddReasonAsync"/>. Only one period
/// is open at a time.
/// </summary>
/// <param name="database">Reads the targeting error report; without it (a unit test of the cycle) inklusi/eksklusi are not filled.</param>
public sealed class OpenPeriod(TuntasDb db, TimeProvider clock, TuntasDatabase? database = null, IOptions<RegencyOptions>? regency = null)
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
        // Read before the write transaction: the report reads on its own connections, and the write lock is held only
        // for the writes.
        var flagged = await ErrorWorklistAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var period = new VerivaliPeriod { Name = name, OpenedBy = input.Actor, OpenedAt = now, DuplicatesStatus = VerivaliTerms.DuplicatesPending };
        db.VerivaliPeriods.Add(period);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request opened one between the check above and this insert (a double click): the database's own
            // rule (one open period, migration 0051) refused this one.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (await db.VerivaliPeriods.AnyAsync(p => p.ClosedAt == null, cancellationToken))
            {
                return new Outcome(null, 0, "PERIOD_OPEN");
            }
            throw;
        }
        var cutoff = RegencyOptions.Of(regency).Today(clock).AddYears(-1);
        // One statement over the registry; the reasons of a family are concatenated in a fixed order. The families of the
        // error worklist come as two id-list parameters, so that every line is written once with all its reasons: adding
        // them afterwards (AddReasonAsync) rewrote 175,000 lines on 300,000 families, and PostgreSQL planned that update
        // on a table it had no statistics for yet as a scan per family (10 minutes).
        var sql = SqlDialect.Of(db.Database);
        var (inclusionJoin, inclusion) = sql.IdFlag("f.id", "{2}", "inc");
        var (exclusionJoin, exclusion) = sql.IdFlag("f.id", "{3}", "exc");
        var insert = $$"""
            INSERT INTO verivali_lines (period_id, kode_desa, family_id, reasons, status)
            SELECT {0}, kode_desa, id, rtrim(
                CASE WHEN stale THEN '{{VerivaliTerms.ReasonNotVerified}},' ELSE '' END ||
                CASE WHEN requested THEN '{{VerivaliTerms.ReasonChangeRequest}},' ELSE '' END ||
                CASE WHEN complained THEN '{{VerivaliTerms.ReasonComplaint}},' ELSE '' END ||
                CASE WHEN inclusion THEN '{{VerivaliTerms.ReasonInclusion}},' ELSE '' END ||
                CASE WHEN exclusion THEN '{{VerivaliTerms.ReasonExclusion}},' ELSE '' END, ','), '{{VerivaliTerms.Open}}'
            FROM (
                SELECT f.kode_desa, f.id, (f.verified_at IS NULL OR f.verified_at < {1}) AS stale,
                       cr.family_id IS NOT NULL AS requested, co.family_id IS NOT NULL AS complained,
                       {{inclusion}} AS inclusion, {{exclusion}} AS exclusion
                FROM families f
                LEFT JOIN (SELECT DISTINCT family_id FROM change_requests
                           WHERE family_id IS NOT NULL AND (status = 'baru' OR (status = 'diterima' AND proposed_changes IS NOT NULL AND applied_at IS NULL))) cr
                       ON cr.family_id = f.id
                LEFT JOIN (SELECT DISTINCT family_id FROM complaints WHERE family_id IS NOT NULL AND status IN ('baru', 'diproses')) co
                       ON co.family_id = f.id
                {{inclusionJoin}}
                {{exclusionJoin}}
            ) x
            WHERE stale OR requested OR complained OR inclusion OR exclusion
            """;
        var lines = await db.Database.ExecuteSqlRawAsync(insert, [period.Id, sql.Date(cutoff), sql.Ids(flagged.Inclusion), sql.Ids(flagged.Exclusion)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(period, lines, null);
    }

    /// <summary>The families of the latest targeting run's error worklist, inclusion and exclusion (none without a run).</summary>
    private async Task<(long[] Inclusion, long[] Exclusion)> ErrorWorklistAsync(CancellationToken cancellationToken)
    {
        var run = await db.TargetingRuns.AsNoTracking().OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
        if (database is null || run is not { } runId)
        {
            return ([], []);
        }
        var report = await new TargetingErrorReport(database).RunAsync(new TargetingErrorReport.Input(runId), cancellationToken);
        static bool IsInclusion(string category) => category is TargetingErrorReport.NotEligible or TargetingErrorReport.WellOff or TargetingErrorReport.NoLivingMember;
        return ([.. report.Worklist.Where(w => IsInclusion(w.Category)).Select(w => w.FamilyId).Distinct()],
            [.. report.Worklist.Where(w => !IsInclusion(w.Category)).Select(w => w.FamilyId).Distinct()]);
    }

    /// <summary>
    /// Puts families on a period's worklist for a reason, set-based: a family already on it gets the reason added to its
    /// line (once), any other gets a new line in its village. Returns the number of new lines. The seam every producer
    /// of reasons uses (targeting errors, suspected duplicates).
    /// </summary>
    public static async Task<int> AddReasonAsync(TuntasDb db, long periodId, string reason, IReadOnlyCollection<long> familyIds, CancellationToken cancellationToken)
    {
        var added = 0;
        // Two set-based statements per chunk, the ids as one parameter (SqlDialect.Ids).
        var sql = SqlDialect.Of(db.Database);
        var ids = sql.SelectIds("{2}");
        var absent = sql.Position("',' || reasons || ','", "',' || {1} || ','") + " = 0";
        foreach (var chunk in familyIds.Distinct().Chunk(50_000))
        {
            var list = sql.Ids(chunk);
            var update = $$"""
                UPDATE verivali_lines SET reasons = reasons || ',' || {1}
                WHERE period_id = {0} AND family_id IN ({{ids}}) AND {{absent}}
                """;
            var insert = $$"""
                INSERT INTO verivali_lines (period_id, kode_desa, family_id, reasons, status)
                SELECT {0}, f.kode_desa, f.id, {1}, '{{VerivaliTerms.Open}}' FROM families f
                WHERE f.id IN ({{ids}}) AND NOT EXISTS (SELECT 1 FROM verivali_lines l WHERE l.period_id = {0} AND l.family_id = f.id)
                """;
            await db.Database.ExecuteSqlRawAsync(update, [periodId, reason, list], cancellationToken);
            added += await db.Database.ExecuteSqlRawAsync(insert, [periodId, reason, list], cancellationToken);
        }
        return added;
    }
}

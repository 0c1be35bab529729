using System.Data.Common;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.Dashboard;

/// <summary>
/// Rebuilds <c>village_indicators</c>: one row per village and measure, from set-based GROUP BYs in one
/// transaction, so that the dashboard never scans the registry on a page view. Measures (see <see cref="Measures"/>):
/// families and persons from the registry; 14-criteria poor, desil 1–10 and eligible families per program copied from
/// the latest targeting run's own per-village counts; recipients per program and families receiving any assistance
/// from open enrollments (status other than <c>keluar</c>); inclusion and exclusion errors per program and desil-1
/// families receiving nothing, against the latest run (the definitions of <see cref="Programs.TargetingErrorReport"/>).
/// <para>
/// It runs only when the data's change marker (<see cref="MarkerAsync"/>) differs from the one stored at the last
/// refresh: after an import, a targeting run or an enrollment change, the next dashboard view refreshes once.
/// </para>
/// </summary>
public sealed class RefreshVillageIndicators(TuntasDatabase database, TimeProvider clock)
{
    // One refresh at a time in this process; across processes the transaction's lock serializes them.
    private static readonly SemaphoreSlim _gate = new(1, 1);

    public sealed record Outcome(bool Refreshed, string Marker, long? RunId);

    /// <summary>
    /// The registry's marker (<see cref="LoadRegistrySnapshot.RegistryMarkerAsync"/>), the newest run, the newest
    /// enrollment and enrollment event, and the program catalogue's last change: index lookups only.
    /// </summary>
    public static async Task<string> MarkerAsync(TuntasDatabase database, CancellationToken cancellationToken)
    {
        var registry = await LoadRegistrySnapshot.RegistryMarkerAsync(database, cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return registry + "|" + await OtherMarkerAsync(connection, null, cancellationToken);
    }

    private static async Task<string> OtherMarkerAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT (SELECT MAX(id) FROM targeting_runs), (SELECT MAX(id) FROM enrollments), (SELECT MAX(id) FROM enrollment_events),
                   (SELECT COUNT(*) FROM programs), (SELECT MAX(updated_at) FROM programs)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return string.Join('|', Enumerable.Range(0, 5).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)));
    }

    /// <summary>Refreshes when the marker changed (or always with <paramref name="force"/>).</summary>
    public async Task<Outcome> RunAsync(bool force, CancellationToken cancellationToken)
    {
        var marker = await MarkerAsync(database, cancellationToken);
        if (!force && await StoredMarkerAsync(cancellationToken) == marker)
        {
            return new Outcome(false, marker, null);
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await RefreshAsync(force, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string?> StoredMarkerAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT marker FROM dashboard_state WHERE id = 1";
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task<Outcome> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, null, cancellationToken);
        await database.LockTableAsync(connection, transaction, "dashboard_state", cancellationToken);
        // Read under the lock: another process may have refreshed meanwhile.
        var marker = await LoadRegistrySnapshot.RegistryMarkerAsync(database, cancellationToken) + "|" + await OtherMarkerAsync(connection, transaction, cancellationToken);
        string? stored;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT marker FROM dashboard_state WHERE id = 1";
            stored = await read.ExecuteScalarAsync(cancellationToken) as string;
        }
        if (!force && stored == marker)
        {
            await transaction.CommitAsync(cancellationToken);
            return new Outcome(false, marker, null);
        }
        long? runId;
        await using (var latest = connection.CreateCommand())
        {
            latest.Transaction = transaction;
            latest.CommandText = "SELECT MAX(id) FROM targeting_runs";
            var value = await latest.ExecuteScalarAsync(cancellationToken);
            runId = value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
        var run = runId ?? -1;
        await ExecuteAsync(connection, transaction, "DELETE FROM village_indicators", null, cancellationToken);
        const string Open = "e.status <> 'keluar'";
        const string Eligible = "('|' || r.program_eligible || '|') LIKE ('%|' || p.code || '|%')";
        string[] inserts =
        [
            $"SELECT kode_desa, '{Measures.Families}', COUNT(*) FROM families GROUP BY kode_desa",
            $"SELECT f.kode_desa, '{Measures.Persons}', COUNT(*) FROM persons pe JOIN families f ON f.id = pe.family_id WHERE pe.status_hidup = 1 GROUP BY f.kode_desa",
            // The run's own per-village counts (written by RunTargeting): 14-criteria poor, deciles, eligible per program.
            $"""
            SELECT kode_desa, measure, value FROM targeting_run_counts
            WHERE run_id = @run AND value <> 0 AND (measure = '{Measures.PoorBps}' OR measure LIKE 'desil\_%' ESCAPE '\' OR measure LIKE 'layak:%')
            """,
            $"""
            SELECT f.kode_desa, '{Measures.RecipientsPrefix}' || p.code, COUNT(DISTINCT e.family_id)
            FROM enrollments e JOIN families f ON f.id = e.family_id JOIN programs p ON p.id = e.program_id
            WHERE {Open} GROUP BY f.kode_desa, p.code
            """,
            $"""
            SELECT f.kode_desa, '{Measures.AnyAssistance}', COUNT(DISTINCT e.family_id)
            FROM enrollments e JOIN families f ON f.id = e.family_id WHERE {Open} GROUP BY f.kode_desa
            """,
            // Against the latest run, in the run's villages: recipients it does not find eligible …
            $"""
            SELECT r.kode_desa, '{Measures.InclusionPrefix}' || p.code, COUNT(DISTINCT r.family_id)
            FROM enrollments e JOIN programs p ON p.id = e.program_id JOIN targeting_results r ON r.run_id = @run AND r.family_id = e.family_id
            WHERE {Open} AND NOT {Eligible} GROUP BY r.kode_desa, p.code
            """,
            // … eligible families not receiving the program …
            $"""
            SELECT r.kode_desa, '{Measures.ExclusionPrefix}' || p.code, COUNT(*)
            FROM targeting_results r JOIN programs p ON {Eligible}
            WHERE r.run_id = @run AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.family_id = r.family_id AND e.program_id = p.id AND {Open})
            GROUP BY r.kode_desa, p.code
            """,
            // … and desil-1 families receiving nothing at all.
            $"""
            SELECT r.kode_desa, '{Measures.PoorestWithoutAssistance}', COUNT(*)
            FROM targeting_results r
            WHERE r.run_id = @run AND r.desil = 1 AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.family_id = r.family_id AND {Open})
            GROUP BY r.kode_desa
            """,
        ];
        foreach (var select in inserts)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO village_indicators (kode_desa, measure, value) " + select, run, cancellationToken);
        }
        await ExecuteAsync(connection, transaction, "DELETE FROM dashboard_state", null, cancellationToken);
        await using (var state = connection.CreateCommand())
        {
            state.Transaction = transaction;
            state.CommandText = "INSERT INTO dashboard_state (id, marker, run_id, refreshed_at) VALUES (1, @marker, @run, @at)";
            state.AddParameter("@marker", marker);
            state.AddParameter("@run", runId);
            var now = clock.GetUtcNow().UtcDateTime;
            state.AddParameter("@at", database.TimeParameter(now));
            await state.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(true, marker, runId);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, long? run, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 600;
        if (run is not null && sql.Contains("@run", StringComparison.Ordinal))
        {
            command.AddParameter("@run", run.Value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>The measures of <c>village_indicators</c>; all are family counts except <see cref="Persons"/>, and all add up over villages.</summary>
public static class Measures
{
    public const string Families = "keluarga";
    public const string Persons = "jiwa";
    /// <summary>Families poor by the BPS 14 criteria in the latest run.</summary>
    public const string PoorBps = "miskin_bps";
    /// <summary>desil_1 … desil_10 of the latest run.</summary>
    public static string Desil(int d) => "desil_" + d.ToString(CultureInfo.InvariantCulture);
    /// <summary>Derived at read time: desil 1 to 4.</summary>
    public const string Desil1To4 = "desil_1_4";
    public const string EligiblePrefix = "layak:";
    public const string RecipientsPrefix = "penerima:";
    public const string AnyAssistance = "penerima_bantuan";
    public const string InclusionPrefix = "salah_inklusi:";
    public const string ExclusionPrefix = "salah_eksklusi:";
    /// <summary>Derived at read time: sums over programs of the inclusion and exclusion counts.</summary>
    public const string Inclusion = "salah_inklusi";
    public const string Exclusion = "salah_eksklusi";
    public const string PoorestWithoutAssistance = "desil1_tanpa_bantuan";
}

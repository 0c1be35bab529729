using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.Targeting.Runs;

/// <summary>Reads a run's per-family results back: as columns aligned with a snapshot (for rule previews), or as rows.</summary>
public static class RunResults
{
    public sealed record Row(long FamilyId, string NoKk, string KodeDesa, double? SkorPmt, double? SkorIndeks, int? KelasIndeks,
        int? KriteriaBps, int? KriteriaTidakDiketahui, long? KriteriaMask, long? KriteriaUnknownMask, int? MiskinBps, int? Desil,
        string ProgramEligible, string ProgramUndetermined, long DataHash, int Members);

    /// <summary>The living members of each result's family, then the rows of run <c>@run</c> with their family, in family id order.</summary>
    internal const string LivingMembersFromRun = """
               (SELECT COUNT(*) FROM persons p WHERE p.family_id = r.family_id AND p.status_hidup = 1)
        FROM targeting_results r JOIN families f ON f.id = r.family_id
        WHERE r.run_id = @run ORDER BY r.family_id
        """;

    /// <summary>Every result row of a run with the family's NO_KK and size, in family id order, streamed.</summary>
    public static async IAsyncEnumerable<Row> ReadAsync(TuntasDatabase database, long runId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.family_id, f.no_kk, r.kode_desa, r.skor_pmt, r.skor_indeks, r.kelas_indeks, r.kriteria_bps, r.kriteria_tidak_diketahui,
                   r.kriteria_mask, r.kriteria_unknown_mask, r.miskin_bps, r.desil, r.program_eligible, r.program_undetermined, r.data_hash,
            """ + LivingMembersFromRun;
        command.CommandTimeout = 0;
        command.AddParameter("@run", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
        int? I(int i) => reader.IsDBNull(i) ? null : Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture);
        long? L(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), D(3), D(4), I(5), I(6), I(7), L(8), L(9), I(10), I(11),
                reader.GetString(12), reader.GetString(13), reader.GetInt64(14), Convert.ToInt32(reader.GetValue(15), CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The run fields (desil, skor_pmt, …), the deciles' spans and program eligibility as columns aligned with
    /// <paramref name="snapshot"/>; families added after the run are unknown.</summary>
    public static async Task<SnapshotCache.RunColumns> ColumnsAsync(TuntasDatabase database, RegistrySnapshot snapshot, long runId, CancellationToken cancellationToken)
    {
        var n = snapshot.FamilyCount;
        var index = new Dictionary<long, int>(n);
        for (var f = 0; f < n; f++) index[snapshot.FamilyIds[f]] = f;
        // Every family starts unknown (added after the run); the values are collected narrow.
        ColumnBuilder Unknown() => new(n, unknown: true);
        var (desil, pmt, indeks, kriteria, miskin) = (Unknown(), Unknown(), Unknown(), Unknown(), Unknown());
        var (lowest, highest) = (Unknown(), Unknown());
        var anySpan = false;
        var eligibility = new Dictionary<string, sbyte[]>(StringComparer.Ordinal);
        sbyte[] Program(string code)
        {
            if (!eligibility.TryGetValue(code, out var values))
            {
                values = new sbyte[n];
                Array.Fill(values, ColumnEvaluator.False);
                eligibility[code] = values;
            }
            return values;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT family_id, desil, skor_pmt, skor_indeks, kriteria_bps, kriteria_tidak_diketahui, miskin_bps, program_eligible, program_undetermined, " +
            "desil_terendah, desil_tertinggi FROM targeting_results WHERE run_id = @run";
        command.CommandTimeout = 0;
        command.AddParameter("@run", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        double V(int i) => reader.IsDBNull(i) ? double.NaN : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!index.TryGetValue(reader.GetInt64(0), out var f)) continue;
            desil.Set(f, V(1));
            // An exact decile stores no span: it is its own lowest and highest.
            anySpan |= !reader.IsDBNull(9);
            lowest.Set(f, reader.IsDBNull(9) ? V(1) : V(9));
            highest.Set(f, reader.IsDBNull(10) ? V(1) : V(10));
            pmt.Set(f, V(2));
            indeks.Set(f, V(3));
            kriteria.Set(f, V(5) > 0 ? double.NaN : V(4));
            miskin.Set(f, V(6));
            foreach (var code in reader.GetString(7).Split('|', StringSplitOptions.RemoveEmptyEntries)) Program(code)[f] = ColumnEvaluator.True;
            foreach (var code in reader.GetString(8).Split('|', StringSplitOptions.RemoveEmptyEntries)) Program(code)[f] = ColumnEvaluator.Unknown;
        }
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["desil"] = desil.Build(n),
            ["skor_pmt"] = pmt.Build(n),
            ["skor_indeks"] = indeks.Build(n),
            ["kriteria_bps"] = kriteria.Build(n),
            ["miskin_bps"] = miskin.Build(n),
        };
        return new SnapshotCache.RunColumns(columns, eligibility, anySpan
            ? new Dictionary<string, ColumnEvaluator.SpanColumns>(StringComparer.Ordinal) { ["desil"] = new(lowest.Build(n), highest.Build(n)) }
            : null);
    }
}

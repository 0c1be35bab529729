using Tuntas.Targeting.Models;

namespace Tuntas.Targeting.Runs;

/// <summary>
/// One family's result in the latest targeting run, for the family page: desil, predicted consumption, index score and
/// class, and each BPS criterion as met, not met or unknown (missing data), with the programs it is eligible for and
/// those undetermined, and the deciles its desil spans when the model could not place it more precisely
/// (<see cref="Deciles.Span"/>). Null when no run has covered the family yet.
/// </summary>
public sealed class FamilyTargeting(TuntasDatabase database)
{
    public const string Met = "terpenuhi";
    public const string NotMet = "tidak";
    public const string Unknown = "tidak-diketahui";

    public sealed record CriterionResult(string Code, string Name, string Status);

    public sealed record Outcome(long RunId, DateOnly AsOf, int? Desil, double? SkorPmt, double? SkorIndeks, string? KelasIndeks,
        int? KriteriaBps, int? MiskinBps, int Threshold, IReadOnlyList<CriterionResult> Criteria, IReadOnlyList<string> Eligible, IReadOnlyList<string> Undetermined,
        Deciles.Span? DesilRentang = null);

    public async Task<Outcome?> RunAsync(long familyId, CancellationToken cancellationToken)
    {
        TargetingRun? run;
        await using (var db = database.CreateDb())
        {
            run = await db.TargetingRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        }
        if (run is null)
        {
            return null;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT desil, skor_pmt, skor_indeks, kelas_indeks, kriteria_bps, kriteria_mask, kriteria_unknown_mask, miskin_bps, program_eligible, program_undetermined,
                   desil_terendah, desil_tertinggi
            FROM targeting_results WHERE run_id = @run AND family_id = @family
            """;
        command.AddParameter("@run", run.Id);
        command.AddParameter("@family", familyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        int? I(int i) => reader.IsDBNull(i) ? null : Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture);
        long L(int i) => reader.IsDBNull(i) ? 0 : reader.GetInt64(i);
        double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
        var inputs = JsonSerializer.Deserialize<RunInputs>(run.Inputs, RunTargeting.Json)!;
        var criteriaModel = inputs.Models.FirstOrDefault(m => m.Kind == ModelKinds.Kriteria) is { } k ? ModelDefinition.Parse(k.Definition, []) : null;
        var scoreModel = inputs.Models.FirstOrDefault(m => m.Kind == ModelKinds.Skor) is { } s ? ModelDefinition.Parse(s.Definition, []) : null;
        var (metMask, unknownMask) = (L(5), L(6));
        var criteria = (criteriaModel?.Criteria ?? []).Select((c, i) => new CriterionResult(c.Code, c.Name,
            (metMask & (1L << i)) != 0 ? Met : (unknownMask & (1L << i)) != 0 ? Unknown : NotMet)).ToList();
        var classIndex = I(3);
        return new Outcome(run.Id, run.AsOf, I(0), D(1), D(2),
            classIndex is { } ci && scoreModel is not null && ci < scoreModel.Classes.Count ? scoreModel.Classes[ci].Name : null,
            I(4), I(7), criteriaModel?.Threshold ?? 0, criteria,
            reader.GetString(8).Split('|', StringSplitOptions.RemoveEmptyEntries), reader.GetString(9).Split('|', StringSplitOptions.RemoveEmptyEntries),
            I(10) is { } lowest && I(11) is { } highest ? new Deciles.Span((byte)lowest, (byte)highest) : null);
    }
}

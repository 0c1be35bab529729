using Tuntas.Targeting.Models;

namespace Tuntas.Targeting.Runs;

/// <summary>
/// Targeting accuracy of each model in a run at a quota, against the families' known consumption per capita (demo
/// data and survey samples carry PENGELUARAN_PERKAPITA): the measures of Alatas, Banerjee, Hanna, Olken and Tobias
/// (2012, "Targeting the Poor", AER 102(4)). A family is poor when its consumption per capita is below the poverty
/// line; each model "targets" its poorest-ranked share of families equal to the quota.
/// Inclusion error = targeted non-poor ÷ targeted; exclusion error = poor not targeted ÷ poor; coverage = 1 − exclusion.
/// </summary>
public sealed class MeasureAccuracy(TuntasDatabase database)
{
    public sealed record Input(long RunId, double? Quota = null, double? PovertyLine = null);

    /// <summary>A quota that can be measured: a share of families strictly between 0 and 1. Written as the range it accepts
    /// because NaN compares false with every bound, so "refuse ≤ 0 or ≥ 1" lets it through to a report of NaNs.</summary>
    public static bool IsQuota(double quota) => quota is > 0 and < 1;

    public sealed record ModelAccuracy(string Model, int Ranked, int Targeted, int Poor, double InclusionError, double ExclusionError, double Coverage);

    public sealed record Outcome(long RunId, double Quota, double PovertyLine, int FamiliesWithConsumption, double PoorShare, IReadOnlyList<ModelAccuracy> Models);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        TargetingRun run;
        await using (var db = database.CreateDb())
        {
            run = await FindRun.ByReferenceAsync(db, input.RunId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        var inputs = JsonSerializer.Deserialize<RunInputs>(run.Inputs, RunTargeting.Json)!;
        var pmt = inputs.Models.FirstOrDefault(m => m.Kind == ModelKinds.Regresi);
        var definition = pmt is null ? null : ModelDefinition.Parse(pmt.Definition, []);
        var line = input.PovertyLine ?? definition?.PovertyLine ?? 0;
        var quota = input.Quota ?? definition?.Quota ?? 0.2;
        if (!double.IsFinite(line) || line <= 0 || !IsQuota(quota))
        {
            throw new TargetingException([TargetingMessages.Issue("kuota", "MODEL_NUMBER", "kuota/garisKemiskinan", "0–1 / > 0")]);
        }

        var consumption = new Dictionary<long, (double Consumption, double? Official)>();
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, pengeluaran_perkapita, desil_nasional FROM families WHERE pengeluaran_perkapita IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                consumption[reader.GetInt64(0)] = (Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture),
                    reader.IsDBNull(2) ? null : Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture));
            }
        }
        var rows = new List<(RunResults.Row Row, double Consumption, double? Official)>();
        await foreach (var row in RunResults.ReadAsync(database, run.Id, cancellationToken))
        {
            if (consumption.TryGetValue(row.FamilyId, out var c))
            {
                rows.Add((row, c.Consumption, c.Official));
            }
        }
        var poorTotal = rows.Count(r => r.Consumption < line);
        var models = new List<ModelAccuracy>();
        void Measure(string name, Func<(RunResults.Row Row, double Consumption, double? Official), double?> poorerFirst)
        {
            var ranked = rows.Select(r => (r, Key: poorerFirst(r))).Where(x => x.Key is not null)
                .OrderBy(x => x.Key!.Value).ThenBy(x => x.r.Row.NoKk, StringComparer.Ordinal).ToList();
            if (ranked.Count == 0) return;
            var targeted = (int)Math.Ceiling(quota * rows.Count);
            var chosen = ranked.Take(targeted).ToList();
            var poorChosen = chosen.Count(x => x.r.Consumption < line);
            var inclusion = chosen.Count == 0 ? 0 : 1 - (double)poorChosen / chosen.Count;
            var exclusion = poorTotal == 0 ? 0 : 1 - (double)poorChosen / poorTotal;
            models.Add(new ModelAccuracy(name, ranked.Count, chosen.Count, poorTotal, inclusion, exclusion, 1 - exclusion));
        }
        foreach (var model in inputs.Models)
        {
            switch (model.Kind)
            {
                case ModelKinds.Regresi:
                    Measure($"{model.Code} v{model.Version} (regresi PMT / regression PMT)", r => r.Row.SkorPmt);
                    break;
                case ModelKinds.Skor:
                    Measure($"{model.Code} v{model.Version} (skor tertimbang / weighted index)", r => -r.Row.SkorIndeks);
                    break;
                default:
                    // Criteria counts tie a lot; ties are broken by NO_KK (not by another model, which would lend it accuracy).
                    Measure($"{model.Code} v{model.Version} (14 kriteria / 14 criteria)", r => r.Row.KriteriaBps is { } met ? -met : null);
                    break;
            }
        }
        Measure("DESIL_NASIONAL (data impor / imported)", r => r.Official);
        return new Outcome(run.Id, quota, line, rows.Count, rows.Count == 0 ? 0 : (double)poorTotal / rows.Count, models);
    }
}

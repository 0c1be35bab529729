using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Targeting.Models;
using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.Targeting.Runs;

/// <summary>
/// A targeting run: load the registry as columns, score every family with the current version of each
/// scoring model (BPS criteria, weighted index, regression PMT fitted on the calibration sample), rank the regency into
/// person-weighted deciles, evaluate every program's eligibility rule, and store it all as one snapshot in one
/// transaction — the run row with its inputs and their hash, one result row per family, counts per village.
/// Same inputs (registry state, reference date, model and rule versions) → same results and the same input hash.
/// </summary>
/// <param name="regency">Its time zone says what "today" is, the reference date of a run without one: WIB's morning is
/// still yesterday in UTC, and a member whose birthday it is would be counted a year younger.</param>
public sealed class RunTargeting(TuntasDatabase database, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    /// <param name="AsOf">Reference date for ages; the regency's today when null. Part of the inputs.</param>
    /// <param name="DecileModel">Kind of model that ranks the deciles (regresi, skor, kriteria); the first available in that order when null.</param>
    public sealed record Input(string CreatedBy, DateOnly? AsOf = null, string? DecileModel = null,
        string? KriteriaModel = null, string? SkorModel = null, string? RegresiModel = null);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public async Task<TargetingRun> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var timings = new Dictionary<string, long>(StringComparer.Ordinal);
        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var asOf = input.AsOf ?? RegencyOptions.Of(regency).Today(clock);

        List<RunModel> models;
        IReadOnlyDictionary<string, CurrentRules.Rule> rules;
        await using (var db = database.CreateDb())
        {
            models = await ChooseModelsAsync(db, input, cancellationToken);
            rules = await CurrentRules.LoadAsync(db, cancellationToken);
        }
        if (models.Count == 0)
        {
            throw new TargetingException([TargetingMessages.Issue("$", "NO_MODELS")]);
        }
        var definitions = models.ToDictionary(m => m.Kind, m => ModelDefinition.Parse(m.Definition, []) ?? throw new TargetingException(
            [TargetingMessages.Issue($"{m.Code} v{m.Version}", "MODEL_KIND")]));

        // Checked before the registry is read: a wrong decile model should not cost a full load.
        var decileKind = input.DecileModel ?? new[] { ModelKinds.Regresi, ModelKinds.Skor, ModelKinds.Kriteria }.First(definitions.ContainsKey);
        if (!definitions.ContainsKey(decileKind))
        {
            throw new TargetingException([TargetingMessages.Issue("desil", "MODEL_KIND")]);
        }
        var snapshot = await new LoadRegistrySnapshot(database).RunAsync(asOf, cancellationToken);
        if (snapshot.FamilyCount == 0)
        {
            throw new TargetingException([TargetingMessages.Issue("$", "EMPTY_REGISTRY")]);
        }
        // Everything the phase built besides its result is garbage now: each member's family id and hash as read, the
        // columns before grouping, a column per rule node, the regression's proxies.
        PhaseMemory.ReleaseTransients();
        timings["baca_registri"] = watch.ElapsedMilliseconds;
        watch.Restart();

        var families = snapshot.FamilyCount;
        var skipped = new List<SkippedModel>();
        var evaluator = new ColumnEvaluator(snapshot);
        // The models only read the snapshot: the criteria and index on one core, the regression on the other.
        definitions.TryGetValue(ModelKinds.Kriteria, out var kriteria);
        definitions.TryGetValue(ModelKinds.Skor, out var skor);
        definitions.TryGetValue(ModelKinds.Regresi, out var regresi);
        var scoring = Task.Run(() => (
            Criteria: kriteria is null ? null : EvaluateModels.Criteria(kriteria, evaluator, families),
            Score: skor is null ? null : EvaluateModels.Score(skor, evaluator, families)), cancellationToken);
        var regression = Task.Run(() =>
        {
            if (regresi is null)
            {
                return ((RegressionFit?)null, (Prediction?)null);
            }
            try
            {
                var proxies = FitRegression.Proxies(regresi, evaluator);
                var fitted = FitRegression.Fit(regresi, proxies, snapshot);
                return (fitted, FitRegression.Predict(regresi, fitted, proxies, families));
            }
            catch (TargetingException e)
            {
                // A registry built from OpenSID or DTKS alone has no consumption sample (SUSENAS-style calibration):
                // the regression cannot be fitted, but the criteria, the index, the deciles of the next model and
                // eligibility still can. The run records why the model was left out instead of stopping.
                var model = models.First(m => m.Kind == ModelKinds.Regresi);
                var issue = e.Issues.FirstOrDefault() ?? TargetingMessages.Issue("$", "MODEL_KIND");
                skipped.Add(new SkippedModel(model.Kind, model.Code, model.Version, issue.Code, issue.Message, issue.MessageEn));
                return ((RegressionFit?)null, (Prediction?)null);
            }
        }, cancellationToken);
        var (criteria, score) = await scoring;
        var (fit, prediction) = await regression;
        if (decileKind == ModelKinds.Regresi && prediction is null)
        {
            // Deciles from the best model that could be applied: the index, else the criteria count.
            decileKind = new[] { ModelKinds.Skor, ModelKinds.Kriteria }.FirstOrDefault(definitions.ContainsKey)
                ?? throw new TargetingException([TargetingMessages.Issue("desil", skipped[0].Problem)]);
        }
        var sizes = new int[families];
        for (var f = 0; f < families; f++) sizes[f] = snapshot.Members(f);
        double[] Key(string kind) => kind switch
        {
            ModelKinds.Regresi => prediction!.Consumption,
            ModelKinds.Skor => score!.Score.Select(s => -s).ToArray(),
            _ => criteria!.Met.Select((m, f) => criteria.Unknown[f] > 0 && criteria.Poor[f] == ColumnEvaluator.Unknown ? double.NaN : -m).ToArray(),
        };
        var key = Key(decileKind);
        // The decile model placed no family (every one lacks its data): deciles from the next model that places some,
        // as when the regression cannot be fitted; the run records which model its deciles come from.
        string[] fallbacks = decileKind switch
        {
            ModelKinds.Regresi => [ModelKinds.Skor, ModelKinds.Kriteria],
            ModelKinds.Skor => [ModelKinds.Kriteria],
            _ => [],
        };
        foreach (var next in fallbacks)
        {
            if (families == 0 || !Array.TrueForAll(key, double.IsNaN))
            {
                break;
            }
            if ((next == ModelKinds.Skor ? score is not null : criteria is not null) && Key(next) is var nextKey && !Array.TrueForAll(nextKey, double.IsNaN))
            {
                (decileKind, key) = (next, nextKey);
            }
        }
        var desil = Deciles.Assign(key, sizes, out var spread, out var spans);
        timings["model"] = watch.ElapsedMilliseconds;
        watch.Restart();

        // The run fields read the models' own arrays where they are doubles, and are stored narrow where they are small numbers.
        var unknown = Column.Constant(families, double.NaN);
        var runColumns = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            ["desil"] = Column.Narrow(families, f => desil[f] == 0 ? double.NaN : desil[f]),
            ["skor_pmt"] = prediction is null ? unknown : Column.Of(prediction.Consumption),
            ["skor_indeks"] = score is null ? unknown : Column.Of(score.Score),
            ["kriteria_bps"] = criteria is null ? unknown : Column.Narrow(families, f => criteria.Unknown[f] > 0 ? double.NaN : criteria.Met[f]),
            ["miskin_bps"] = criteria is null ? unknown : Column.Of(criteria.Poor),
        };
        var eligibility = new Dictionary<string, sbyte[]>(StringComparer.Ordinal);
        // A cut inside the deciles a run of equal keys spans cannot place its families: unknown, not the middle decile's
        // side. Deciles from a fine model (a fitted regression) span none, and the rules compare the decile itself.
        var spanned = Array.Exists(spans, x => x.IsRange)
            ? new Dictionary<string, ColumnEvaluator.SpanColumns>(StringComparer.Ordinal)
            {
                ["desil"] = new(Column.Narrow(families, f => desil[f] == 0 ? double.NaN : spans[f].Lowest),
                    Column.Narrow(families, f => desil[f] == 0 ? double.NaN : spans[f].Highest)),
            }
            : null;
        var ruleEvaluator = new ColumnEvaluator(snapshot, runColumns, eligibility, spanned);
        foreach (var program in CurrentRules.EvaluationOrder(rules))
        {
            eligibility[program] = ruleEvaluator.Truth(rules[program].Condition);
        }
        PhaseMemory.ReleaseTransients();
        timings["aturan"] = watch.ElapsedMilliseconds;
        watch.Restart();

        var programOrder = rules.Keys.Order(StringComparer.Ordinal).ToArray();
        var inputs = new RunInputs(asOf, decileKind, models,
            [.. programOrder.Select(p => new RunRule(p, rules[p].Row.Version, rules[p].Row.Name, rules[p].Row.Definition))], fit);
        var inputHash = HashInputs(inputs, snapshot.RegistryHash);
        var summary = Summarize(snapshot, criteria, score, skor, prediction, desil, programOrder, rules, eligibility, timings) with
        {
            Skipped = skipped.Count == 0 ? null : skipped,
            AbsentIndicators = score is { Absent.Count: > 0 } ? [.. score.Absent.Select(i => i.Code)] : null,
            CoarseDeciles = spread.Coarse ? spread : null,
            DecileRangeFamilies = spans.Count(x => x.IsRange) is > 0 and var ranged ? ranged : null,
        };
        var run = new TargetingRun
        {
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedBy = input.CreatedBy,
            AsOf = asOf,
            InputHash = inputHash,
            RegistryHash = snapshot.RegistryHash,
            FamilyCount = families,
            PersonCount = snapshot.PersonCount,
            DecileModel = decileKind,
            Inputs = JsonSerializer.Serialize(inputs, Json),
            Summary = "",
        };
        var eligibleText = new ProgramLists(programOrder, eligibility, ColumnEvaluator.True);
        var undeterminedText = new ProgramLists(programOrder, eligibility, ColumnEvaluator.Unknown);
        var results = Enumerable.Range(0, families).Select(f => new TargetingResultRow
        {
            FamilyId = snapshot.FamilyIds[f],
            KodeDesa = snapshot.KodeDesa(f),
            SkorPmt = prediction is null || double.IsNaN(prediction.Consumption[f]) ? null : Math.Round(prediction.Consumption[f], 2),
            SkorIndeks = score is null || double.IsNaN(score.Score[f]) ? null : score.Score[f],
            KelasIndeks = score is null || score.ClassIndex[f] < 0 ? null : score.ClassIndex[f],
            KriteriaBps = criteria?.Met[f],
            KriteriaTidakDiketahui = criteria?.Unknown[f],
            KriteriaMask = criteria?.MetMask[f],
            KriteriaUnknownMask = criteria?.UnknownMask[f],
            MiskinBps = criteria is null || criteria.Poor[f] == ColumnEvaluator.Unknown ? null : criteria.Poor[f],
            Desil = desil[f] == 0 ? null : desil[f],
            DesilTerendah = spans[f].IsRange ? spans[f].Lowest : null,
            DesilTertinggi = spans[f].IsRange ? spans[f].Highest : null,
            ProgramEligible = eligibleText.Of(f),
            ProgramUndetermined = undeterminedText.Of(f),
            DataHash = snapshot.DataHash[f],
        });
        var counts = VillageCounts(snapshot, criteria, desil, programOrder, eligibility);
        timings["ringkasan"] = watch.ElapsedMilliseconds;
        watch.Restart();
        await WriteAsync(run, results, counts, summary, timings, total, cancellationToken);
        return run;
    }

    /// <summary>
    /// Per family, the programs with the given outcome as "PKH|BPNT", found as each result row is written. Families
    /// share few combinations, so each combination's text is built once (from a bit set of programs), and no text or
    /// set per family is kept until the write ends.
    /// </summary>
    private sealed class ProgramLists(string[] programs, Dictionary<string, sbyte[]> eligibility, sbyte outcome)
    {
        private readonly sbyte[][] _truth = [.. programs.Take(64).Select(p => eligibility[p])];
        private readonly Dictionary<ulong, string> _texts = [];

        public string Of(int family)
        {
            var set = 0UL;
            for (var p = 0; p < _truth.Length; p++)
            {
                if (_truth[p][family] == outcome) set |= 1UL << p;
            }
            if (!_texts.TryGetValue(set, out var text))
            {
                text = string.Join('|', programs.Where((_, p) => p < 64 && (set & (1UL << p)) != 0));
                _texts[set] = text;
            }
            return text;
        }
    }

    private static async Task<List<RunModel>> ChooseModelsAsync(TuntasDb db, Input input, CancellationToken cancellationToken)
    {
        var all = await db.TargetingModels.AsNoTracking().ToListAsync(cancellationToken);
        var chosen = new List<RunModel>();
        foreach (var (kind, code) in new[] { (ModelKinds.Kriteria, input.KriteriaModel), (ModelKinds.Skor, input.SkorModel), (ModelKinds.Regresi, input.RegresiModel) })
        {
            // The named model's latest version, or else the latest version of the most recently created model of this kind.
            var candidates = all.Where(m => m.Kind == kind && (code is null || m.Code == ProgramCodes.Normalize(code))).ToList();
            if (code is not null && candidates.Count == 0)
            {
                throw new TargetingException([TargetingMessages.Issue(kind, "RUN_NOT_FOUND", code)]);
            }
            var pick = candidates.OrderByDescending(m => code is null ? all.Where(o => o.Code == m.Code).Min(o => o.Id) : 0)
                .ThenByDescending(m => m.Version).FirstOrDefault();
            if (pick is not null)
            {
                chosen.Add(new RunModel(pick.Code, pick.Version, pick.Kind, pick.Name, pick.Definition));
            }
        }
        return chosen;
    }

    private static string HashInputs(RunInputs inputs, string registryHash)
    {
        // The fit is derived from the registry and the definition, so it is not hashed twice; timings never are.
        var text = JsonSerializer.Serialize(inputs with { Fit = null }, Json) + "\n" + registryHash;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static RunSummary Summarize(RegistrySnapshot snapshot, CriteriaResult? criteria, ScoreResult? score, ModelDefinition? skor,
        Prediction? prediction, int[] desil, string[] programs, IReadOnlyDictionary<string, CurrentRules.Rule> rules,
        Dictionary<string, sbyte[]> eligibility, Dictionary<string, long> timings)
    {
        var families = snapshot.FamilyCount;
        CriteriaCount? criteriaCount = null;
        if (criteria is not null)
        {
            var criterionCount = 64 - (int)long.LeadingZeroCount(criteria.MetMask.Concat(criteria.UnknownMask).Aggregate(0L, (a, b) => a | b));
            var met = new int[criterionCount];
            var unknown = new int[criterionCount];
            for (var f = 0; f < families; f++)
            {
                for (var c = 0; c < criterionCount; c++)
                {
                    if ((criteria.MetMask[f] & (1L << c)) != 0) met[c]++;
                    if ((criteria.UnknownMask[f] & (1L << c)) != 0) unknown[c]++;
                }
            }
            criteriaCount = new CriteriaCount(
                criteria.Poor.Count(p => p == ColumnEvaluator.True), criteria.Poor.Count(p => p == ColumnEvaluator.False),
                criteria.Poor.Count(p => p == ColumnEvaluator.Unknown), criteria.Unknown.Count(u => u > 0), met, unknown);
        }
        ScoreCount? scoreCount = null;
        if (score is not null)
        {
            var byClass = skor!.Classes.Select((c, i) => (c.Name, Count: score.ClassIndex.Count(k => k == i))).ToDictionary(x => x.Name, x => x.Count);
            scoreCount = new ScoreCount(score.Score.Count(double.IsNaN), byClass);
        }
        var decileCounts = new int[11];
        var decilePersons = new long[11];
        var crossTab = Enumerable.Range(0, 11).Select(_ => new int[11]).ToArray();
        var official = snapshot.Column("desil_nasional");
        for (var f = 0; f < families; f++)
        {
            decileCounts[desil[f]]++;
            decilePersons[desil[f]] += snapshot.Members(f);
            var o = double.IsNaN(official[f]) ? 0 : (int)official[f];
            crossTab[o][desil[f]]++;
        }
        var programCounts = programs.Select(p =>
        {
            var truth = eligibility[p];
            int count = 0, undetermined = 0;
            long persons = 0;
            for (var f = 0; f < families; f++)
            {
                if (truth[f] == ColumnEvaluator.True)
                {
                    count++;
                    persons += snapshot.Members(f);
                }
                else if (truth[f] == ColumnEvaluator.Unknown)
                {
                    undetermined++;
                }
            }
            return new ProgramCount(p, rules[p].Row.Name, count, persons, undetermined);
        }).ToList();
        return new RunSummary(families, snapshot.PersonCount, criteriaCount, scoreCount,
            prediction is null ? null : new PmtCount(prediction.Unscored, prediction.Imputed),
            [.. Enumerable.Range(1, 10).Select(d => new DecileCount(d, decileCounts[d], decilePersons[d]))], decileCounts[0],
            programCounts, crossTab, timings);
    }

    /// <summary>Per village: keluarga, jiwa, miskin_bps, desil_1..desil_10, and per program eligible families (layak:CODE) and persons (layak_jiwa:CODE).</summary>
    private static List<(string Village, string Measure, long Value)> VillageCounts(RegistrySnapshot snapshot, CriteriaResult? criteria,
        int[] desil, string[] programs, Dictionary<string, sbyte[]> eligibility)
    {
        var villages = snapshot.Tables["kode_desa"].Values;
        var villageOf = snapshot.Column("kode_desa");
        var measures = new List<string> { "keluarga", "jiwa", "miskin_bps" };
        measures.AddRange(Enumerable.Range(1, 10).Select(d => "desil_" + d.ToString(CultureInfo.InvariantCulture)));
        measures.AddRange(programs.Select(p => "layak:" + p));
        measures.AddRange(programs.Select(p => "layak_jiwa:" + p));
        var values = new long[villages.Count, measures.Count];
        for (var f = 0; f < snapshot.FamilyCount; f++)
        {
            var v = (int)villageOf[f];
            var members = snapshot.Members(f);
            values[v, 0]++;
            values[v, 1] += members;
            if (criteria?.Poor[f] == ColumnEvaluator.True) values[v, 2]++;
            if (desil[f] > 0) values[v, 2 + desil[f]]++;
            for (var p = 0; p < programs.Length; p++)
            {
                if (eligibility[programs[p]][f] == ColumnEvaluator.True)
                {
                    values[v, 13 + p]++;
                    values[v, 13 + programs.Length + p] += members;
                }
            }
        }
        var rows = new List<(string, string, long)>();
        for (var v = 0; v < villages.Count; v++)
        {
            for (var m = 0; m < measures.Count; m++)
            {
                rows.Add((villages[v], measures[m], values[v, m]));
            }
        }
        return rows;
    }

    private async Task WriteAsync(TargetingRun run, IEnumerable<TargetingResultRow> results, List<(string Village, string Measure, long Value)> counts,
        RunSummary summary, Dictionary<string, long> timings, Stopwatch total, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, null, cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO targeting_runs (created_at, created_by, as_of, input_hash, registry_hash, family_count, person_count, decile_model, inputs, summary, duration_ms)
                VALUES (@created_at, @created_by, @as_of, @input_hash, @registry_hash, @family_count, @person_count, @decile_model, @inputs, '', 0) RETURNING id
                """;
            insert.AddParameter("@created_at", database.TimeParameter(run.CreatedAt));
            insert.AddParameter("@created_by", run.CreatedBy);
            insert.AddParameter("@as_of", database.DateParameter(run.AsOf));
            insert.AddParameter("@input_hash", run.InputHash);
            insert.AddParameter("@registry_hash", run.RegistryHash);
            insert.AddParameter("@family_count", run.FamilyCount);
            insert.AddParameter("@person_count", run.PersonCount);
            insert.AddParameter("@decile_model", run.DecileModel);
            insert.AddParameter("@inputs", run.Inputs);
            run.Id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        await using (var bulk = await BulkInsert<TargetingResultRow>.StartAsync(database, connection, transaction, "targeting_results", TargetingResultRow.Columns, cancellationToken))
        {
            foreach (var row in results)
            {
                row.RunId = run.Id;
                await bulk.AddAsync(row, cancellationToken);
            }
            await bulk.CompleteAsync(cancellationToken);
        }
        await using (var bulk = await BulkInsert<TargetingCountRow>.StartAsync(database, connection, transaction, "targeting_run_counts", TargetingCountRow.Columns, cancellationToken))
        {
            foreach (var (village, measure, value) in counts)
            {
                await bulk.AddAsync(new TargetingCountRow(run.Id, village, measure, value), cancellationToken);
            }
            await bulk.CompleteAsync(cancellationToken);
        }
        timings["tulis"] = total.ElapsedMilliseconds - timings.Values.Sum();
        run.DurationMs = total.ElapsedMilliseconds;
        run.Summary = JsonSerializer.Serialize(summary, Json);
        await using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE targeting_runs SET summary = @summary, duration_ms = @duration WHERE id = @id";
            update.AddParameter("@summary", run.Summary);
            update.AddParameter("@duration", run.DurationMs);
            update.AddParameter("@id", run.Id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        // This bulk path bypasses EF: the web request's audit record goes into the same transaction by hand.
        await Audit.PendingChanges.WriteAsync(transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>One family's results in a run (table targeting_results), written through the bulk path.</summary>
public sealed class TargetingResultRow
{
    public long RunId { get; set; }
    public long FamilyId { get; set; }
    public required string KodeDesa { get; set; }
    public double? SkorPmt { get; set; }
    public double? SkorIndeks { get; set; }
    public int? KelasIndeks { get; set; }
    public int? KriteriaBps { get; set; }
    public int? KriteriaTidakDiketahui { get; set; }
    public long? KriteriaMask { get; set; }
    public long? KriteriaUnknownMask { get; set; }
    public int? MiskinBps { get; set; }
    public int? Desil { get; set; }
    /// <summary>The deciles the family's run of equal keys spans (<see cref="Deciles.Span"/>), when more than one; null
    /// when its decile is exact.</summary>
    public int? DesilTerendah { get; set; }
    public int? DesilTertinggi { get; set; }
    public string ProgramEligible { get; set; } = "";
    public string ProgramUndetermined { get; set; } = "";
    public long DataHash { get; set; }

    private static BulkColumn<TargetingResultRow> C(string sql, ColumnKind kind, Func<TargetingResultRow, ColumnValue> get) => new(sql, kind, get);

    public static readonly IReadOnlyList<BulkColumn<TargetingResultRow>> Columns =
    [
        C("run_id", ColumnKind.Long, r => r.RunId),
        C("family_id", ColumnKind.Long, r => r.FamilyId),
        C("kode_desa", ColumnKind.Text, r => r.KodeDesa),
        C("skor_pmt", ColumnKind.Double, r => r.SkorPmt),
        C("skor_indeks", ColumnKind.Double, r => r.SkorIndeks),
        C("kelas_indeks", ColumnKind.Int, r => r.KelasIndeks),
        C("kriteria_bps", ColumnKind.Int, r => r.KriteriaBps),
        C("kriteria_tidak_diketahui", ColumnKind.Int, r => r.KriteriaTidakDiketahui),
        C("kriteria_mask", ColumnKind.Long, r => r.KriteriaMask),
        C("kriteria_unknown_mask", ColumnKind.Long, r => r.KriteriaUnknownMask),
        C("miskin_bps", ColumnKind.Int, r => r.MiskinBps),
        C("desil", ColumnKind.Int, r => r.Desil),
        C("desil_terendah", ColumnKind.Int, r => r.DesilTerendah),
        C("desil_tertinggi", ColumnKind.Int, r => r.DesilTertinggi),
        C("program_eligible", ColumnKind.Text, r => r.ProgramEligible),
        C("program_undetermined", ColumnKind.Text, r => r.ProgramUndetermined),
        C("data_hash", ColumnKind.Long, r => r.DataHash),
    ];
}

public sealed record TargetingCountRow(long RunId, string KodeDesa, string Measure, long Value)
{
    private static BulkColumn<TargetingCountRow> C(string sql, ColumnKind kind, Func<TargetingCountRow, ColumnValue> get) => new(sql, kind, get);

    public static readonly IReadOnlyList<BulkColumn<TargetingCountRow>> Columns =
    [
        C("run_id", ColumnKind.Long, r => r.RunId),
        C("kode_desa", ColumnKind.Text, r => r.KodeDesa),
        C("measure", ColumnKind.Text, r => r.Measure),
        C("value", ColumnKind.Long, r => r.Value),
    ];
}

using Tuntas.Targeting.Models;

namespace Tuntas.Targeting.Runs;

/// <summary>A model version as a run used it (the definition text is kept, so the run explains itself).</summary>
public sealed record RunModel(string Code, int Version, string Kind, string Name, string Definition);

public sealed record RunRule(string Program, int Version, string Name, string Definition);

/// <summary>Everything a run used besides the registry itself (whose state is <see cref="TargetingRun.RegistryHash"/>).</summary>
public sealed record RunInputs(DateOnly AsOf, string DecileModel, IReadOnlyList<RunModel> Models, IReadOnlyList<RunRule> Rules, RegressionFit? Fit);

public sealed record DecileCount(int Desil, int Families, long Persons);

public sealed record ProgramCount(string Program, string Name, int Families, long Persons, int Undetermined);

public sealed record CriteriaCount(int Poor, int NotPoor, int Undetermined, int WithUnknownCriteria, IReadOnlyList<int> MetByCriterion, IReadOnlyList<int> UnknownByCriterion);

public sealed record ScoreCount(int Unscored, IReadOnlyDictionary<string, int> ByClass);

public sealed record PmtCount(int Unscored, IReadOnlyDictionary<string, int> Imputed);

/// <summary>What a run found, for its page, the CLI and the API; per-village numbers are in targeting_run_counts.</summary>
public sealed record RunSummary(
    int Families, long Persons, CriteriaCount? Criteria, ScoreCount? Score, PmtCount? Pmt,
    IReadOnlyList<DecileCount> Deciles, int WithoutDecile, IReadOnlyList<ProgramCount> Programs,
    /// <summary>[official desil 0–10 (0 = none)][our desil 0–10 (0 = none)] family counts.</summary>
    int[][] CrossTab, IReadOnlyDictionary<string, long> TimingsMs,
    /// <summary>Models that could not be applied to this registry (e.g. a regression without a consumption sample):
    /// the run goes on with the others and says here why each was left out.</summary>
    IReadOnlyList<SkippedModel>? Skipped = null,
    /// <summary>Indicators of the index model that no family of the registry has data for, left out of the index.</summary>
    IReadOnlyList<string>? AbsentIndicators = null,
    /// <summary>Set when the decile model tells families apart too coarsely for tenths (one value holds more than a
    /// tenth of the persons): families of one value share a decile, so deciles are uneven (<see cref="Deciles"/>).</summary>
    Deciles.Spread? CoarseDeciles = null,
    /// <summary>Families whose decile is a span of several (<see cref="Deciles.Span"/>): a program's cut inside the span
    /// leaves them undetermined (belum pasti), not on the side of their middle decile. Null when none.</summary>
    int? DecileRangeFamilies = null);

/// <summary>A model the run left out, with the reason (the model's own problem code and message).</summary>
public sealed record SkippedModel(string Kind, string Code, int Version, string Problem, string Message, string MessageEn);

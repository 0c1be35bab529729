using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Targeting;

/// <summary>
/// One version of a scoring model (kinds in <see cref="Models.ModelKinds"/>), its definition as JSON. Saving a model
/// adds a version; versions are never changed or deleted, so every past run can say exactly what it used.
/// </summary>
public sealed class TargetingModel
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public int Version { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public required string Definition { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One version of a program's eligibility rule (a condition in the rule language, as JSON).</summary>
public sealed class EligibilityRule
{
    public long Id { get; set; }
    public required string ProgramCode { get; set; }
    public int Version { get; set; }
    public required string Name { get; set; }
    public required string Definition { get; set; }
    /// <summary>False retires the program from runs (a new version with active = false); history stays.</summary>
    public bool Active { get; set; } = true;
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A targeting run: the snapshot of what was used (model and rule versions, fitted coefficients, reference date,
/// registry hash), the hash of all of it (<see cref="InputHash"/>: same hash, same results) and a summary.
/// Per-family results are in <c>targeting_results</c>, per-village counts in <c>targeting_run_counts</c>.
/// </summary>
public sealed class TargetingRun
{
    public long Id { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateOnly AsOf { get; set; }
    public required string InputHash { get; set; }
    public required string RegistryHash { get; set; }
    public int FamilyCount { get; set; }
    public int PersonCount { get; set; }
    public required string DecileModel { get; set; }
    /// <summary>JSON <see cref="Runs.RunInputs"/>.</summary>
    public required string Inputs { get; set; }
    /// <summary>JSON <see cref="Runs.RunSummary"/>.</summary>
    public required string Summary { get; set; }
    public long DurationMs { get; set; }
}

internal sealed class TargetingModelConfiguration : IEntityTypeConfiguration<TargetingModel>
{
    public void Configure(EntityTypeBuilder<TargetingModel> builder)
    {
        builder.ToTable("targeting_models");
        builder.HasIndex(m => new { m.Code, m.Version }).IsUnique();
    }
}

internal sealed class EligibilityRuleConfiguration : IEntityTypeConfiguration<EligibilityRule>
{
    public void Configure(EntityTypeBuilder<EligibilityRule> builder)
    {
        builder.ToTable("eligibility_rules");
        builder.HasIndex(r => new { r.ProgramCode, r.Version }).IsUnique();
    }
}

internal sealed class TargetingRunConfiguration : IEntityTypeConfiguration<TargetingRun>
{
    public void Configure(EntityTypeBuilder<TargetingRun> builder) => builder.ToTable("targeting_runs");
}

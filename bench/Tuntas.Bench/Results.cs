using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tuntas.Bench;

/// <summary>Everything one run measured; written as JSON to <c>bench/out/results-&lt;timestamp&gt;.json</c>.</summary>
public sealed class BenchResults
{
    public required string Command { get; init; }
    public required string StartedUtc { get; init; }
    public string? FinishedUtc { get; set; }
    public required string Commit { get; init; }
    /// <summary>True when src/ had uncommitted changes: the numbers are then not exactly those of <see cref="Commit"/>.</summary>
    public bool SourceDirty { get; init; }
    public required MachineInfo Machine { get; init; }
    public DemoFileInfo? File { get; set; }
    public List<StepResult> Steps { get; } = [];
    public List<ProviderSummary> Summaries { get; } = [];
    public List<LookupResult> Lookups { get; } = [];
    public List<PlanResult> Plans { get; } = [];
    public List<string> Failures { get; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(c, $"Measured on commit `{Commit}`{(SourceDirty ? " (src/ had uncommitted changes)" : "")}, {StartedUtc} UTC; " +
            $"{Machine.Processors} cores, {Machine.MemoryGb:0.0} GB RAM, load average at start {Machine.LoadAtStart}, at end {Machine.LoadAtEnd ?? "?"}.");
        s.AppendLine(c, $"Software: {Machine.Os}, {Machine.Runtime} (SDK {Machine.Sdk}), SQLite library {Machine.SqliteLibrary ?? "–"} (sqlite3 shell {Machine.Sqlite3}), PostgreSQL server {Machine.PostgresServer ?? "–"}{(Machine.PostgresSettings is { } settings ? $" ({settings})" : "")}.");
        if (File is { } f)
        {
            s.AppendLine(c, $"Data: `{f.Name}`, {f.Persons:N0} persons in {f.Families:N0} families, {f.Bytes / 1048576.0:0} MB (regency {f.Regency}, seed {f.Seed}).");
        }
        s.AppendLine();
        if (Summaries.Count > 0)
        {
            if (Summaries.Any(p => p.Rounds > 1))
            {
                s.AppendLine("Seconds are medians over the rounds; the ratio is the median of the rounds' own ratios (each round: a first load, then the raw loader).");
                s.AppendLine();
            }
            s.AppendLine("| Provider | Tuntas import (s) | persons/s | families/s | Peak RSS (MB) | Raw loader (s) | Raw rows/s | Ratio (target ≤ 3×) | Dry run (s) | Re-import (s) | Re-import peak RSS (MB) | DB size (MB) |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var p in Summaries)
            {
                s.AppendLine(c, $"| {p.Provider} | {N(p.ImportSeconds, "0.0")} | {N(p.PersonsPerSecond, "N0")} | {N(p.FamiliesPerSecond, "N0")} | " +
                    $"{N(p.ImportPeakRssMb, "N0")}{Verdict(p.ImportPeakRssMb < 1024)} | {N(p.RawSeconds, "0.0")} | {N(p.RawRowsPerSecond, "N0")} | " +
                    $"{N(p.Ratio, "0.00")}×{Verdict(p.Ratio <= 3)}{RoundsText(p)} | {N(p.DryRunSeconds, "0.0")} | {N(p.ReimportSeconds, "0.0")} | {N(p.ReimportPeakRssMb, "N0")} | {N(p.DatabaseMb, "N0")} |");
            }
            s.AppendLine();
        }
        if (Lookups.Count > 0)
        {
            s.AppendLine("| Provider | Query | n | found | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | Target (p95) |");
            s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var l in Lookups)
            {
                s.AppendLine(c, $"| {l.Provider} | {l.Kind} | {l.Count} | {l.Found} | {l.P50Ms:0.00} | {l.P95Ms:0.00} | {l.P99Ms:0.00} | {l.MaxMs:0.00} | < {l.TargetMs} ms{Verdict(l.P95Ms < l.TargetMs)} |");
            }
            s.AppendLine();
        }
        foreach (var plan in Plans)
        {
            s.AppendLine(c, $"{plan.Provider} plan of `{plan.Sql}`:");
            s.AppendLine("```");
            s.AppendLine(plan.Plan);
            s.AppendLine("```");
        }
        foreach (var failure in Failures)
        {
            s.AppendLine(c, $"FAILED: {failure}");
        }
        return s.ToString();
    }

    /// <summary>With several rounds: the range of their ratios and how many met the target.</summary>
    private static string RoundsText(ProviderSummary p) => p is { Rounds: > 1, RatioMin: { } min, RatioMax: { } max }
        ? string.Create(CultureInfo.InvariantCulture, $" (median of {p.Rounds} rounds: {min:0.00}–{max:0.00}×, {p.RoundsUnderTarget} ≤ 3×)")
        : "";

    private static string N(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Verdict(bool? ok) => ok switch { true => " ✅", false => " ❌", null => "" };
}

public sealed record MachineInfo(int Processors, double MemoryGb, string Os, string Runtime, string? Sdk, string? Sqlite3, string LoadAtStart)
{
    public string? PostgresServer { get; set; }
    /// <summary>The settings the harness gave the bench database, or "server defaults".</summary>
    public string? PostgresSettings { get; set; }
    /// <summary>The SQLite library inside Microsoft.Data.Sqlite (the CLI's engine; the sqlite3 shell may differ).</summary>
    public string? SqliteLibrary { get; set; }
    public string? LoadAtEnd { get; set; }
}

public sealed record DemoFileInfo(string Name, string Regency, int Seed, int Families, int Persons, long Bytes, bool Reused, double? GenerateSeconds);

/// <summary>One timed step: a CLI import, a re-import or a raw loader run.</summary>
public sealed record StepResult(string Provider, string Step, bool Ok, double WallSeconds, long Rows, double RowsPerSecond,
    double? PeakRssMb, double? CpuUserSeconds, double? CpuSystemSeconds, string LoadBefore, string LoadAfter, string? Detail);

public sealed record ProviderSummary(string Provider, double? DryRunSeconds, double? ImportSeconds, double? PersonsPerSecond, double? FamiliesPerSecond,
    double? ImportPeakRssMb, double? RawSeconds, double? RawRowsPerSecond, double? Ratio, double? ReimportSeconds,
    double? ReimportPeakRssMb, double? DatabaseMb)
{
    /// <summary>Rounds of first load and raw loader (<c>--rounds</c>); the seconds and the ratio above are their medians.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>The lowest and highest of the rounds' own ratios, when there was more than one round.</summary>
    public double? RatioMin { get; init; }

    public double? RatioMax { get; init; }

    /// <summary>How many rounds' ratios met the ≤ 3× target.</summary>
    public int? RoundsUnderTarget { get; init; }
}

public sealed record LookupResult(string Provider, string Kind, int Count, int Found, double P50Ms, double P95Ms, double P99Ms,
    double MaxMs, double MeanMs, int TargetMs);

public sealed record PlanResult(string Provider, string Sql, string Plan);

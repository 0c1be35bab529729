using Microsoft.Extensions.DependencyInjection;
using Tuntas.Targeting.Models;
using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Runs;

namespace Tuntas.Targeting;

/// <summary>
/// The targeting engine: rules and models, runs and what is read from them. The snapshot cache is one per process:
/// it keeps the registry in memory between rule previews (docs/targeting.md).
/// </summary>
public static class TargetingSetup
{
    public static IServiceCollection AddTargeting(this IServiceCollection services) => services
        .AddSingleton<SnapshotCache>()
        .AddScoped<PreviewRule>()
        .AddScoped<SaveEligibilityRule>()
        .AddScoped<SaveTargetingModel>()
        .AddScoped<RunTargeting>()
        .AddScoped<ExportRun>()
        .AddScoped<CompareRuns>()
        .AddScoped<AllocateQuota>()
        .AddScoped<MeasureAccuracy>()
        .AddScoped<FamilyTargeting>();
}

using Microsoft.Extensions.DependencyInjection;

namespace Tuntas.Programs;

/// <summary>Assistance programs: catalogue, budgets, recipient lists, enrollments, integration and targeting errors.</summary>
public static class ProgramsSetup
{
    public static IServiceCollection AddPrograms(this IServiceCollection services) => services
        .AddScoped<SaveProgram>()
        .AddScoped<SetBudget>()
        .AddScoped<ImportRecipients>()
        .AddScoped<ChangeEnrollment>()
        .AddScoped<FamilyAssistance>()
        .AddScoped<OverlapMatrix>()
        .AddScoped<TargetingErrorReport>()
        .AddScoped<ExportErrorWorklist>()
        .AddScoped<BudgetRealization>()
        .AddScoped<ProgramFigures>();
}

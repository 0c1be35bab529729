using Tuntas.Users;
using Tuntas.Verivali;

namespace Tuntas.Web.Verivali;

/// <summary>The verivali feature's services (its permissions: <see cref="VerivaliPermissions"/>) (docs/verivali.md#who-does-what).</summary>
public static class VerivaliSetup
{
    public static IServiceCollection AddVerivali(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<SearchDuplicatesAtOpening>();
        if (configuration.GetValue("Verivali:DuplicatesAtOpening", true))
        {
            services.AddHostedService<DuplicatesAtOpeningWorker>();
        }
        services.AddScoped<OpenPeriod>();
        services.AddScoped<AssignLines>();
        services.AddScoped<RecordVisit>();
        services.AddScoped<ReviewVisit>();
        services.AddScoped<DecideLines>();
        services.AddScoped<BeritaAcara>();
        services.AddScoped<CloseMusdes>();
        services.AddScoped<ApplyDecisions>();
        services.AddScoped<ClosePeriod>();
        services.AddScoped<ExportProposal>();
        services.AddScoped<VillageProgress>();
        services.AddScoped<ProposeNewFamily>();
        services.AddScoped<AddSuspectedDuplicates>();
        return services;
    }
}

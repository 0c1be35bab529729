using Microsoft.Extensions.DependencyInjection;

namespace Tuntas.Dashboard;

/// <summary>The dashboard: the per-village pre-aggregate, refreshed lazily when the data's change marker moves, and each user's own work.</summary>
public static class DashboardSetup
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services
        .AddScoped<RefreshVillageIndicators>()
        .AddScoped<ReadDashboard>()
        .AddScoped<YourWork>();
}

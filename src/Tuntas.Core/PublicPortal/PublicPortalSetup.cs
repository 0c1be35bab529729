using Microsoft.Extensions.DependencyInjection;

namespace Tuntas.PublicPortal;

/// <summary>The public side's reads: a citizen's status check and the transparency figures.</summary>
public static class PublicPortalSetup
{
    public static IServiceCollection AddPublicPortal(this IServiceCollection services) => services
        .AddSingleton<StatusLookups>()
        .AddScoped<CheckStatus>()
        .AddScoped<Transparency>();
}

using Microsoft.Extensions.DependencyInjection;
using Tuntas.Imports;

namespace Tuntas.Registry;

/// <summary>Reading the registry (search, a family's page) and the file import that writes it.</summary>
public static class RegistrySetup
{
    public static IServiceCollection AddRegistry(this IServiceCollection services) => services
        .AddScoped<FindFamilies>()
        .AddScoped<FamilyDetails>()
        .AddScoped<ImportFamilies>();
}

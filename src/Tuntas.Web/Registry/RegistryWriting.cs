using Tuntas.Registry;

namespace Tuntas.Web.Registry;

/// <summary>The registry's one writer and the editor (docs/registry.md#one-writer-registrywriter).</summary>
public static class RegistryWriting
{
    public static IServiceCollection AddRegistryWriting(this IServiceCollection services)
    {
        services.AddScoped<RegistryWriter>();
        services.AddScoped<EditFamily>();
        services.AddScoped<Tuntas.Complaints.ApplyChangeRequest>();
        return services;
    }
}

using Tuntas.FieldCollection;

namespace Tuntas.Web.OpenRosa;

/// <summary>Field data collection's services (docs/field-collection.md): device tokens, the generated forms, their media, submissions.</summary>
public static class FieldCollectionSetup
{
    public static IServiceCollection AddFieldCollection(this IServiceCollection services)
    {
        services.AddScoped<AuthenticateDevice>();
        services.AddScoped<CreateDeviceToken>();
        services.AddScoped<RevokeDeviceToken>();
        services.AddScoped<PublishForms>();
        services.AddScoped<FieldMedia>();
        services.AddScoped<ReceiveSubmission>();
        services.AddScoped<FieldActivity>();
        services.AddScoped<FieldWorklist>();
        return services;
    }
}

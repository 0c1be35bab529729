using Microsoft.Extensions.DependencyInjection;

namespace Tuntas.Complaints;

/// <summary>Complaints from the portal, the posko and the API, their routing and escalation, and data change requests.</summary>
public static class ComplaintsSetup
{
    public static IServiceCollection AddComplaints(this IServiceCollection services) => services
        .AddScoped<FileComplaint>()
        .AddScoped<ChangeComplaintStatus>()
        .AddScoped<TrackComplaint>()
        .AddScoped<EscalateOverdue>()
        .AddScoped<ChangeRequests>();
}

using Microsoft.Extensions.DependencyInjection;
using Tuntas.Collaboration.Meetings;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.Ranking;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Collaboration.VillageLabs;

namespace Tuntas.Collaboration;

/// <summary>The helixes working together: stakeholders, needs and commitments, meetings, village labs, community ranking.</summary>
public static class CollaborationSetup
{
    public static IServiceCollection AddCollaboration(this IServiceCollection services) => services
        .AddScoped<SaveStakeholder>()
        .AddScoped<HandOverContact>()
        .AddScoped<ProgramRoles>()
        .AddScoped<RecordNeed>()
        .AddScoped<Commitments>()
        .AddScoped<BrowseNeeds>()
        .AddScoped<ForumCsrReport>()
        .AddScoped<CommitmentReport>()
        .AddScoped<ScheduleMeeting>()
        .AddScoped<RecordAttendance>()
        .AddScoped<RecordDecision>()
        .AddScoped<AddAction>()
        .AddScoped<CloseAction>()
        .AddScoped<ReadMeeting>()
        .AddScoped<ReadAttendance>()
        .AddScoped<ListOpenActions>()
        .AddScoped<WeeklyDigest>()
        .AddScoped<VillageProfile>()
        .AddScoped<VillageLab>()
        .AddScoped<CommunityRanking>()
        .AddScoped<SeedDemoCollaboration>();
}

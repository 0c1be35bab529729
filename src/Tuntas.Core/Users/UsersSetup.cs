using Microsoft.Extensions.DependencyInjection;

namespace Tuntas.Users;

/// <summary>Accounts, sign-in, API clients and who may see what (the request's access scope, villages, agreements).</summary>
public static class UsersSetup
{
    public static IServiceCollection AddUsersAndAccess(this IServiceCollection services) => services
        .AddScoped<SignIn>()
        .AddScoped<SecondFactor>()
        .AddScoped<Sessions>()
        .AddScoped<AddUser>()
        .AddScoped<ChangeUser>()
        .AddScoped<ResetPassword>()
        .AddScoped<AddApiClient>()
        .AddScoped<ResolveAccessScope>()
        .AddScoped<AssignVillages>()
        .AddScoped<RecordAgreement>()
        .AddScoped<RevokeAgreement>();
}

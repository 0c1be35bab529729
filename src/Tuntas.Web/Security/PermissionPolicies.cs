using Microsoft.AspNetCore.Authorization;
using Tuntas.Access;

namespace Tuntas.Web.Security;

/// <summary>
/// The features' <see cref="Permission"/>s as ASP.NET Core authorization policies, one per permission and of the same
/// name: pages by folder (<c>AuthorizeFolder("/Impor", RegistryPermissions.Write.Name)</c>), API routes by
/// <c>RequireAuthorization(permission.Name)</c>, views and handlers by <see cref="Has"/>. The roles live in the
/// permission's declaration only.
/// </summary>
public static class PermissionPolicies
{
    public static IServiceCollection AddPermissionPolicies(this IServiceCollection services)
    {
        var builder = services.AddAuthorizationBuilder();
        foreach (var permission in Permission.All)
        {
            builder.AddPolicy(permission.Name, policy => policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission)));
        }
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        return services;
    }

    /// <summary>Whether the signed-in user's role (or API client's) holds the permission.</summary>
    public static bool Has(this ClaimsPrincipal user, Permission permission) => permission.Allows(user.Role());

    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(permission.Name);

    public sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

    private sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
        {
            if (context.User.Has(requirement.Permission))
            {
                context.Succeed(requirement);
            }
            return Task.CompletedTask;
        }
    }
}

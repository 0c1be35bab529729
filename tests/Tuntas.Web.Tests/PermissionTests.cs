using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Access;
using Tuntas.Collaboration;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Users;
using Tuntas.Web.Security;

namespace Tuntas.Web.Tests;

/// <summary>Each feature declares its permissions once (Core); the web app's policies are those declarations.</summary>
public sealed class PermissionTests
{
    [Fact]
    public void Every_permission_has_a_unique_name_and_only_known_roles()
    {
        Assert.Contains(Permission.All, p => p == TargetingPermissions.Manage);
        Assert.Contains(Permission.All, p => p == CollaborationPermissions.ManageStakeholders);
        Assert.Equal(Permission.All.Count, Permission.All.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Permission.All, p => Assert.Subset(Roles.All.ToHashSet(), p.Roles.ToHashSet()));
        Assert.All(Permission.All, p => Assert.NotEmpty(p.Roles));
    }

    [Fact]
    public async Task The_policy_of_each_permission_admits_exactly_the_roles_it_declares()
    {
        await using var app = await TuntasWebFactory.CreateAsync(nameof(Data.DatabaseProvider.Sqlite));
        var authorization = app.Services.GetRequiredService<IAuthorizationService>();
        foreach (var permission in Permission.All)
        {
            foreach (var role in Roles.All)
            {
                var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "uji"), new Claim(ClaimTypes.Role, role)], "uji", ClaimTypes.Name, ClaimTypes.Role));
                var result = await authorization.AuthorizeAsync(user, permission.Name);
                Assert.True(result.Succeeded == permission.Allows(role), $"{permission.Name} for {role}");
                Assert.Equal(permission.Allows(role), user.Has(permission));
            }
            var anonymous = await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), permission.Name);
            Assert.False(anonymous.Succeeded, permission.Name);
        }
        // A regency-wide export needs both the role and a regency-wide scope.
        Assert.True(TargetingPermissions.MayExport(Roles.TkpkdCoordinator, AccessScope.Regency));
        Assert.False(TargetingPermissions.MayExport(Roles.VillageOperator, AccessScope.Within("33.14.01.2002")));
        Assert.False(TargetingPermissions.MayExport(Roles.Auditor, AccessScope.Regency));
        Assert.True(RegistryPermissions.Write.Allows(Roles.VillageOperator));
    }
}

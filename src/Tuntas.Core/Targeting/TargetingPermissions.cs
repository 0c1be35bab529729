using Tuntas.Registry;
using static Tuntas.Users.Roles;

namespace Tuntas.Targeting;

/// <summary>Who may change targeting (docs/targeting.md): every signed-in role reads runs, rules and models.</summary>
public static class TargetingPermissions
{
    /// <summary>Targeting decides who gets a program across the regency: only the administrator and the regency
    /// coordinator start runs and change rules or models.</summary>
    public static readonly Permission Manage = new("targeting.manage", Administrator, TkpkdCoordinator);

    /// <summary>Run exports and ranked lists carry every family's full NO_KK across the regency: regency-wide roles that
    /// verify identities only.</summary>
    public static bool MayExport(string role, AccessScope scope) => RegistryPermissions.SeeFullIdentifiers.Allows(role) && scope.IsRegencyWide;
}

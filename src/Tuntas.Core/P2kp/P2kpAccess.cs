using Tuntas.Access;
using Tuntas.Users;

namespace Tuntas.P2kp;

/// <summary>
/// Who may change P2KP records (docs/p2kp.md): the regency's administrator and TKPKD coordinator everywhere; a village
/// operator in their own desa; a facilitator in their assigned villages — always within the request's
/// <see cref="AccessScope"/>. Agency officers, partners and auditors read the aggregates only.
/// </summary>
public static class P2kpAccess
{
    public static bool MayManage(string role, AccessScope scope, string kodeDesa) =>
        role is Roles.Administrator or Roles.TkpkdCoordinator or Roles.VillageOperator or Roles.Facilitator && scope.CoversVillage(kodeDesa);

    /// <summary>A whole loan book replaces UPKs' data: regency roles, or a village operator for their own desa's UPK.</summary>
    public static bool MayImport(string role) => role is Roles.Administrator or Roles.TkpkdCoordinator or Roles.VillageOperator;

    /// <summary>Member names and loans by name: the roles that see the village's families by name.</summary>
    public static bool MaySeeMembers(string role, AccessScope scope, string kodeDesa) => role is not Roles.Partner && scope.CoversVillage(kodeDesa);

    internal static Problem Forbidden() => new("", "FORBIDDEN", "Anda tidak berwenang untuk KSM/UPK ini.", "You may not act for this KSM/UPK.");

    internal static Problem NotFound() => new("", "NOT_FOUND", "Data tidak ditemukan.", "Not found.");
}

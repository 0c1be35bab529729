using System.Diagnostics.CodeAnalysis;
using Tuntas.Users;

namespace Tuntas.P2kp;

/// <summary>
/// Who may change P2KP records (docs/p2kp.md): the regency's administrator and TKPKD coordinator everywhere; a village
/// operator in their own desa; a facilitator in their assigned villages — always within the request's
/// <see cref="AccessScope"/>. Agency officers, partners and auditors read the aggregates only.
/// </summary>
public static class P2kpAccess
{
    public static readonly Permission Manage = new("p2kp.manage", Roles.Administrator, Roles.TkpkdCoordinator, Roles.VillageOperator, Roles.Facilitator);

    /// <summary>A whole loan book replaces UPKs' data: regency roles, or a village operator for their own desa's UPK.</summary>
    public static readonly Permission ImportLoanBook = new("p2kp.loan-book", Roles.Administrator, Roles.TkpkdCoordinator, Roles.VillageOperator);

    /// <summary>Member names and loans by name: the roles that see the village's families by name.</summary>
    public static readonly Permission SeeMembers = new("p2kp.members", Permission.AllRolesExcept(Roles.Partner));

    public static bool MayManage(string role, AccessScope scope, string kodeDesa) => Manage.Allows(role) && scope.CoversVillage(kodeDesa);

    public static bool MayImport(string role) => ImportLoanBook.Allows(role);

    public static bool MaySeeMembers(string role, AccessScope scope, string kodeDesa) => SeeMembers.Allows(role) && scope.CoversVillage(kodeDesa);

    /// <summary>
    /// The refusal of a change to <paramref name="record"/> (a BKM, UPK, KSM or activity found by its id, or null):
    /// not found, or found in a desa the caller may not manage (<see cref="MayManage"/>). False when the caller may act.
    /// </summary>
    internal static bool Refuses<T>([NotNullWhen(false)] T? record, Func<T, string> kodeDesa, string role, AccessScope scope,
        [NotNullWhen(true)] out Problem? refusal) where T : class
    {
        refusal = record is null ? NotFound() : MayManage(role, scope, kodeDesa(record)) ? null : Forbidden();
        return refusal is not null;
    }

    internal static Problem Forbidden() => new("", "FORBIDDEN", "Anda tidak berwenang untuk KSM/UPK ini.", "You may not act for this KSM/UPK.");

    internal static Problem NotFound() => new("", "NOT_FOUND", "Data tidak ditemukan.", "Not found.");
}

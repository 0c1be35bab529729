using static Tuntas.Users.Roles;

namespace Tuntas.Collaboration;

/// <summary>
/// Who does what in collaboration: every signed-in role reads stakeholders, needs and the Forum CSR view (village needs
/// are not personal data). The TKPKD secretariat (administrator, coordinator) keeps the stakeholder register; villages
/// record their needs (a village operator or facilitator in its villages).
/// </summary>
public static class CollaborationPermissions
{
    public static readonly Permission ManageStakeholders = new("collaboration.stakeholders", Administrator, TkpkdCoordinator);

    public static readonly Permission RecordNeeds = new("collaboration.needs", Administrator, TkpkdCoordinator, VillageOperator, Facilitator);

    /// <summary>A village role records needs only in the villages of its scope; the secretariat anywhere.</summary>
    public static bool MayRecordNeedIn(string role, AccessScope scope, string kodeDesa) =>
        ManageStakeholders.Allows(role) || (RecordNeeds.Allows(role) && scope.CoversVillage(kodeDesa));
}

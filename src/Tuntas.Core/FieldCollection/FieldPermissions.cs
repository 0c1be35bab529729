using static Tuntas.Users.Roles;

namespace Tuntas.FieldCollection;

/// <summary>Who works in the field with a device (ODK Collect, Enketo) and who reads what the field sent.</summary>
public static class FieldPermissions
{
    /// <summary>Roles that visit families and so may carry a device: the visiting roles of the verivali cycle.</summary>
    public static readonly Permission Collect = new("field.collect", Administrator, TkpkdCoordinator, VillageOperator, Facilitator, Relawan);

    /// <summary>Submissions, worklists and activity within one's scope: every role but the partner, whose data comes only
    /// through a data-sharing agreement.</summary>
    public static readonly Permission Read = new("field.read", Permission.AllRolesExcept(Partner));
}

using static Tuntas.Users.Roles;

namespace Tuntas.Complaints;

/// <summary>Who may file complaints and propose registry changes on a citizen's behalf (the posko's work).</summary>
public static class ComplaintPermissions
{
    /// <summary>Every role that serves citizens; the partner and the auditor only read.</summary>
    /// <summary>Complaints and change requests are read within one's scope; the partner's data comes only through an agreement.</summary>
    public static readonly Permission Read = new("complaints.read", Permission.AllRolesExcept(Partner));

    /// <summary>Accept or reject a proposed registry change: the roles that write to the registry.</summary>
    public static readonly Permission DecideChangeRequests = new("complaints.change-requests.decide", Administrator, TkpkdCoordinator, VillageOperator);

    public static readonly Permission File = new("complaints.file", Permission.AllRolesExcept(Partner, Auditor));
}

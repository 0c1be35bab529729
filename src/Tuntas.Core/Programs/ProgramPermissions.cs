using static Tuntas.Users.Roles;

namespace Tuntas.Programs;

/// <summary>Who may change programs (docs/programs.md): every signed-in role reads them.</summary>
public static class ProgramPermissions
{
    /// <summary>Programs belong to the agencies that run them: the administrator, the regency coordinator and agency (OPD)
    /// officers edit the catalogue, budgets, recipient lists and enrollments — an officer only its own OPD's
    /// (<see cref="ProgramOwnership.MayManage"/>).</summary>
    public static readonly Permission Manage = new("programs.manage", Administrator, TkpkdCoordinator, AgencyOfficer);
}

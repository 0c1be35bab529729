using Tuntas.Users;

namespace Tuntas.Access;

/// <summary>
/// Who may change a program ("agency officer: its own programs"): the administrator and the TKPKD
/// coordinator any program; an agency officer only the programs whose owner is its organization (the OPD named on the
/// user, compared without regard to case or spacing). An officer without an organization changes none.
/// </summary>
public static class ProgramOwnership
{
    public static bool MayManage(string role, string? organization, string programOwner) => role switch
    {
        Roles.Administrator or Roles.TkpkdCoordinator => true,
        Roles.AgencyOfficer => SameOrganization(organization, programOwner),
        _ => false,
    };

    public static bool SameOrganization(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && !string.IsNullOrWhiteSpace(b)
        && string.Equals(Collapse(a), Collapse(b), StringComparison.OrdinalIgnoreCase);

    private static string Collapse(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

using static Tuntas.Users.Roles;

namespace Tuntas.Verivali;

/// <summary>Who does what in the verification cycle (docs/verivali.md#who-does-what).</summary>
public static class VerivaliPermissions
{
    /// <summary>Periods, worklists and progress are read within one's scope; not by the partner.</summary>
    public static readonly Permission Read = new("verivali.read", Permission.AllRolesExcept(Partner));

    /// <summary>Opens and closes periods, exports the proposal: the regency (administrator, TKPKD, Dinas Sosial officer).</summary>
    public static readonly Permission RunRegency = new("verivali.regency", Administrator, TkpkdCoordinator, AgencyOfficer);

    /// <summary>Assigns, reviews, records the musdes, applies: the village operator (in its village), administrator, TKPKD.</summary>
    public static readonly Permission RunVillage = new("verivali.village", Administrator, TkpkdCoordinator, VillageOperator);

    /// <summary>Records visits: facilitators, relawan, and the village roles.</summary>
    public static readonly Permission Visit = new("verivali.visit", Administrator, TkpkdCoordinator, VillageOperator, Facilitator, Relawan);
}

namespace Tuntas.Users;

/// <summary>Back-office roles. Each is bound to a region scope (Access/AccessScope); the names are stable: they are stored in users and API clients.</summary>
public static class Roles
{
    public const string Administrator = "administrator";
    public const string TkpkdCoordinator = "koordinator-tkpkd";
    public const string AgencyOfficer = "petugas-opd";
    public const string VillageOperator = "operator-desa";
    public const string Facilitator = "pendamping";
    public const string Partner = "mitra";
    public const string Auditor = "auditor";
    /// <summary>Volunteer (relawan, e.g. GERTAK's): sees and visits only the verivali worklist lines assigned to them.</summary>
    public const string Relawan = "relawan";

    public static readonly IReadOnlyList<string> All =
        [Administrator, TkpkdCoordinator, AgencyOfficer, VillageOperator, Facilitator, Partner, Auditor, Relawan];
}

using static Tuntas.Users.Roles;

namespace Tuntas.Registry;

/// <summary>Who may do what with the registry of families and persons (docs/security.md#roles).</summary>
public static class RegistryPermissions
{
    /// <summary>Import files and edit families field by field: the roles that keep the data (a village operator in its village).</summary>
    public static readonly Permission Write = new("registry.write", Administrator, TkpkdCoordinator, VillageOperator);

    /// <summary>Health, disability and income (UU PDP 27/2022 Pasal 4(2): specific personal data): least privilege.</summary>
    public static readonly Permission SeeSensitive = new("registry.sensitive", Administrator, TkpkdCoordinator);

    /// <summary>Full NIK/NO_KK: the roles that verify identities in the field or at the regency.</summary>
    public static readonly Permission SeeFullIdentifiers = new("registry.identifiers", Administrator, TkpkdCoordinator, VillageOperator);

    /// <summary>
    /// The registry out in another system's layout (OpenSID's population file, the DTKS workbook: Registry/Exports): the
    /// files carry full NIKs, so the roles that verify identities, each within its scope (a village operator its village).
    /// </summary>
    public static readonly Permission Export = new("registry.export", Administrator, TkpkdCoordinator, VillageOperator);

    /// <summary>Every import job, not only one's own: the regency's data stewards.</summary>
    public static readonly Permission SeeAllImports = new("registry.imports.all", Administrator, TkpkdCoordinator);

    /// <summary>Likely duplicate persons, their merge and its undo: the regency's data stewards clean the regency's registry.</summary>
    public static readonly Permission ReviewDuplicates = new("registry.duplicates", Administrator, TkpkdCoordinator);

    /// <summary>
    /// Families by name in one's own region (village pages, community ranking): every role but the partner, who sees names
    /// only under a data-sharing agreement (the <see cref="AccessScope"/>'s shared families).
    /// </summary>
    public static readonly Permission SeeVillageByName = new("registry.village-by-name", Permission.AllRolesExcept(Partner));
}

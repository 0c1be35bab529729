using Tuntas.Regions;

namespace Tuntas.Users;

/// <summary>
/// The checks a role's region and organization must pass, shared by <see cref="AddUser"/> and <see cref="ChangeUser"/>:
/// a known role; an existing Kemendagri region code; a village operator bound to one village (desa/kelurahan: the
/// operator works for that village only); a partner bound to an organization (its data-sharing agreements are made with the organization).
/// </summary>
public static class UserRules
{
    public const int MaxOrganizationLength = 120;

    public static async Task<(string? RegionCode, string? Organization)> CheckRoleAsync(TuntasDb db, string role, string? region, string? organization,
        List<Problem> problems, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            problems.Add(new("Role", "ROLE_UNKNOWN",
                "Peran tidak dikenal; pilih salah satu: " + string.Join(", ", Roles.All) + ".",
                "Unknown role; use one of: " + string.Join(", ", Roles.All) + "."));
        }
        string? regionCode = null;
        if (!string.IsNullOrWhiteSpace(region))
        {
            regionCode = RegionCode.ToDotted(region);
            if (regionCode is null || !await db.Regions.AnyAsync(r => r.Code == regionCode, cancellationToken))
            {
                problems.Add(new("RegionCode", "REGION_UNKNOWN",
                    string.Create(CultureInfo.InvariantCulture, $"Kode wilayah '{region}' tidak ada di tabel wilayah Kemendagri."),
                    string.Create(CultureInfo.InvariantCulture, $"Region code '{region}' is not in the Kemendagri region table.")));
                regionCode = null;
            }
        }
        if (role == Roles.VillageOperator && (regionCode is null || regionCode.Length != 13) && !problems.Any(p => p.Field == "RegionCode"))
        {
            problems.Add(new("RegionCode", "REGION_VILLAGE_REQUIRED",
                "Operator desa harus terikat pada satu desa/kelurahan: isi kode desa (mis. 33.14.01.2001).",
                "A village operator must be bound to one village: give its code (e.g. 33.14.01.2001)."));
        }
        var org = string.IsNullOrWhiteSpace(organization) ? null : organization.Trim();
        if (org is { Length: > MaxOrganizationLength })
        {
            problems.Add(new("Organization", "ORGANIZATION_LONG",
                string.Create(CultureInfo.InvariantCulture, $"Nama instansi/lembaga paling panjang {MaxOrganizationLength} karakter."),
                string.Create(CultureInfo.InvariantCulture, $"The organization name is at most {MaxOrganizationLength} characters.")));
        }
        if (role == Roles.Partner && org is null)
        {
            problems.Add(new("Organization", "ORGANIZATION_REQUIRED",
                "Mitra harus menyebut lembaganya (perusahaan, perguruan tinggi, LSM, BAZNAS): perjanjian berbagi data dibuat dengan lembaga.",
                "A partner must name its organization (company, university, NGO, BAZNAS): data-sharing agreements are made with the organization."));
        }
        return (regionCode, org);
    }
}

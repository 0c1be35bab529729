using Tuntas.Access;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Meetings;
using Tuntas.Users;

namespace Tuntas.Web.Collaboration;

/// <summary>
/// Who does what in collaboration: every signed-in role reads stakeholders, needs and the Forum CSR view
/// (village needs are not personal data; a named family's need links to the family only inside the reader's scope).
/// The TKPKD secretariat (administrator, coordinator) keeps the stakeholder register; villages record their needs (a
/// village operator or facilitator in its villages); a stakeholder's own people — a partner or agency officer whose
/// organization is the stakeholder — pledge and report progress, and so may the secretariat on its behalf.
/// </summary>
public static class CollaborationAccess
{
    public static bool MayRecordNeedIn(this ClaimsPrincipal user, string kodeDesa) =>
        CollaborationPermissions.MayRecordNeedIn(user.Role(), user.AccessScope(), kodeDesa);

    public static bool MayActFor(this ClaimsPrincipal user, Stakeholder stakeholder) => user.Role() switch
    {
        Roles.Administrator or Roles.TkpkdCoordinator => true,
        Roles.Partner or Roles.AgencyOfficer => stakeholder.Active && ProgramOwnership.SameOrganization(user.OrganizationOf(), stakeholder.Name),
        _ => false,
    };

    /// <summary>Meetings: the secretariat schedules any; a village operator its village's musyawarah desa.</summary>
    public static bool MaySchedule(this ClaimsPrincipal user, string? kind, string? kodeDesa) => user.Role() switch
    {
        Roles.Administrator or Roles.TkpkdCoordinator => true,
        Roles.VillageOperator => kind is null || (kind == "musdes" && Regions.RegionCode.ToDotted(kodeDesa ?? "") is { Length: 13 } village && user.AccessScope().CoversVillage(village)),
        _ => false,
    };

    /// <summary>Who records a meeting's attendance, minutes, decisions and actions: whoever may schedule that meeting.</summary>
    public static bool MayRecord(this ClaimsPrincipal user, Meeting meeting) => user.MaySchedule(meeting.Kind, meeting.KodeDesa);

    /// <summary>
    /// Whether this reader sees what may describe the family a need is for — its free-text title and description, the
    /// steps' notes and the delivery evidence (likely a photo of the household): always for a village need; for a need
    /// of one named family, only readers whose scope covers the village (UU PDP 27/2022). Others read the need by its
    /// kind and the steps by their status.
    /// </summary>
    public static bool SeesFamilyDetails(this ClaimsPrincipal user, Need need) => need.FamilyId is null || user.AccessScope().CoversVillage(need.KodeDesa);

    /// <summary>A need's title for this reader (<see cref="SeesFamilyDetails"/>; otherwise <see cref="CollaborationTerms.PublicNeedTitle"/>).</summary>
    public static string NeedTitle(this ClaimsPrincipal user, Need need) =>
        user.SeesFamilyDetails(need) ? need.Title : CollaborationTerms.PublicNeedTitle(need.Title, need.Kind, true);
}

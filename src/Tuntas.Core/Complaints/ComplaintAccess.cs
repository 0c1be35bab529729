using Tuntas.Access;
using Tuntas.Users;

namespace Tuntas.Complaints;

/// <summary>
/// Who sees and who handles which complaint in the back office (issue #7 §2 with issue #5's roles): the administrator,
/// the TKPKD coordinator and the auditor see all; a village operator and a facilitator the complaints of their
/// villages; an agency officer those routed to its organization; a partner none (complaints carry personal data).
/// The administrator and the coordinator handle any; a village operator those routed to its village; an officer
/// those routed to its organization.
/// </summary>
public static class ComplaintAccess
{
    public static IQueryable<Complaint> Visible(IQueryable<Complaint> complaints, string role, string? organization, AccessScope scope) => role switch
    {
        Roles.Administrator or Roles.TkpkdCoordinator or Roles.Auditor => scope.IsRegencyWide ? complaints : complaints.Where(scope.VillageFilter<Complaint>(c => c.KodeDesa)),
        Roles.VillageOperator or Roles.Facilitator => complaints.Where(scope.VillageFilter<Complaint>(c => c.KodeDesa)),
        Roles.AgencyOfficer => complaints.Where(c => c.HandlerKind == ComplaintTerms.Agency && AgenciesOf(organization).Contains(c.HandlerCode)),
        _ => complaints.Where(_ => false),
    };

    /// <summary>The routing agencies (<see cref="ComplaintTerms.Categories"/>) that are this organization, compared as <see cref="ProgramOwnership.SameOrganization"/> does.</summary>
    public static List<string> AgenciesOf(string? organization) =>
        [.. ComplaintTerms.Categories.Select(c => c.Agency).OfType<string>().Distinct().Where(a => ProgramOwnership.SameOrganization(organization, a))];

    public static bool MayHandle(Complaint complaint, string role, string? organization, AccessScope scope) => role switch
    {
        Roles.Administrator or Roles.TkpkdCoordinator => scope.IsRegencyWide || (complaint.KodeDesa is { } v && scope.CoversVillage(v)),
        Roles.VillageOperator => complaint.HandlerKind == ComplaintTerms.Village && complaint.KodeDesa is { } village && scope.CoversVillage(village),
        Roles.AgencyOfficer => complaint.HandlerKind == ComplaintTerms.Agency && ProgramOwnership.SameOrganization(organization, complaint.HandlerCode),
        _ => false,
    };

    /// <summary>Data change requests are the village's business: the users who see the village's families by name,
    /// except agency officers and partners.</summary>
    public static IQueryable<ChangeRequest> VisibleChangeRequests(IQueryable<ChangeRequest> requests, string role, AccessScope scope) =>
        role is Roles.Partner or Roles.AgencyOfficer ? requests.Where(_ => false) : requests.Where(scope.VillageFilter<ChangeRequest>(r => r.KodeDesa));

    /// <summary>Who accepts or rejects a change request: the village operator (in its village), the coordinator, the administrator.</summary>
    public static bool MayDecide(string role) => role is Roles.Administrator or Roles.TkpkdCoordinator or Roles.VillageOperator;
}

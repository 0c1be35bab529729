using Tuntas.Users;

namespace Tuntas.Complaints;

/// <summary>
/// Who sees and who handles which complaint in the back office (with the roles of Access/Roles): the administrator,
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

    /// <summary>
    /// Which of these registry families the reader's scope covers. A complaint is visible by its village, but the NIK
    /// typed in it may belong to a family of another village: the link to that family, and the NIK in full, are shown
    /// only when the reader's own scope covers the family (UU 27/2022 purpose limitation; OWASP ASVS 4.2.1) — otherwise
    /// a public complaint could point a village operator at a family it has no business with.
    /// </summary>
    public static async Task<HashSet<long>> FamiliesInScopeAsync(TuntasDb db, AccessScope scope, IEnumerable<long?> familyIds, CancellationToken cancellationToken)
    {
        var ids = familyIds.OfType<long>().Distinct().ToList();
        return ids.Count == 0 ? [] : [.. await scope.Apply(db.Families.AsNoTracking()).Where(f => ids.Contains(f.Id)).Select(f => f.Id).ToListAsync(cancellationToken)];
    }

    /// <summary>The complainant's NIK as this reader may see it: in full only for a role that sees identifiers and, when
    /// the NIK is a registry member's, only when the reader's scope covers that family.</summary>
    public static string? NikFor(Complaint complaint, bool seesFullIdentifiers, bool familyInScope) =>
        complaint.ComplainantNik is not { } nik ? null
        : seesFullIdentifiers && (complaint.FamilyId is null || familyInScope) ? nik
        : Registry.Nik.Mask(nik);

    /// <summary>Who accepts or rejects a change request: the village operator (in its village), the coordinator, the administrator.</summary>
    public static bool MayDecide(string role) => ComplaintPermissions.DecideChangeRequests.Allows(role);
}

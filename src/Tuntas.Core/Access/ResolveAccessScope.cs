using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Access;

/// <summary>
/// Builds a user's <see cref="AccessScope"/> — the one place where roles become rows:
/// <list type="bullet">
/// <item>administrator, TKPKD coordinator, agency officer (OPD), auditor: the regency (or the user's region when one is
/// set). An agency officer sees families regency-wide because the exclusion worklist of its programs is by definition
/// families outside them; what it may change is limited to its own programs (<see cref="ProgramOwnership"/>).</item>
/// <item>village operator: its village, for names and numbers.</item>
/// <item>facilitator (pendamping): its region, if any, plus every assigned village (<see cref="UserVillage"/>).</item>
/// <item>partner (mitra): regency aggregates; names only of villages and families under an agreement of its
/// organization that is active today (<see cref="DataSharingAgreement.IsActiveOn"/>).</item>
/// </list>
/// Read on every request (a revoked agreement or a removed assignment takes effect at once); a few indexed rows.
/// </summary>
/// <param name="regency">Its time zone says which agreements are active today: an agreement ending today still holds
/// in WIB's morning, when UTC's date is yesterday's (and one starting today does not yet hold in UTC).</param>
public sealed class ResolveAccessScope(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(long? UserId, string Role, string? RegionCode, string? Organization);

    public async Task<AccessScope> RunAsync(Input input, CancellationToken cancellationToken)
    {
        switch (input.Role)
        {
            case Roles.Administrator or Roles.TkpkdCoordinator or Roles.AgencyOfficer or Roles.Auditor:
                return input.RegionCode is { Length: > 0 } region ? AccessScope.Within(region) : AccessScope.Regency;
            case Roles.VillageOperator:
                return input.RegionCode is { Length: > 0 } village ? AccessScope.Within(village) : AccessScope.Nothing;
            case Roles.Facilitator:
                {
                    var villages = input.UserId is { } id
                        ? await db.UserVillages.AsNoTracking().Where(v => v.UserId == id).Select(v => v.KodeDesa).ToListAsync(cancellationToken)
                        : [];
                    if (input.RegionCode is { Length: > 0 } own)
                    {
                        villages.Add(own);
                    }
                    return new AccessScope(villages, [], villages);
                }
            case Roles.Partner:
                {
                    if (string.IsNullOrWhiteSpace(input.Organization))
                    {
                        return new AccessScope([], [], null);
                    }
                    var today = RegencyOptions.Of(regency).Today(clock);
                    // The organization is matched as everywhere else (ProgramOwnership.SameOrganization: case and spacing
                    // ignored), so "PT Gula  sragen" on the account still finds the agreement of "PT Gula Sragen".
                    var inForce = (await db.DataSharingAgreements.AsNoTracking()
                            .Where(a => a.RevokedAt == null && a.StartsOn <= today && a.EndsOn >= today).Select(a => new { a.Id, a.Organization })
                            .ToListAsync(cancellationToken))
                        .Where(a => ProgramOwnership.SameOrganization(a.Organization, input.Organization)).Select(a => a.Id).ToList();
                    var items = await db.DataSharingItems.AsNoTracking().Where(i => inForce.Contains(i.AgreementId)).ToListAsync(cancellationToken);
                    return new AccessScope([.. items.Where(i => i.KodeDesa is not null).Select(i => i.KodeDesa!)],
                        [.. items.Where(i => i.FamilyId is not null).Select(i => i.FamilyId!.Value)], null);
                }
            case Roles.Relawan:
                {
                    // A volunteer sees by name only the families on the verivali lines assigned to them, in open periods.
                    var name = input.UserId is { } uid ? await db.Users.AsNoTracking().Where(u => u.Id == uid).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken) : null;
                    var families = await db.VerivaliLines.AsNoTracking()
                        .Where(l => l.AssignedTo == name && l.FamilyId != null && db.VerivaliPeriods.Any(p => p.Id == l.PeriodId && p.ClosedAt == null))
                        .Select(l => l.FamilyId!.Value).ToListAsync(cancellationToken);
                    return new AccessScope([], families, []);
                }
            default:
                return AccessScope.Nothing;
        }
    }
}

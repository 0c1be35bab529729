using Tuntas.Complaints;
using Tuntas.Registry;
using Tuntas.Targeting.Runs;

namespace Tuntas.Web.Pages.Keluarga;

/// <summary>
/// The family page. NIK and NO_KK are always masked here (a page is easily shoulder-surfed or printed); disability,
/// illness, pregnancy and income only for administrators and coordinators (UU PDP 27/2022: specific personal data).
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("keluarga", "id", Tuntas.Audit.AuditActions.ViewFamily)]
public sealed class DetailModel(FamilyDetails familyDetails, FamilyTargeting familyTargeting, Tuntas.Programs.FamilyAssistance familyAssistance,
    Tuntas.Complaints.ChangeRequests changeRequests, TimeProvider clock, Tuntas.P2kp.Institutions.FamilyKsm familyKsm,
    Tuntas.P2kp.Works.FamilyWorksAndGrants familyWorks, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public FamilyDetails.Outcome Details { get; private set; } = null!;

    /// <summary>The family in the latest targeting run (desil, scores, each BPS criterion, programs), or null.</summary>
    public FamilyTargeting.Outcome? Targeting { get; private set; }

    /// <summary>The regency's day, that ages and this year's payments are counted on: before 07:00 WIB the UTC date is
    /// still yesterday (and on 1 January, last year).</summary>
    public DateOnly Today { get; private set; }

    /// <summary>Every program the family or one of its members is enrolled in, with this year's payments.</summary>
    public Tuntas.Programs.FamilyAssistance.Outcome Assistance { get; private set; } = null!;

    /// <summary>The family's members in P2KP KSM and the KSM's loans (docs/p2kp.md).</summary>
    public IReadOnlyList<Tuntas.P2kp.Institutions.FamilyKsm.Membership> Ksm { get; private set; } = [];

    /// <summary>P2KP works naming the family and the UPS grants it received (docs/p2kp.md).</summary>
    public Tuntas.P2kp.Works.FamilyWorksAndGrants.Outcome P2kpWorks { get; private set; } = new([], []);

    public bool ShowSensitive { get; private set; }

    /// <summary>Roles whose work needs the full NIK (verification with Dukcapil, SIKS-NG); they still reveal one at a time.</summary>
    public bool CanReveal { get; private set; }

    /// <summary>The member whose NIK this response shows in full, after an explicit, audited request.</summary>
    public long? RevealedPersonId { get; private set; }

    public Task<IActionResult> OnGetAsync(long id, [FromQuery] int riwayat, CancellationToken cancellationToken) =>
        LoadAsync(id, riwayat, cancellationToken);

    /// <summary>
    /// Shows one member's full NIK (UU PDP: masked by default, revealed only on an explicit request by a role that needs
    /// it). A POST, so the NIK never appears in a URL; the audit middleware records it as <c>buka-nik</c> with the person.
    /// </summary>
    public async Task<IActionResult> OnPostBukaNikAsync(long id, long personId, CancellationToken cancellationToken)
    {
        if (!User.Has(RegistryPermissions.SeeFullIdentifiers))
        {
            return Forbid();
        }
        var page = await LoadAsync(id, 1, cancellationToken);
        if (Details is not null && Details.Members.Any(m => m.Id == personId))
        {
            RevealedPersonId = personId;
        }
        return page;
    }

    /// <summary>Who may propose a data change after a field visit: everyone who sees the family except partners and auditors.</summary>
    /// <summary>Who may correct the family field by field (the roles that may write the registry).</summary>
    public bool CanEdit => User.Has(RegistryPermissions.Write);

    public bool CanPropose => User.Has(ComplaintPermissions.File);

    public string? Proposed { get; private set; }

    public Tuntas.Problem? ProposalProblem { get; private set; }

    /// <summary>
    /// A facilitator's (or anyone's in scope) field update: a change request for the village operator (/// "read and field updates"), never a direct edit — the operator applies it through the import.
    /// </summary>
    public async Task<IActionResult> OnPostUsulkanAsync(long id, string? usulan, string[]? ubahAnggota, string[]? ubahKolom, string[]? ubahNilai, CancellationToken cancellationToken)
    {
        var page = await LoadAsync(id, 1, cancellationToken);
        if (Details is null)
        {
            return page;
        }
        if (!CanPropose)
        {
            return Forbid();
        }
        // Up to three structured field changes beside the description: applied with one action once accepted.
        var changes = new List<Tuntas.Complaints.ProposedChange>();
        for (var i = 0; i < (ubahKolom?.Length ?? 0); i++)
        {
            if (ubahKolom![i] is { Length: > 0 } column)
            {
                long? personId = long.TryParse(ubahAnggota?.ElementAtOrDefault(i), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
                changes.Add(new Tuntas.Complaints.ProposedChange(personId, column, ubahNilai?.ElementAtOrDefault(i)));
            }
        }
        var (request, problem) = await changeRequests.ProposeAsync(id, usulan, User.UserName(), cancellationToken, changes);
        ProposalProblem = problem;
        if (request is not null)
        {
            Proposed = "#" + request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            AuditDetail.Set(HttpContext, $"usulan perubahan #{request.Id} untuk keluarga #{id}");
        }
        return page;
    }

    private async Task<IActionResult> LoadAsync(long id, int riwayat, CancellationToken cancellationToken)
    {
        var outcome = await familyDetails.RunAsync(new FamilyDetails.Input(id, Math.Max(1, riwayat), Scope: User.AccessScope()), cancellationToken);
        if (outcome is null)
        {
            return NotFound();
        }
        Details = outcome;
        Targeting = await familyTargeting.RunAsync(id, cancellationToken);
        Today = regency.Value.Today(clock);
        Assistance = await familyAssistance.RunAsync(id, Today.Year, cancellationToken);
        Ksm = await familyKsm.RunAsync(id, Today, cancellationToken);
        P2kpWorks = await familyWorks.RunAsync(id, cancellationToken);
        ShowSensitive = User.Has(RegistryPermissions.SeeSensitive);
        CanReveal = User.Has(RegistryPermissions.SeeFullIdentifiers);
        return Page();
    }

    /// <summary>A history value as this user may see it (<see cref="HistoryValues"/>).</summary>
    public string? HistoryValue(string field, string? value) => HistoryValues.Show(field, value, ShowSensitive);
}

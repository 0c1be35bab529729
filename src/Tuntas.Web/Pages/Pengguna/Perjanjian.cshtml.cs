using Tuntas.Access;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Web.Pages.Pengguna;

/// <summary>
/// Data-sharing agreements with partner organizations: the list with their state (berlaku, belum
/// berlaku, berakhir, dicabut), the form to record one (villages by code; families picked by name with the family
/// picker, or their NO_KK typed in the form body — never in a URL) and revocation with a reason. A partner's users see,
/// by name, only what an active agreement of their organization shares; the rest of the regency in aggregates.
/// </summary>
public sealed class PerjanjianModel(TuntasDb db, RecordAgreement recordAgreement, RevokeAgreement revokeAgreement, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public sealed record Row(DataSharingAgreement Agreement, int Villages, int Families, string State);

    public IReadOnlyList<Row> Agreements { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public string? Done { get; private set; }

    [BindProperty]
    public AgreementForm Form { get; set; } = new();

    [BindProperty]
    public long AgreementId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // The regency's day: an agreement ending today still reads "berlaku" at 06:00 WIB, when UTC's date is yesterday's.
        var today = regency.Value.Today(clock);
        if (Form.StartsOn == default)
        {
            Form.StartsOn = today;
            Form.EndsOn = today.AddYears(1);
        }
        var counts = await db.DataSharingItems.AsNoTracking().GroupBy(i => i.AgreementId)
            .Select(g => new { g.Key, Villages = g.Count(i => i.KodeDesa != null), Families = g.Count(i => i.FamilyId != null) })
            .ToDictionaryAsync(x => x.Key, cancellationToken);
        Agreements = [.. (await db.DataSharingAgreements.AsNoTracking().OrderByDescending(a => a.Id).ToListAsync(cancellationToken))
            .Select(a => new Row(a, counts.GetValueOrDefault(a.Id)?.Villages ?? 0, counts.GetValueOrDefault(a.Id)?.Families ?? 0, StateOf(a, today)))];
    }

    public static string StateOf(DataSharingAgreement agreement, DateOnly today) =>
        agreement.RevokedAt is not null ? "Agreements.Revoked"
        : today < agreement.StartsOn ? "Agreements.NotYet"
        : today > agreement.EndsOn ? "Agreements.Ended"
        : "Agreements.Active";

    /// <summary>Families picked with the family picker, read back within the user's scope (shown again after a refusal).</summary>
    public IReadOnlyList<PickedFamilies.Choice> Picked { get; private set; } = [];

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Picked families travel as ids; their KK numbers join the typed ones, read within the user's scope.
        var picked = await PickedFamilies.RunAsync(db, new PickedFamilies.Input(Form.FamilyIds, User.AccessScope()), cancellationToken);
        Picked = picked.Families;
        if (picked.Problems.Count > 0)
        {
            Problems = picked.Problems;
            await OnGetAsync(cancellationToken);
            return Page();
        }
        var outcome = await recordAgreement.RunAsync(new RecordAgreement.Input(Form.Number ?? "", Form.Organization ?? "", Form.Purpose ?? "",
            Form.StartsOn, Form.EndsOn, Lines(string.Join('\n', Form.Villages)), [.. Lines(Form.FamilyNumbers), .. picked.Families.Select(f => f.NoKk)],
            User.UserName()), cancellationToken);
        Problems = outcome.Problems;
        if (outcome.Agreement is { } agreement)
        {
            Picked = [];
            Done = "Agreements.Saved";
            // Counts only: the shared NO_KK are personal data and stay out of the audit detail.
            AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture,
                $"perjanjian #{agreement.Id} {agreement.Number} dengan {agreement.Organization}: {outcome.Villages} desa, {outcome.Families} keluarga, {agreement.StartsOn:yyyy-MM-dd} s.d. {agreement.EndsOn:yyyy-MM-dd}"));
            Form = new AgreementForm();
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCabutAsync(CancellationToken cancellationToken)
    {
        var outcome = await revokeAgreement.RunAsync(AgreementId, Reason ?? "", User.UserName(), cancellationToken);
        if (!outcome.Found)
        {
            return NotFound();
        }
        Problems = outcome.Problem is { } problem ? [problem] : [];
        if (outcome.Problem is null)
        {
            Done = "Agreements.RevokedDone";
            AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"perjanjian #{AgreementId} dicabut: {Reason?.Trim()}"));
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    private static string[] Lines(string? text) =>
        (text ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class AgreementForm
{
    public string? Number { get; set; }
    public string? Organization { get; set; }
    public string? Purpose { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public List<string> Villages { get; set; } = [];
    public string? FamilyNumbers { get; set; }
    public List<long> FamilyIds { get; set; } = [];
}

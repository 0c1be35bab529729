using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Users;
using Tuntas.Web.Collaboration;
using Tuntas.Web.Complaints;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// Village needs for partners to browse: by kecamatan or village, kind and highest cost, with who covers
/// what and the gap; and the form with which a village (operator or facilitator) or the secretariat records a need.
/// </summary>
public sealed class KebutuhanModel(TuntasDb db, BrowseNeeds browse, RecordNeed record, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Wilayah { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Jenis { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? BiayaMaks { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Semua { get; set; }

    [BindProperty]
    public NeedForm Form { get; set; } = new();

    public IReadOnlyList<BrowseNeeds.Row> Rows { get; private set; } = [];

    public IReadOnlyList<(string Code, string Name, string District)> Villages { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public long? Recorded { get; private set; }

    /// <summary>The family picked with the family picker, shown again after a refusal.</summary>
    public IReadOnlyList<PickedFamilies.Choice> Picked { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var maxCost = Rupiah.Parse(BiayaMaks).Value;
        Rows = await browse.RunAsync(new BrowseNeeds.Input(Regions.RegionCode.ToDotted(Wilayah ?? ""), string.IsNullOrWhiteSpace(Jenis) ? null : Jenis, maxCost, !Semua),
            cancellationToken);
        if (User.Has(CollaborationPermissions.RecordNeeds))
        {
            Villages = [.. (await ComplaintForm.VillagesAsync(db, configuration.Regency(), cancellationToken))
                .Where(v => User.MayRecordNeedIn(v.Code))];
            if (Form.KodeDesa is null && Villages.Count == 1)
            {
                Form.KodeDesa = Villages[0].Code;
            }
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var village = Regions.RegionCode.ToDotted(Form.KodeDesa ?? "");
        if (!User.Has(CollaborationPermissions.RecordNeeds) || (village is { Length: 13 } && !User.MayRecordNeedIn(village)))
        {
            return Forbid();
        }
        // A family picked by name travels as its id; its KK number is read within the user's scope. A typed number wins.
        var picked = await PickedFamilies.RunAsync(db, new PickedFamilies.Input(Form.FamilyId is { } familyId ? [familyId] : [], User.AccessScope()), cancellationToken);
        Picked = picked.Families;
        if (picked.Problems.Count > 0)
        {
            Problems = picked.Problems;
            await OnGetAsync(cancellationToken);
            return Page();
        }
        var noKk = string.IsNullOrWhiteSpace(Form.NoKk) ? picked.Families.FirstOrDefault()?.NoKk : Form.NoKk;
        var outcome = await record.RunAsync(new RecordNeed.Input(Form.KodeDesa, Form.Kind, Form.Title, Form.Description, Form.Cost, Form.Source, noKk,
            User.UserName()), cancellationToken);
        Problems = outcome.Problems;
        if (outcome.Need is { } need)
        {
            Picked = [];
            Recorded = need.Id;
            AuditDetail.Set(HttpContext, $"kebutuhan #{need.Id} {need.Kind} di {need.KodeDesa}: {need.EstimatedCost}");
            Form = new NeedForm();
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }
}

public sealed class NeedForm
{
    public string? KodeDesa { get; set; }
    public string? Kind { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Cost { get; set; }
    public string? Source { get; set; } = "musdes";
    public string? NoKk { get; set; }
    public long? FamilyId { get; set; }
}

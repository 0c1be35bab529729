using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.VillageLabs;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>One village as a poverty lab: its status and history with graduations, its targets and progress, its open needs (the action plan).</summary>
public sealed class LabDesaModel(TuntasDb db, VillageLab lab, BrowseNeeds browse, IConfiguration configuration) : PageModel
{
    public VillageLab.VillageStatus? Current { get; private set; }

    public string Code { get; private set; } = "";

    public string? Name { get; private set; }

    public IReadOnlyList<VillageStatusChange> History { get; private set; } = [];

    public IReadOnlyList<VillageTarget> Targets { get; private set; } = [];

    public IReadOnlyList<BrowseNeeds.Row> Needs { get; private set; } = [];

    public Problem? Problem { get; private set; }

    [BindProperty]
    public long? Baseline { get; set; }

    [BindProperty]
    public long? Target { get; set; }

    [BindProperty]
    public int? ByYear { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public bool CanSetTargets => User.MayRecordNeedIn(Code);

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }
        if (!CanSetTargets)
        {
            return Forbid();
        }
        (_, Problem) = await lab.SetTargetAsync(Code, Baseline, Target, ByYear, Note, User.UserName(), cancellationToken);
        if (Problem is null)
        {
            AuditDetail.Set(HttpContext, $"sasaran desa {Code}: {Baseline} → {Target} keluarga miskin pada {ByYear}");
        }
        await LoadAsync(code, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var statuses = await lab.RefreshAsync(configuration.Regency(), cancellationToken);
        Code = Regions.RegionCode.ToDotted(code) ?? "";
        Name = await db.Regions.AsNoTracking().Where(r => r.Code == Code && r.Level == Regions.Region.Village).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        if (Name is null)
        {
            return false;
        }
        Current = statuses.FirstOrDefault(s => s.KodeDesa == Code);
        History = await db.VillageStatusHistory.AsNoTracking().Where(h => h.KodeDesa == Code).OrderByDescending(h => h.Id).ToListAsync(cancellationToken);
        Targets = await db.VillageTargets.AsNoTracking().Where(t => t.KodeDesa == Code).OrderByDescending(t => t.Id).ToListAsync(cancellationToken);
        Needs = await browse.RunAsync(new BrowseNeeds.Input(Region: Code), cancellationToken);
        return true;
    }
}

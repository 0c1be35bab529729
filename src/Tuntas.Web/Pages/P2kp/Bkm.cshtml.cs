using Tuntas.P2kp;
using Tuntas.P2kp.Institutions;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>The BKM of the user's villages with their elected members and terms; register a BKM (and its UPK), record an election.</summary>
[Tuntas.Web.Security.PersonalDataRead("bkm", null)]
public sealed class BkmModel(TuntasDb db, SaveBkm save, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public IReadOnlyList<Bkm> Bkms { get; private set; } = [];
    public ILookup<long, BkmMember> Members { get; private set; } = Enumerable.Empty<BkmMember>().ToLookup(m => m.BkmId);
    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    [BindProperty] public string? KodeDesa { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public DateOnly? FormedOn { get; set; }
    [BindProperty] public long BkmId { get; set; }
    [BindProperty] public string? MemberName { get; set; }
    [BindProperty] public string MemberRole { get; set; } = "anggota";
    [BindProperty] public DateOnly? ElectedOn { get; set; }
    [BindProperty] public int Votes { get; set; }
    [BindProperty] public int TermYears { get; set; } = 3;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostBkmAsync(CancellationToken cancellationToken)
    {
        var (bkm, problem) = await save.RunAsync(new SaveBkm.Input(KodeDesa ?? "", Name, FormedOn, User.UserName(), User.Role(), User.AccessScope()), cancellationToken);
        if (bkm is not null)
        {
            AuditDetail.Set(HttpContext, $"BKM {bkm.KodeDesa}: {bkm.Name}");
            return Redirect("/P2kp/Bkm");
        }
        Problems = [problem!];
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostElectAsync(CancellationToken cancellationToken)
    {
        var today = regency.Value.Today(clock);
        if (await save.ElectAsync(new SaveBkm.Election(BkmId, MemberName, MemberRole, ElectedOn ?? today, Votes, TermYears, User.UserName(), User.Role(), User.AccessScope()),
            cancellationToken) is { } problem)
        {
            Problems = [problem];
            await LoadAsync(cancellationToken);
            return Page();
        }
        AuditDetail.Set(HttpContext, $"anggota BKM {BkmId}: {MemberName}");
        return Redirect("/P2kp/Bkm");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var scope = User.AccessScope();
        Bkms = await db.Bkms.AsNoTracking().Where(scope.VillageFilter<Bkm>(b => b.KodeDesa)).OrderBy(b => b.KodeDesa).ToListAsync(cancellationToken);
        var ids = Bkms.Select(b => b.Id).ToList();
        Members = (await db.BkmMembers.AsNoTracking().Where(m => ids.Contains(m.BkmId)).OrderByDescending(m => m.Votes).ToListAsync(cancellationToken)).ToLookup(m => m.BkmId);
    }

    public bool MayManage(string kodeDesa) => P2kpAccess.MayManage(User.Role(), User.AccessScope(), kodeDesa);
}

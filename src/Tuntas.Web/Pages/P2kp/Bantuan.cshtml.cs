using Tuntas.P2kp;
using Tuntas.P2kp.Works;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>
/// The UPS's social grants to registry families (docs/p2kp.md, "Works and social grants"): the grants of the BKMs the user
/// sees by name, per desa and year, with totals per kind; record a grant for a family of a BKM the user manages, picked
/// by the head's name or NO_KK among that desa's families.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("bantuan-ups", "desa")]
public sealed class BantuanModel(TuntasDb db, ReadGrants read, GiveGrant give, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public IReadOnlyList<Bkm> Bkms { get; private set; } = [];
    public Bkm? Selected { get; private set; }
    public bool CanManage { get; private set; }
    public int? Tahun { get; private set; }
    public ReadGrants.Outcome Grants { get; private set; } = null!;
    public IReadOnlyList<WorkFamilies.Candidate> Candidates { get; private set; } = [];
    public string? Search { get; private set; }
    public IReadOnlyList<Problem> Problems { get; private set; } = [];
    public DateOnly Today { get; private set; }

    [BindProperty] public long FamilyId { get; set; }
    [BindProperty] public DateOnly? GivenOn { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public long Amount { get; set; }
    [BindProperty] public string? InKind { get; set; }
    [BindProperty] public string? Source { get; set; }

    public async Task<IActionResult> OnGetAsync(string? desa, int? tahun, CancellationToken cancellationToken) =>
        await LoadAsync(desa, tahun, cancellationToken) ? Page() : NotFound();

    /// <summary>
    /// The family search is a POST: the text may be a NO_KK, and personal identifiers never go into a URL, where the
    /// browser's history and the server's access logs would keep them (UU PDP 27/2022).
    /// </summary>
    public async Task<IActionResult> OnPostCariAsync(string? desa, int? tahun, string? cari, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(desa, tahun, cancellationToken))
        {
            return NotFound();
        }
        Search = cari;
        if (CanManage && Selected is not null)
        {
            Candidates = await WorkFamilies.SearchAsync(db, Selected.KodeDesa, cari, cancellationToken);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? desa, int? tahun, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(desa, tahun, cancellationToken) || Selected is null)
        {
            return NotFound();
        }
        var outcome = await give.RunAsync(new GiveGrant.Input(Selected.Id, FamilyId, GivenOn ?? Today, Kind, Amount, InKind, Source,
            User.UserName(), User.Role(), User.AccessScope()), cancellationToken);
        if (outcome.Grant is not { } grant)
        {
            Problems = outcome.Problems;
            return Page();
        }
        AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture,
            $"bantuan UPS #{grant.Id} BKM {grant.BkmId} keluarga #{grant.FamilyId}: {grant.Kind} {grant.Amount} {grant.Source} {grant.GivenOn:yyyy-MM-dd}"));
        return Redirect(string.Create(CultureInfo.InvariantCulture, $"/P2kp/Bantuan?desa={Selected.KodeDesa}#bantuan-{grant.Id}"));
    }

    private async Task<bool> LoadAsync(string? desa, int? tahun, CancellationToken cancellationToken)
    {
        var scope = User.AccessScope();
        Today = regency.Value.Today(clock);
        Tahun = tahun;
        Bkms = [.. (await db.Bkms.AsNoTracking().OrderBy(b => b.KodeDesa).ToListAsync(cancellationToken)).Where(b => P2kpAccess.MaySeeMembers(User.Role(), scope, b.KodeDesa))];
        var code = desa is null ? (Bkms.Count == 1 ? Bkms[0].KodeDesa : null) : Regions.RegionCode.ToDotted(desa) ?? desa;
        Selected = Bkms.FirstOrDefault(b => b.KodeDesa == code);
        if (code is not null && Selected is null)
        {
            return false;
        }
        CanManage = Selected is not null && P2kpAccess.MayManage(User.Role(), scope, Selected.KodeDesa);
        Grants = await read.RunAsync(Selected?.KodeDesa, tahun, User.Role(), scope, cancellationToken);
        return true;
    }
}

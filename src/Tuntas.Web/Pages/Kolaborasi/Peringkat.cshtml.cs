using Tuntas.Collaboration;
using Tuntas.Collaboration.Ranking;
using Tuntas.Registry;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// The community's welfare ranking of a village against the PMT (hybrid targeting): record the classes
/// agreed in the village meeting (NO_KK;KELAS lines, in the form body), then see the families on which the two
/// disagree, by name, for the musdes. Only for users who see the village's families by name (not partners).
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("peringkat-desa", "code")]
public sealed class PeringkatModel(TuntasDb db, CommunityRanking ranking) : PageModel
{
    public string Code { get; private set; } = "";

    public string? Name { get; private set; }

    public CommunityRanking.Outcome Comparison { get; private set; } = null!;

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public int? Recorded { get; private set; }

    [BindProperty]
    public string? Session { get; set; }

    [BindProperty]
    public string? Lines { get; set; }

    public bool CanRecord => User.MayRecordNeedIn(Code);

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }
        if (!CanRecord)
        {
            return Forbid();
        }
        var (recorded, problems) = await ranking.RecordAsync(Code, Session, Lines, User.UserName(), cancellationToken);
        Problems = problems;
        if (problems.Count == 0)
        {
            Recorded = recorded;
            AuditDetail.Set(HttpContext, $"peringkat kesejahteraan {Code} ({Session}): {recorded} keluarga");
            Lines = null;
        }
        await LoadAsync(code, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string code, CancellationToken cancellationToken)
    {
        Code = Regions.RegionCode.ToDotted(code) ?? "";
        if (Code.Length != 13 || !User.Has(RegistryPermissions.SeeVillageByName) || !User.AccessScope().CoversVillage(Code))
        {
            return false;
        }
        Name = await db.Regions.AsNoTracking().Where(r => r.Code == Code).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        if (Name is null)
        {
            return false;
        }
        Comparison = await ranking.CompareAsync(Code, cancellationToken);
        return true;
    }
}

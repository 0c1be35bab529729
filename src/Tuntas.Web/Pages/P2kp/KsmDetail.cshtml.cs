using Tuntas.P2kp;
using Tuntas.P2kp.Institutions;
using Tuntas.P2kp.Loans;
using Tuntas.P2kp.Performance;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>One KSM: members (NIK masked; registry members link to their family), its loans with their state today, a loan proposal with each member's share, dissolution.</summary>
[Tuntas.Web.Security.PersonalDataRead("ksm", "id")]
public sealed class KsmDetailModel(TuntasDb db, ProposeLoan propose, FormKsm form, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public Ksm Ksm { get; private set; } = null!;
    public Upk Upk { get; private set; } = null!;
    public IReadOnlyList<KsmMember> Members { get; private set; } = [];
    public IReadOnlyList<UpkLoan> Loans { get; private set; } = [];
    public IReadOnlyDictionary<long, Indicators.LoanState> States { get; private set; } = new Dictionary<long, Indicators.LoanState>();
    public IReadOnlyDictionary<long, long> FamilyOf { get; private set; } = new Dictionary<long, long>();
    public IReadOnlyList<Problem> Problems { get; private set; } = [];
    public bool CanManage { get; private set; }
    public DateOnly Today { get; private set; }

    [BindProperty] public long Principal { get; set; }
    /// <summary>Text, parsed with a decimal point whatever the UI culture: a number input always sends "1.5" (id-ID would read it as 15).</summary>
    [BindProperty] public string RatePercent { get; set; } = "1.5";
    [BindProperty] public string Method { get; set; } = LoanSchedule.Flat;
    [BindProperty] public int TermMonths { get; set; } = 12;
    [BindProperty] public Dictionary<long, long> Shares { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostProposeAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var rate = decimal.TryParse(RatePercent.Replace(',', '.'), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : -1;
        var outcome = await propose.RunAsync(new ProposeLoan.Input(id, Principal, rate, Method, TermMonths, Today, Shares, User.Role(), User.AccessScope()), cancellationToken);
        if (outcome.Loan is { } loan)
        {
            AuditDetail.Set(HttpContext, $"usulan pinjaman {loan.Nomor} KSM {Ksm.Kode}: {loan.Principal}");
            return Redirect($"/P2kp/Pinjaman/{loan.Id}");
        }
        Problems = outcome.Problems;
        return Page();
    }

    public async Task<IActionResult> OnPostDissolveAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (await form.DissolveAsync(id, Today, User.Role(), User.AccessScope(), cancellationToken) is { } problem)
        {
            Problems = [problem];
            return Page();
        }
        AuditDetail.Set(HttpContext, $"KSM dibubarkan {Ksm.Kode}");
        return Redirect($"/P2kp/Ksm/{id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        Today = regency.Value.Today(clock);
        var ksm = await db.Ksms.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        var scope = User.AccessScope();
        if (ksm is null || !P2kpAccess.MaySeeMembers(User.Role(), scope, ksm.KodeDesa))
        {
            return false;
        }
        Ksm = ksm;
        Upk = await db.Upks.AsNoTracking().FirstAsync(u => u.Id == ksm.UpkId, cancellationToken);
        CanManage = P2kpAccess.MayManage(User.Role(), scope, ksm.KodeDesa);
        Members = await db.KsmMembers.AsNoTracking().Where(m => m.KsmId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var persons = Members.Where(m => m.PersonId != null).Select(m => m.PersonId!.Value).ToList();
        FamilyOf = await db.Persons.AsNoTracking().Where(p => persons.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FamilyId, cancellationToken);
        var loans = db.UpkLoans.AsNoTracking().Where(l => l.KsmId == id);
        Loans = await loans.OrderByDescending(l => l.Id).ToListAsync(cancellationToken);
        States = await LoanStates.ForAsync(db, loans, Today, cancellationToken);
        return true;
    }

    public static string MaskedNik(string nik) => Nik.Mask(nik);
}

using Tuntas.P2kp;
using Tuntas.P2kp.Loans;
using Tuntas.P2kp.Performance;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>
/// One loan from proposal to closing: approve or reject, disburse (the schedule appears), record repayments by receipt
/// (a receipt posted twice is refused), see each repayment split to the members by their shares, write off (date, reason),
/// restructure (date, reason, new term and first due date; the two loans link to each other) or withdraw.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("pinjaman-upk", "id")]
public sealed class PinjamanModel(TuntasDb db, DecideLoan decide, DisburseLoan disburse, RecordRepayment record, CloseLoan close, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public UpkLoan Loan { get; private set; } = null!;
    public Ksm Ksm { get; private set; } = null!;
    public IReadOnlyList<UpkInstallment> Schedule { get; private set; } = [];
    public IReadOnlyList<UpkRepayment> Repayments { get; private set; } = [];
    public IReadOnlyDictionary<long, long> Shares { get; private set; } = new Dictionary<long, long>();
    public IReadOnlyDictionary<long, string> MemberNames { get; private set; } = new Dictionary<long, string>();
    public Indicators.LoanState State { get; private set; }
    public IReadOnlyList<Problem> Problems { get; private set; } = [];
    public string? Done { get; private set; }
    public bool CanManage { get; private set; }
    public DateOnly Today { get; private set; }
    public UpkLoan? RestructuredInto { get; private set; }
    public UpkLoan? RestructuredFrom { get; private set; }

    [BindProperty] public DateOnly? On { get; set; }
    [BindProperty] public DateOnly? FirstDueOn { get; set; }
    [BindProperty] public long RepayPrincipal { get; set; }
    [BindProperty] public long RepayService { get; set; }
    [BindProperty] public string? Receipt { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public int TermMonths { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostApproveAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "disetujui", () => decide.RunAsync(new DecideLoan.Input(id, true, On ?? Today, null, User.Role(), User.AccessScope()), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRejectAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "ditolak", () => decide.RunAsync(new DecideLoan.Input(id, false, On ?? Today, Reason, User.Role(), User.AccessScope()), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostDisburseAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "dicairkan", () => disburse.RunAsync(new DisburseLoan.Input(id, On ?? Today, FirstDueOn ?? (On ?? Today).AddMonths(1), User.Role(), User.AccessScope()),
            cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRepayAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "angsuran " + Receipt, async () => (await record.RunAsync(new RecordRepayment.Input(id, On ?? Today, RepayPrincipal, RepayService, Receipt,
            User.UserName(), User.Role(), User.AccessScope()), cancellationToken)).Problem, cancellationToken);

    public Task<IActionResult> OnPostWriteOffAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "dihapusbukukan", () => close.WriteOffAsync(new CloseLoan.WriteOff(id, On ?? Today, Reason, User.Role(), User.AccessScope()), cancellationToken), cancellationToken);

    /// <summary>Rescheduling: the outstanding principal moves into a new loan with the new term; the page of the new loan follows.</summary>
    public async Task<IActionResult> OnPostRestructureAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var (next, problem) = await close.RestructureAsync(new CloseLoan.Restructure(id, On ?? Today, Reason, TermMonths, FirstDueOn ?? (On ?? Today).AddMonths(1),
            User.Role(), User.AccessScope()), cancellationToken);
        if (next is null)
        {
            Problems = [problem!];
            return Page();
        }
        AuditDetail.Set(HttpContext, $"pinjaman {Loan.Nomor}: direstrukturisasi menjadi {next.Nomor}");
        return Redirect($"/P2kp/Pinjaman/{next.Id}?ok=1");
    }

    public async Task<IActionResult> OnPostWithdrawAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (await close.WithdrawAsync(id, User.Role(), User.AccessScope(), cancellationToken) is { } problem)
        {
            Problems = [problem];
            return Page();
        }
        AuditDetail.Set(HttpContext, $"pinjaman {Loan.Nomor} ditarik");
        return Redirect($"/P2kp/Ksm/{Ksm.Id}");
    }

    private async Task<IActionResult> ActAsync(long id, string what, Func<Task<Problem?>> act, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (await act() is { } problem)
        {
            Problems = [problem];
            await LoadAsync(id, cancellationToken);
            return Page();
        }
        AuditDetail.Set(HttpContext, $"pinjaman {Loan.Nomor}: {what}");
        // Post/redirect/get: reloading the page never posts the repayment again.
        return Redirect($"/P2kp/Pinjaman/{id}?ok=1");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        Today = regency.Value.Today(clock);
        var loan = await db.UpkLoans.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (loan is null)
        {
            return false;
        }
        var ksm = await db.Ksms.AsNoTracking().FirstAsync(k => k.Id == loan.KsmId, cancellationToken);
        var scope = User.AccessScope();
        if (!P2kpAccess.MaySeeMembers(User.Role(), scope, ksm.KodeDesa))
        {
            return false;
        }
        Loan = loan;
        Ksm = ksm;
        CanManage = P2kpAccess.MayManage(User.Role(), scope, ksm.KodeDesa);
        Schedule = await db.UpkInstallments.AsNoTracking().Where(i => i.LoanId == id).OrderBy(i => i.K).ToListAsync(cancellationToken);
        Repayments = await db.UpkRepayments.AsNoTracking().Where(r => r.LoanId == id).OrderBy(r => r.PaidOn).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        Shares = await db.UpkLoanShares.AsNoTracking().Where(s => s.LoanId == id).ToDictionaryAsync(s => s.MemberId, s => s.Amount, cancellationToken);
        MemberNames = await db.KsmMembers.AsNoTracking().Where(m => m.KsmId == ksm.Id).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
        State = (await LoanStates.ForAsync(db, db.UpkLoans.Where(l => l.Id == id), Today, cancellationToken)).GetValueOrDefault(id);
        RestructuredInto = await db.UpkLoans.AsNoTracking().FirstOrDefaultAsync(l => l.RestructuredFromId == id, cancellationToken);
        RestructuredFrom = loan.RestructuredFromId is { } fromId ? await db.UpkLoans.AsNoTracking().FirstOrDefaultAsync(l => l.Id == fromId, cancellationToken) : null;
        Done = Request.Query.ContainsKey("ok") ? "ok" : null;
        return true;
    }
}

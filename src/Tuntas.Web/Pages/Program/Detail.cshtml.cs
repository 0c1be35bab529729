using Microsoft.Extensions.Localization;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Web.Display;
using Tuntas.Web.Uploads;

namespace Tuntas.Web.Pages.Program;

/// <summary>
/// One program: its data, the budget per year against what was paid, its recipients (in the user's region, 50 a page,
/// identifiers masked unless the role may see them) with each enrollment's history and the form that suspends or ends
/// it, and the upload of a recipient list matched in the request ("Cocokkan saja": report only). Writes need
/// <see cref="TuntasClaims.CanManagePrograms"/>; all forms are POSTs, so no identifier appears in a URL.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("program", "code")]
public sealed class DetailModel(TuntasDb db, SetBudget setBudget, ChangeEnrollment changeEnrollment, ImportRecipients importRecipients,
    BudgetRealization realization, Tuntas.Collaboration.Stakeholders.ProgramRoles programRoles, TimeProvider clock, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>Who owns, funds, implements, accompanies, distributes and monitors the program.</summary>
    public IReadOnlyList<Tuntas.Collaboration.Stakeholders.ProgramRoles.Line> Roles { get; private set; } = [];

    public ProgramCatalogue.ProgramView Program { get; private set; } = null!;

    public ListEnrollments.EnrollmentPage Enrollments { get; private set; } = null!;

    public IReadOnlyDictionary<long, IReadOnlyList<ListEnrollments.EventView>> History { get; private set; } = new Dictionary<long, IReadOnlyList<ListEnrollments.EventView>>();

    public IReadOnlyList<ProgramBudget> Budgets { get; private set; } = [];

    public BudgetRealization.Line? Realization { get; private set; }

    public RecipientMatchReport? Report { get; private set; }

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    public int Year { get; private set; }

    [FromQuery(Name = "hal")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public int BudgetYear { get; set; }

    [BindProperty]
    public string? BudgetAmount { get; set; }

    [BindProperty]
    public long EnrollmentId { get; set; }

    [BindProperty]
    public string? Status { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public DateOnly? EffectiveOn { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public bool DryRun { get; set; }

    /// <summary>An agency officer manages only its own OPD's programs (<see cref="Tuntas.Access.ProgramOwnership"/>).</summary>
    public bool CanManage => User.Has(ProgramPermissions.Manage) && (Program is null || User.MayManage(Program.OwnerName));

    private async Task<bool> MayManageAsync(string code, CancellationToken cancellationToken) =>
        User.Has(ProgramPermissions.Manage) && await ProgramCatalogue.FindAsync(db, code, cancellationToken) is { } program && User.MayManage(program.OwnerName);

    public long MaxMegabytes => UploadKind.RecipientList.MaxBytes / (1024 * 1024);

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAnggaranAsync(string code, CancellationToken cancellationToken)
    {
        if (!await MayManageAsync(code, cancellationToken))
        {
            return Forbid();
        }
        var (budget, problem, problemEn) = await setBudget.RunAsync(code, BudgetYear, BudgetAmount ?? "", cancellationToken);
        if (budget is null)
        {
            Error = Show.Text(problem!, problemEn);
        }
        else
        {
            Done = text["Programs.BudgetSaved", BudgetYear];
        }
        return await LoadAsync(code, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostStatusAsync(string code, CancellationToken cancellationToken)
    {
        if (!await MayManageAsync(code, cancellationToken))
        {
            return Forbid();
        }
        if (!await ListEnrollments.MayChangeAsync(db, EnrollmentId, User.AccessScope(), User.Role(), User.OrganizationOf(), cancellationToken))
        {
            return NotFound();
        }
        var outcome = await changeEnrollment.RunAsync(new ChangeEnrollment.Input(EnrollmentId, Status ?? "",
            string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(), EffectiveOn, Note, User.UserName()), cancellationToken);
        if (outcome.Enrollment is null)
        {
            Error = Show.Text(outcome.Problem!, outcome.ProblemEn);
        }
        else
        {
            Done = text["Programs.StatusSaved", EnrollmentId];
        }
        return await LoadAsync(code, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostUnggahAsync(string code, CancellationToken cancellationToken)
    {
        if (!await MayManageAsync(code, cancellationToken))
        {
            return Forbid();
        }
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }
        var outcome = await RecipientListUpload.MatchAsync(Upload, Program.Code, DryRun, User.UserName(), importRecipients, cancellationToken);
        if (outcome.Report is null)
        {
            Error = Show.Text(outcome.Refusal!);
            return Page();
        }
        Report = outcome.Report;
        if (Report.Committed)
        {
            await LoadAsync(code, cancellationToken);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(string code, CancellationToken cancellationToken)
    {
        if (await ProgramCatalogue.FindAsync(db, code, cancellationToken) is not { } program)
        {
            return false;
        }
        Program = program;
        Year = clock.GetUtcNow().Year;
        if (BudgetYear == 0)
        {
            BudgetYear = Year;
        }
        Budgets = await db.ProgramBudgets.AsNoTracking().Where(b => b.ProgramId == program.Id).OrderByDescending(b => b.Year).ToListAsync(cancellationToken);
        Realization = (await realization.RunAsync(Year, cancellationToken)).Programs.FirstOrDefault(l => l.Program == program.Code);
        Enrollments = await ListEnrollments.RunAsync(db, program, User.AccessScope(), User.Has(RegistryPermissions.SeeSensitive), PageNumber, cancellationToken);
        History = await ListEnrollments.HistoryAsync(db, [.. Enrollments.Items.Select(e => e.Id)], cancellationToken);
        Roles = await programRoles.ListAsync(null, program.Id, cancellationToken);
        return true;
    }
}

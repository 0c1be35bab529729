using Microsoft.Extensions.Localization;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Web.Display;
using Tuntas.Web.Uploads;

namespace Tuntas.Web.Pages.Program;

/// <summary>
/// One program: its data, the budget per year against what was paid, its recipients (in the user's region, 50 a page,
/// narrowed by name and kecamatan/village, sortable) with each enrollment's history and the form that suspends or ends
/// it, and the upload of a recipient list matched in the request ("Cocokkan saja": report only). NIK and NO_KK are
/// masked for every role; a role that verifies identities reveals the page shown by an audited action ("BukaNik",
/// UU PDP 27/2022). Writes need <see cref="TuntasClaims.CanManagePrograms"/>; the name filter and all forms are POSTs,
/// so no name or identifier appears in a URL.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("program", "code", ReadsOnPost = true)]
public sealed class DetailModel(TuntasDb db, SetBudget setBudget, ChangeEnrollment changeEnrollment, ImportRecipients importRecipients,
    BudgetRealization realization, Tuntas.Collaboration.Stakeholders.ProgramRoles programRoles, ProgramFigures programFigures, TimeProvider clock,
    IStringLocalizer<SharedResource> text, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency, Tuntas.Web.Imports.UploadOptions uploads,
    Tuntas.Web.Uploads.FileReadGate gate) : PageModel
{
    /// <summary>The program's headline figures in the reader's area, each with its source and run (<see cref="ProgramFigures"/>).</summary>
    public ProgramFigures.Outcome? Figures { get; private set; }

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

    /// <summary>The regency's year: on 1 January before 07:00 WIB, UTC is still in last year.</summary>
    public int Year { get; private set; }

    [BindProperty(SupportsGet = true, Name = "hal")]
    public int PageNumber { get; set; } = 1;

    /// <summary>Part of a recipient's name (any member of the family); by POST only.</summary>
    [BindProperty]
    public string? Cari { get; set; }

    /// <summary>A kecamatan or village offered by <see cref="Regions"/>.</summary>
    [BindProperty(SupportsGet = true, Name = "wilayah")]
    public string? Wilayah { get; set; }

    /// <summary>One of <see cref="ListEnrollments.Sorts"/>.</summary>
    [BindProperty(SupportsGet = true, Name = "urut")]
    public string? Urut { get; set; }

    /// <summary>The kecamatan and villages of the reader's scope, for the region filter.</summary>
    public IReadOnlyList<Tuntas.Regions.RegionChoices.District> Regions { get; private set; } = [];

    /// <summary>True when this response shows the page's full NIK and NO_KK (an audited reveal).</summary>
    public bool Revealed { get; private set; }

    public bool CanReveal => User.Has(RegistryPermissions.SeeFullIdentifiers);

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

    /// <summary>The month (YYYY-MM) of rows that pay without a PERIODE: a SIKS-NG phase list names it only in its title.</summary>
    [BindProperty(Name = "Periode")]
    public string? Period { get; set; }

    /// <summary>The token of the list matched without errors and kept for "enroll this list" (<see cref="RecipientListUpload.EnrollKeptAsync"/>):
    /// shown after a match-only run, posted back by its button; never in a URL.</summary>
    [BindProperty(Name = "berkas")]
    public string? KeptToken { get; set; }

    /// <summary>An agency officer manages only its own OPD's programs (<see cref="Tuntas.Access.ProgramOwnership"/>).</summary>
    public bool CanManage => User.Has(ProgramPermissions.Manage) && (Program is null || User.MayManage(Program.OwnerName));

    private async Task<bool> MayManageAsync(string code, CancellationToken cancellationToken) =>
        User.Has(ProgramPermissions.Manage) && await ProgramCatalogue.FindAsync(db, code, cancellationToken) is { } program && User.MayManage(program.OwnerName);

    public long MaxMegabytes => UploadKind.RecipientList.MaxBytes / (1024 * 1024);

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    /// <summary>The recipient list narrowed or paged (the filter form and the pager post here).</summary>
    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    /// <summary>
    /// The same page of recipients with full NIK and NO_KK, for a role that verifies identities (SIKS-NG, Dukcapil):
    /// recorded in the audit trail as a reveal of that list, never shown by default.
    /// </summary>
    public async Task<IActionResult> OnPostBukaNikAsync(string code, CancellationToken cancellationToken)
    {
        if (!CanReveal)
        {
            return Forbid();
        }
        Revealed = true;
        return await LoadAsync(code, cancellationToken) ? Page() : NotFound();
    }

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
        return await ShowAsync(code, await RecipientListUpload.MatchAsync(Upload, Program.Code, DryRun, Period, User.UserName(), User.AccessScope(), importRecipients,
            gate, cancellationToken, keepIn: uploads), cancellationToken);
    }

    /// <summary>"Enroll this list": the file the same user matched a moment ago, matched again and committed.</summary>
    public async Task<IActionResult> OnPostDaftarkanAsync(string code, CancellationToken cancellationToken)
    {
        if (!await MayManageAsync(code, cancellationToken))
        {
            return Forbid();
        }
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }
        return await ShowAsync(code, await RecipientListUpload.EnrollKeptAsync(KeptToken, Program.Code, User.UserName(), User.AccessScope(), importRecipients,
            gate, uploads, clock, cancellationToken), cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(string code, RecipientListUpload.Outcome outcome, CancellationToken cancellationToken)
    {
        KeptToken = outcome.Kept;
        if (outcome.Report is null)
        {
            Error = Show.Text(outcome.Refusal!);
            return Page();
        }
        Report = outcome.Report;
        if (Report.Committed)
        {
            // The audit entry names the list and what it wrote, as the CLI's does.
            Tuntas.Web.Security.AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture,
                $"penerima {Report.File}: {Report.Enrolled} baru, {Report.DisbursementsAdded} penyaluran"));
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
        Year = regency.Value.Today(clock).Year;
        if (BudgetYear == 0)
        {
            BudgetYear = Year;
        }
        Budgets = await db.ProgramBudgets.AsNoTracking().Where(b => b.ProgramId == program.Id).OrderByDescending(b => b.Year).ToListAsync(cancellationToken);
        Realization = (await realization.RunAsync(Year, cancellationToken)).Programs.FirstOrDefault(l => l.Program == program.Code);
        Regions = await Tuntas.Regions.RegionChoices.RunAsync(db, regency.Value.Regency, User.AccessScope(), cancellationToken);
        if (Wilayah is { Length: > 0 } && !Tuntas.Regions.RegionChoices.Offers(Regions, Wilayah))
        {
            Error ??= text["Filter.UnknownRegion"];
            Wilayah = null;
        }
        Urut = ListEnrollments.Sorts.Contains(Urut) ? Urut : ListEnrollments.Sorts[0];
        Enrollments = await ListEnrollments.RunAsync(db, program, User.AccessScope(), Revealed, PageNumber, cancellationToken,
            new ListEnrollments.Filter(Cari, Wilayah, Urut));
        History = await ListEnrollments.HistoryAsync(db, [.. Enrollments.Items.Select(e => e.Id)], cancellationToken);
        Roles = await programRoles.ListAsync(null, program.Id, cancellationToken);
        Figures = await programFigures.RunAsync(new ProgramFigures.Input(program.Code, regency.Value.Regency, User.AccessScope()), cancellationToken);
        return true;
    }
}

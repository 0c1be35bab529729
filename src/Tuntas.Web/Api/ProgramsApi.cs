using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Tuntas.Audit;
using Tuntas.Programs;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Web.Uploads;

namespace Tuntas.Web.Api;

/// <summary>
/// The programs API: catalogue, budgets, recipients and enrollments, recipient list upload with its match
/// report, everything one family receives, the overlap matrix, targeting errors with the worklist, and budget against
/// realization. Signed-in users and API clients read; writes need <see cref="ProgramPermissions.Manage.Name"/> (403 otherwise).
/// Problems are a 400 ValidationProblem listing every issue in Indonesian and English. Lists of families are limited to
/// the caller's region scope; identifiers are masked unless the role may see them, and never travel in a URL.
/// </summary>
public static class ProgramsApi
{
    public static RouteGroupBuilder MapProgramsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags(ApiTexts.Both("Api.Tag.Programs"));

        api.MapGet("/programs", ListAsync)
            .WithSummary("The program catalogue")
            .WithDescription("Every program with owner, funding source, target unit, benefit, amount per period (amountVerified = false: from an unverified source), quota and open enrollments.");
        api.MapPost("/programs", SaveAsync)
            .RequireAuthorization(ProgramPermissions.Manage.Name)
            .WithSummary("Add or update a program")
            .WithDescription("Body {code, name, ownerKind, ownerName, fundingSource, targetUnit, benefitKind, amount (as written: 300000, 300.000, Rp 300 rb), period, quota, amountVerified, sourceNote, active}. Every problem is listed. Administrator, koordinator-tkpkd and petugas-opd only.");
        api.MapGet("/programs/overlap", OverlapAsync)
            .WithSummary("Overlap matrix program × program")
            .WithDescription("Families receiving both programs (open enrollments); the diagonal is each program's families; families receiving any and two or more.");
        api.MapGet("/programs/errors", ErrorsAsync)
            .WithSummary("Inclusion and exclusion errors against a targeting run")
            .WithDescription("run = run id (default: latest), program = one program code, region = kecamatan or desa code prefix (narrowed to the caller's scope). Counts only, and the size of the by-name worklist.");
        api.MapGet("/programs/errors/worklist", WorklistAsync)
            .ReadsPersonalData("program", null)
            .WithSummary("By-name worklist of targeting errors (XLSX or CSV)")
            .WithDescription("Same filters as /api/programs/errors; format = xlsx (default) or csv. NO_KK masked; full=true gives it in full to a role that " +
                "verifies identities, recorded in the audit trail with the download.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        api.MapGet("/programs/realization", RealizationAsync)
            .WithSummary("Budget against realization for a year")
            .WithDescription("Per program and per funding source: budget, disbursed in the year's periods, recipients paid, open enrollments.");
        api.MapGet("/programs/{code}", GetAsync)
            .WithSummary("One program with its budgets")
            .WithDescription("The program and its budget per year.");
        api.MapPut("/programs/{code}/budgets/{year:int}", SetBudgetAsync)
            .RequireAuthorization(ProgramPermissions.Manage.Name)
            .WithSummary("Set a program's budget for a year")
            .WithDescription("Body {amount} as written on a DPA: 1.500.000.000 or Rp 1,5 M.");
        api.MapGet("/programs/{code}/enrollments", EnrollmentsAsync)
            .ReadsPersonalData("program", "code")
            .WithSummary("A program's recipients, 50 a page")
            .WithDescription("Open enrollments first, in the caller's region, then by sort = desa (default) | nama | mulai | status; region = a kecamatan " +
                "or village code narrows the list. NIK and NO_KK are masked for every role; full=true shows them to a role that verifies identities and " +
                "is recorded in the audit trail as such. page = 1, 2, …");
        api.MapPost("/programs/{code}/recipients", RecipientsAsync)
            .RequireAuthorization(ProgramPermissions.Manage.Name)
            .DisableAntiforgery() // API clients carry no antiforgery token; the cookie is SameSite=Strict.
            .WithSummary("Upload a recipient list (BNBA) and get its match report")
            .WithDescription("multipart/form-data with 'file' (CSV or XLSX: NIK and/or NO_KK, NAMA; optional NOMINAL, PERIODE, TAHAP, TANGGAL_SALUR, SALURAN, TANGGAL_MULAI, NOMOR_KARTU, IDSEMESTA, IDARTBDT; the ministry's column names too). Matches only unless dryRun=false (the default is true: a call without it writes nothing). period=YYYY-MM is the month of rows that pay a NOMINAL without a PERIODE of their own (a SIKS-NG phase list names its month only in the title); a row's own PERIODE stands, and the report says the period and how many rows took it (period, periodGiven). Returns the report: matched, nameMismatch, keyMismatch (NIK and NO_KK name different families, or an unknown NIK beside a registered NO_KK: enrolled, listed), reEnrolled (had left the program: enrolled again, listed), notFound, outsideScope (registered outside the caller's area: not enrolled, not named), notLiving (died or moved in the registry: not enrolled), duplicates, alreadyEnrolled, errors, paymentsDiffering (a month and phase already recorded at another amount: listed as paymentDiffers, the record kept) and the listed rows (identifiers masked). With errors nothing is written. 503 SERVER_BUSY with Retry-After when the server is already reading as many files as it reads at once: send the same request again later.");
        api.MapPost("/enrollments/{id:long}/status", ChangeStatusAsync)
            .RequireAuthorization(ProgramPermissions.Manage.Name)
            .WithSummary("Suspend, re-activate or end an enrollment")
            .WithDescription("Body {status: terdaftar|ditangguhkan|keluar, reason (for keluar: pindah, meninggal, graduasi, menolak, tidak-ditemukan, tidak-memenuhi-syarat), effectiveOn?, note?}. Recorded in the enrollment's history.");
        api.MapGet("/families/{id:long}/assistance", FamilyAssistanceAsync)
            .ReadsPersonalData("keluarga", "id", AuditActions.ViewFamily)
            .WithSummary("Everything one family receives")
            .WithDescription("Every enrollment of the family or its members with history, paid in the year, yearly value and the double receipt flag; totals. year defaults to this year.");
        return api;
    }

    public sealed record SaveRequest(string? Code, string? Name, string? OwnerKind, string? OwnerName, string? FundingSource, string? TargetUnit,
        string? BenefitKind, string? Amount, string? Period, int? Quota, bool AmountVerified, string? SourceNote, bool? Active);

    public sealed record BudgetRequest(string? Amount);

    public sealed record StatusRequest(string? Status, string? Reason, DateOnly? EffectiveOn, string? Note);

    public sealed record ProgramDetail(ProgramCatalogue.ProgramView Program, IReadOnlyList<BudgetView> Budgets);

    public sealed record BudgetView(int Year, long Amount);

    public sealed record ErrorCounts(long RunId, string? Program, string? Region, IReadOnlyList<TargetingErrorReport.Cell> Regency,
        IReadOnlyList<TargetingErrorReport.Cell> Villages, int Desil1Families, int Desil1ReceivingNothing, IReadOnlyDictionary<string, int> Desil1NothingByVillage, int Worklist);

    public sealed record EnrollmentChanged(long Id, string Status, DateOnly? EndedOn, string? ExitReason, IReadOnlyList<ListEnrollments.EventView> History);


    private static async Task<Ok<IReadOnlyList<ProgramCatalogue.ProgramView>>> ListAsync(TuntasDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ProgramCatalogue.ListAsync(db, cancellationToken));

    private static async Task<Results<Ok<ProgramCatalogue.ProgramView>, ValidationProblem, ForbidHttpResult>> SaveAsync(
        SaveRequest request, ClaimsPrincipal user, TuntasDb db, SaveProgram save, CancellationToken cancellationToken)
    {
        // An agency officer adds and edits only programs owned by its own OPD.
        var existing = await ProgramCatalogue.FindAsync(db, request.Code ?? "", cancellationToken);
        if (!user.MayManage(request.OwnerName ?? "") || (existing is not null && !user.MayManage(existing.OwnerName)))
        {
            return TypedResults.Forbid();
        }
        var outcome = await save.RunAsync(new SaveProgram.Input(request.Code ?? "", request.Name ?? "", request.OwnerKind ?? "", request.OwnerName ?? "",
            request.FundingSource ?? "", request.TargetUnit ?? "", request.BenefitKind ?? "", request.Amount, request.Period ?? "", request.Quota,
            request.AmountVerified, request.SourceNote, request.Active ?? true), cancellationToken);
        if (outcome.Saved is not { } saved)
        {
            return ApiProblems.Refused(outcome.Problems);
        }
        return TypedResults.Ok((await ProgramCatalogue.FindAsync(db, saved.Code, cancellationToken))!);
    }

    private static async Task<Results<Ok<ProgramDetail>, NotFound>> GetAsync(string code, TuntasDb db, CancellationToken cancellationToken)
    {
        if (await ProgramCatalogue.FindAsync(db, code, cancellationToken) is not { } program)
        {
            return TypedResults.NotFound();
        }
        var budgets = await db.ProgramBudgets.AsNoTracking().Where(b => b.ProgramId == program.Id).OrderBy(b => b.Year)
            .Select(b => new BudgetView(b.Year, b.Amount)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ProgramDetail(program, budgets));
    }

    private static async Task<Results<Ok<BudgetView>, NotFound, ValidationProblem, ForbidHttpResult>> SetBudgetAsync(
        string code, int year, BudgetRequest request, ClaimsPrincipal user, TuntasDb db, SetBudget setBudget, CancellationToken cancellationToken)
    {
        if (await ProgramCatalogue.FindAsync(db, code, cancellationToken) is not { } program)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayManage(program.OwnerName))
        {
            return TypedResults.Forbid();
        }
        var (budget, problem, problemEn) = await setBudget.RunAsync(code, year, request.Amount ?? "", cancellationToken);
        return budget is null ? ApiProblems.Refused("amount", "AMOUNT", problem!, problemEn ?? problem!) : TypedResults.Ok(new BudgetView(budget.Year, budget.Amount));
    }

    private static async Task<Results<Ok<ListEnrollments.EnrollmentPage>, NotFound>> EnrollmentsAsync(
        string code, [FromQuery] int? page, [FromQuery] string? region, [FromQuery] string? sort, [FromQuery] bool? full,
        ClaimsPrincipal user, TuntasDb db, HttpContext context, CancellationToken cancellationToken)
    {
        if (await ProgramCatalogue.FindAsync(db, code, cancellationToken) is not { } program)
        {
            return TypedResults.NotFound();
        }
        // Masked for every role unless asked with full=true by a role that verifies identities; the audit entry says so.
        var reveal = full == true && user.Has(RegistryPermissions.SeeFullIdentifiers);
        AuditDetail.Set(context, string.Create(CultureInfo.InvariantCulture, $"halaman {page ?? 1}{(reveal ? ", NIK lengkap" : "")}"));
        return TypedResults.Ok(await ListEnrollments.RunAsync(db, program, user.AccessScope(), reveal, page ?? 1, cancellationToken,
            new ListEnrollments.Filter(null, region, ListEnrollments.Sorts.Contains(sort) ? sort : null)));
    }

    private static async Task<Results<Ok<RecipientMatchReport>, NotFound, ValidationProblem, ForbidHttpResult, ProblemHttpResult>> RecipientsAsync(
        string code, [FromQuery] bool? dryRun, [FromQuery] string? period, IFormFile? file, ClaimsPrincipal user, TuntasDb db, ImportRecipients import, FileReadGate gate,
        HttpContext context, CancellationToken cancellationToken)
    {
        if (await ProgramCatalogue.FindAsync(db, code, cancellationToken) is not { } program)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayManage(program.OwnerName))
        {
            return TypedResults.Forbid();
        }
        if (!string.IsNullOrWhiteSpace(period) && RecipientListFields.Period(period) is null)
        {
            var given = period.Trim().Length > 20 ? period.Trim()[..20] + "…" : period.Trim();
            return ApiProblems.Refused("period", "PERIOD_FORMAT", $"period harus YYYY-MM (mis. 2026-03), bukan '{given}'.",
                $"period must be YYYY-MM (e.g. 2026-03), not '{given}'.");
        }
        var outcome = await RecipientListUpload.MatchAsync(file, program.Code, dryRun ?? true, period, user.UserName(), user.AccessScope(), import, gate, cancellationToken);
        if (outcome.Report is { } report)
        {
            return TypedResults.Ok(report);
        }
        return FileReadGate.IsBusy(outcome.Refusal) ? ApiProblems.Busy(context, outcome.Refusal!, FileReadGate.RetryAfter) : ApiProblems.Refused(outcome.Refusal!);
    }

    private static async Task<Results<Ok<EnrollmentChanged>, NotFound, ValidationProblem>> ChangeStatusAsync(
        long id, StatusRequest request, ClaimsPrincipal user, TuntasDb db, ChangeEnrollment change, CancellationToken cancellationToken)
    {
        if (!await ListEnrollments.MayChangeAsync(db, id, user.AccessScope(), user.Role(), user.OrganizationOf(), cancellationToken))
        {
            return TypedResults.NotFound();
        }
        var outcome = await change.RunAsync(new ChangeEnrollment.Input(id, request.Status ?? "", string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(),
            request.EffectiveOn, request.Note, user.UserName()), cancellationToken);
        if (outcome.Enrollment is not { } enrollment)
        {
            return ApiProblems.Refused("status", "STATUS", outcome.Problem!, outcome.ProblemEn ?? outcome.Problem!);
        }
        var history = await ListEnrollments.HistoryAsync(db, [enrollment.Id], cancellationToken);
        return TypedResults.Ok(new EnrollmentChanged(enrollment.Id, enrollment.Status, enrollment.EndedOn, enrollment.ExitReason, history.GetValueOrDefault(enrollment.Id) ?? []));
    }

    private static async Task<Results<Ok<FamilyAssistance.Outcome>, NotFound>> FamilyAssistanceAsync(
        long id, [FromQuery] int? year, ClaimsPrincipal user, TuntasDb db, FamilyAssistance assistance, TimeProvider clock, IOptions<RegencyOptions> regency,
        CancellationToken cancellationToken)
    {
        if (!await user.AccessScope().Apply(db.Families).AsNoTracking().AnyAsync(f => f.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        var y = year is >= 2000 and <= 2100 ? year.Value : ThisYear(clock, regency);
        return TypedResults.Ok(await assistance.RunAsync(id, y, cancellationToken));
    }

    private static async Task<Ok<OverlapMatrix.Outcome>> OverlapAsync(OverlapMatrix overlap, CancellationToken cancellationToken) =>
        TypedResults.Ok(await overlap.RunAsync(cancellationToken));

    private static async Task<Results<Ok<ErrorCounts>, NotFound, ValidationProblem>> ErrorsAsync(
        [FromQuery] long? run, [FromQuery] string? program, [FromQuery] string? region, ClaimsPrincipal user, TuntasDb db,
        TargetingErrorReport report, HttpContext context, CancellationToken cancellationToken)
    {
        var (outcome, scope, issues) = await ReportAsync(run, program, region, user, db, report, cancellationToken);
        if (outcome is null)
        {
            return issues is null ? TypedResults.NotFound() : ApiProblems.Refused(issues);
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ErrorCounts(outcome.RunId, string.IsNullOrWhiteSpace(program) ? null : program.Trim().ToUpperInvariant(), scope,
            outcome.Regency, outcome.Villages, outcome.Desil1Families, outcome.Desil1ReceivingNothing, outcome.Desil1NothingByVillage, outcome.Worklist.Count));
    }

    private static async Task<Results<PushStreamHttpResult, NotFound, ValidationProblem>> WorklistAsync(
        [FromQuery] long? run, [FromQuery] string? program, [FromQuery] string? region, [FromQuery] string? format, [FromQuery] bool? full, ClaimsPrincipal user, TuntasDb db,
        TargetingErrorReport report, ExportErrorWorklist export, HttpContext context, CancellationToken cancellationToken)
    {
        var (outcome, _, issues) = await ReportAsync(run, program, region, user, db, report, cancellationToken);
        if (outcome is null)
        {
            return issues is null ? TypedResults.NotFound() : ApiProblems.Refused(issues);
        }
        var xlsx = !string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        context.Response.Headers.CacheControl = "no-store";
        var reveal = full == true && user.Has(RegistryPermissions.SeeFullIdentifiers);
        AuditDetail.Set(context, reveal ? "daftar kerja galat, NO_KK lengkap" : "daftar kerja galat");
        return TypedResults.Stream(async stream =>
        {
            // The XLSX writer needs a seekable stream (a ZIP); a regency's worklist is a few MB at most.
            using var buffer = new MemoryStream();
            await export.RunAsync(outcome.Worklist, buffer, xlsx, reveal, cancellationToken);
            buffer.Position = 0;
            await buffer.CopyToAsync(stream, cancellationToken);
        }, xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
            string.Create(CultureInfo.InvariantCulture, $"daftar-kerja-galat-{outcome.RunId}.{(xlsx ? "xlsx" : "csv")}"));
    }

    /// <summary>The report for the filters, or null with the issues (null issues: no such run, or no run at all).</summary>
    private static async Task<(TargetingErrorReport.Outcome? Outcome, string? Scope, IReadOnlyList<TargetingIssue>? Issues)> ReportAsync(
        long? run, string? program, string? region, ClaimsPrincipal user, TuntasDb db, TargetingErrorReport report, CancellationToken cancellationToken)
    {
        var runs = await RunViews.RecentAsync(db, 1, cancellationToken);
        if (runs.Count == 0 || (run is { } id && await RunViews.FindAsync(db, id, cancellationToken) is null))
        {
            return (null, null, null);
        }
        var scope = TuntasClaims.RequestedRegion(region);
        try
        {
            var outcome = await report.RunAsync(new TargetingErrorReport.Input(run ?? runs[0].Id, string.IsNullOrWhiteSpace(program) ? null : program.Trim(), scope,
                user.AccessScope()), cancellationToken);
            return (outcome, scope, null);
        }
        catch (TargetingException e)
        {
            return (null, scope, e.Issues);
        }
    }

    private static async Task<Ok<BudgetRealization.Outcome>> RealizationAsync([FromQuery] int? year, BudgetRealization realization, TimeProvider clock,
        IOptions<RegencyOptions> regency, CancellationToken cancellationToken) =>
        TypedResults.Ok(await realization.RunAsync(year is >= 2000 and <= 2100 ? year.Value : ThisYear(clock, regency), cancellationToken));

    /// <summary>The regency's year, the default of payments and budgets: on 1 January before 07:00 WIB, UTC is still in last year.</summary>
    private static int ThisYear(TimeProvider clock, IOptions<RegencyOptions> regency) => regency.Value.Today(clock).Year;
}

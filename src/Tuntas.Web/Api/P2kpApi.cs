using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tuntas.P2kp;
using Tuntas.P2kp.Institutions;
using Tuntas.P2kp.LoanBook;
using Tuntas.P2kp.Loans;
using Tuntas.P2kp.Performance;
using Tuntas.P2kp.Planning;
using Tuntas.P2kp.Works;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Users;
using Tuntas.Web.P2kp;

namespace Tuntas.Web.Api;

/// <summary>
/// P2KP through the API (docs/p2kp.md): UPK performance as of a date (the JSON of LOAN-BOOK-FORMAT.md §7), members' graduation, the community's mapping (pemetaan swadaya), the BKMs' plans and their activities, the loan-book
/// import, UPKs and KSM within the caller's scope, and a loan's life — proposal, decision, disbursement, repayment
/// (a receipt recorded twice is refused), write-off, restructuring — through the same Core use cases as the back office (/P2kp).
/// </summary>
public static class P2kpApi
{
    public sealed record ProposeRequest(long KsmId, long Principal, decimal RatePercent, string Method, int TermMonths, DateOnly? ProposedOn, Dictionary<long, long> Shares);

    public sealed record DecideRequest(bool Approve, DateOnly? On, string? Reason);

    public sealed record DisburseRequest(DateOnly DisbursedOn, DateOnly FirstDueOn);

    public sealed record RepaymentRequest(DateOnly PaidOn, long Principal, long Service, string? Receipt);

    public sealed record WriteOffRequest(DateOnly On, string? Reason);

    public sealed record RestructureRequest(DateOnly On, string? Reason, int TermMonths, DateOnly FirstDueOn);

    public sealed record MappingRequest(string KodeDesa, string? Rt, int? Tahun, Dictionary<long, string?>? Kategori);

    public sealed record PlanRequest(long BkmId, string? Kind, int Year, string? Title);

    public sealed record ActivityRequest(long? ActivityId, string? Pillar, string? Name, Dictionary<string, SaveActivity.Line>? Budget, long? CommitmentId,
        double? Latitude, double? Longitude, long? SwadayaInKind);

    public sealed record BeneficiariesRequest(List<long>? Add, List<long>? Remove);

    public sealed record ProgressRequest(DateOnly? On, int Percent, string? Note);

    public sealed record GrantRequest(long BkmId, long FamilyId, DateOnly? GivenOn, string? Kind, long Amount, string? InKind, string? Source);

    public sealed record KsmRow(long Id, string Kode, string Name, string Upk, string KodeDesa, string Jenis, DateOnly? FormedOn, DateOnly? DissolvedOn, int Members, string? Facilitator);

    public sealed record MemberRow(long Id, string Nik, string Name, string Role, long? PersonId);

    public static RouteGroupBuilder MapP2kpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/upk").RequireAuthorization().WithTags("P2KP: UPK, KSM");
        api.MapGet("/kinerja", KinerjaAsync)
            .WithSummary("UPK performance as of a date").WithDescription("per=YYYY-MM-DD (default today), upk=KODE_UPK (optional): RR, PAR, LAR, CCR, ROI with grades, kolektibilitas, outstanding, active loans and KSM, per UPK and in total (LOAN-BOOK-FORMAT.md §7). UPKs within the caller's scope.");
        api.MapGet("/kelulusan", GraduationAsync)
            .WithSummary("Graduation of KSM members' families").WithDescription("upk=KODE_UPK (optional; then also per KSM): members' families linked to the registry by desil at joining (the targeting run current at the join date) and now (the latest run), how many were in desil 1–4 at joining, are now, left and entered it. Counts only, UPKs within the caller's scope; a UPK outside it → 404.");
        api.MapGet("/pemetaan/{desa}", MappingAsync).ReadsPersonalData("pemetaan-swadaya", "desa")
            .WithSummary("Pemetaan swadaya of a desa").WithDescription("tahun=YYYY (default this year), rt= (optional: that RT's families with their category): counts per RT, and the families on which the community's category and the latest run's desil disagree (miskin but desil 6–10, tidak miskin but desil 1–2), NO_KK masked. 404 outside the caller's villages; not for partners.");
        api.MapPost("/pemetaan", RecordMappingAsync)
            .WithSummary("Record the community's mapping of an RT").WithDescription("Body {kodeDesa, rt, tahun, kategori {familyId: \"miskin\" | \"hampir miskin\" | \"tidak miskin\" | 1–3}}; families of that RT in the registry; a family has one category per year (a new one replaces it). 400 with problem codes (REQUIRED, OUT_OF_RANGE, INVALID_CODE, FAMILY_NOT_IN_RT, FORBIDDEN): nothing written. 200 {recorded}; read the comparison with GET /pemetaan/{desa}.");
        api.MapGet("/rencana", PlansAsync).WithSummary("BKM plans (PJM Pronangkis, Renta) within the caller's scope").WithDescription("Each with its number of activities, budget and realisation.");
        api.MapGet("/rencana/{id:long}", PlanAsync).WithSummary("One plan with its activities")
            .WithDescription("Activities per pillar (EKONOMI/UPK, SOSIAL/UPS, LINGKUNGAN/UPL) with budget by source {planned, realised}, the CSR commitment funding each (funding), totals per pillar, per source and overall. 404 outside the caller's scope.");
        api.MapPost("/rencana", SavePlanAsync).WithSummary("Draw up a BKM plan")
            .WithDescription("Body {bkmId, kind PJM|RENTA, year, title}: a PJM covers three years from year; a Renta one year within one of the BKM's PJM (else RENTA_OUTSIDE_PJM). 400 with problem codes, nothing written.");
        api.MapPost("/rencana/{id:long}/kegiatan", SaveActivityAsync).WithSummary("Add or update an activity of a plan")
            .WithDescription("Body {activityId (to update), pillar, name, budget {BLM_APBN|APBD|APBDES|SWADAYA|CSR: {planned, realised}}, commitmentId, latitude, longitude (both or neither, within Indonesia), swadayaInKind}. A commitment funds one activity, of a need of the BKM's desa, not cancelled; the CSR budget may not exceed its value. 400 with problem codes, nothing written.");
        api.MapGet("/peta", MapAsync).WithSummary("Activities with a location, for a map").WithDescription("pilar=EKONOMI|SOSIAL|LINGKUNGAN optional; within the caller's scope; each with its budget and realisation.");
        api.MapGet("/pendanaan/{commitmentId:long}", FundedAsync).WithSummary("The P2KP activity a collaboration commitment funds").WithDescription("404 when it funds none.");
        api.MapPost("/pemetaan/impor", ImportMappingAsync).DisableAntiforgery() // API clients carry no antiforgery token; the cookie is SameSite=Strict.
            .WithSummary("Import the community's mapping of a desa from CSV")
            .WithDescription("Multipart: file (CSV with NO_KK, KATEGORI, optional RT; comma or semicolon), kodeDesa, tahun, dryRun. Every row checked first (row, column, code: REQUIRED, DUPLICATE_KEY, FAMILY_NOT_IN_RT, INVALID_CODE); any error writes nothing (422 with the outcome). 200 {rows, recorded, written}.");
        api.MapGet("/kegiatan", ActivitiesAsync).WithSummary("Every activity of the plans within the caller's scope")
            .WithDescription("rencana=ID optional; format=csv|xlsx for a file (default JSON): plan, BKM, desa, pillar, budget and realisation per source, contribution in kind, location, number of beneficiary families, latest progress percent.");
        api.MapGet("/kegiatan/{id:long}", ActivityAsync).ReadsPersonalData("kegiatan-p2kp", "id").WithSummary("One activity: progress with photos and beneficiary families")
            .WithDescription("Beneficiaries by name (NO_KK masked) for the roles that see the desa's members, null (count only) for the others. 404 outside the caller's scope.");
        api.MapPost("/kegiatan/{id:long}/penerima", BeneficiariesAsync).WithSummary("Name or remove an activity's beneficiary families")
            .WithDescription("Body {add: [familyId], remove: [familyId]}: registry families of the BKM's desa with a living member (FAMILY_OTHER_VILLAGE, NO_LIVING_MEMBER). 400 with problem codes, nothing written.");
        api.MapPost("/kegiatan/{id:long}/kemajuan", ProgressAsync)
            .WithMetadata(new RequestSizeLimitAttribute(RecordProgress.MaxPhotos * Tuntas.Attachments.AttachmentRules.MaxBytes + (1024 * 1024)))
            .Accepts<ProgressRequest>("application/json", "multipart/form-data")
            .WithSummary("Report an activity's progress").WithDescription("Body {on, percent 0–100, note}; with photos: multipart/form-data with on, percent, note and photos (JPEG or PNG by their bytes, ≤ 2 MB each, at most 5). 400 with problem codes (OUT_OF_RANGE, PHOTO_COUNT, ATTACHMENT_TOO_LARGE, ATTACHMENT_TYPE), nothing written.");
        api.MapGet("/kegiatan/{id:long}/foto/{photoId:long}", PhotoAsync).WithSummary("A progress photo (download)");
        api.MapGet("/bantuan", GrantsAsync).ReadsPersonalData("bantuan-ups", null).WithSummary("UPS social grants to families")
            .WithDescription("desa=KODE, tahun=YYYY optional; the BKMs whose members the caller sees (not partners), newest first, with totals per kind.");
        api.MapPost("/bantuan", GiveGrantAsync).WithSummary("Record a UPS social grant to a family")
            .WithDescription("Body {bkmId, familyId, givenOn, kind SANTUNAN|BEASISWA|KESEHATAN|PANGAN|RUMAH|LAINNYA, amount, inKind, source BLM_APBN|APBD|APBDES|SWADAYA|CSR}: an amount or a description in kind; a family of the BKM's desa with a living member (FAMILY_OTHER_VILLAGE, NO_LIVING_MEMBER). 400 with problem codes, nothing written.");
        api.MapPost("/import", ImportAsync).DisableAntiforgery() // API clients carry no antiforgery token; the cookie is SameSite=Strict.
            .WithSummary("Import a UPK loan book").WithDescription("Multipart field 'file' (.xlsx or .zip of CSV), query dryRun=true to check only. 200 with the report when committed or a clean dry run, 422 with the report when the book has errors (nothing written).");
        api.MapGet("/", ListAsync).WithSummary("UPKs within the caller's scope");
        api.MapGet("/ksm", KsmAsync).WithSummary("KSM within the caller's scope").WithDescription("upk=KODE_UPK optional.");
        api.MapGet("/ksm/{id:long}/members", MembersAsync).ReadsPersonalData("ksm", "id").WithSummary("A KSM's members, NIK masked").WithDescription("Not for partners.");
        api.MapGet("/tagihan", WorklistAsync).ReadsPersonalData("tagihan-upk", null).WithSummary("Collection worklist").WithDescription("Running loans in arrears as of per=YYYY-MM-DD, worst first; a facilitator sees the groups they accompany.");
        api.MapPost("/loans", ProposeAsync).WithSummary("Propose a loan for a KSM").WithDescription("Body {ksmId, principal, ratePercent, method FLAT|MENURUN, termMonths, proposedOn, shares {memberId: amount}} — shares sum to the principal.");
        api.MapPost("/loans/{id:long}/decision", DecideAsync).WithSummary("Approve or reject a proposal").WithDescription("Body {approve, on, reason} (reason required to reject).");
        api.MapPost("/loans/{id:long}/disbursement", DisburseAsync).WithSummary("Disburse an approved loan").WithDescription("Body {disbursedOn, firstDueOn}; the schedule is stored.");
        api.MapPost("/loans/{id:long}/repayments", RepayAsync).WithSummary("Record a repayment").WithDescription("Body {paidOn, principal, service, receipt}; the same receipt twice → 422 DUPLICATE; more principal than outstanding → OVERPAID.");
        api.MapPost("/loans/{id:long}/write-off", WriteOffAsync).WithSummary("Write off a disbursed loan").WithDescription("Body {on, reason}. A disbursed loan is never deleted.");
        api.MapPost("/loans/{id:long}/restructure", RestructureAsync).WithSummary("Restructure (reschedule) a disbursed loan")
            .WithDescription("Body {on, reason, termMonths 1–36, firstDueOn after on}. The loan closes as direstrukturisasi; its outstanding principal becomes a new disbursed loan (returned, nomor …-R, restructuredFromId) with the new schedule.");
        api.MapDelete("/loans/{id:long}", WithdrawAsync).WithSummary("Withdraw a loan not yet disbursed").WithDescription("422 LOAN_DISBURSED for a disbursed loan.");
        return api;
    }

    /// <summary>The regency's day (<c>Tuntas:TimeZone</c>): before 07:00 WIB the UTC date is still yesterday.</summary>
    private static DateOnly Today(TimeProvider clock, IOptions<RegencyOptions> regency) => regency.Value.Today(clock);

    private static async Task<Results<Ok<UpkPerformance.Outcome>, ValidationProblem>> KinerjaAsync(string? per, string? upk, ClaimsPrincipal user, UpkPerformance performance,
        TimeProvider clock, IOptions<RegencyOptions> regency, CancellationToken cancellationToken)
    {
        var asOf = Today(clock, regency);
        if (per is not null && !DateOnly.TryParseExact(per, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
        {
            return ApiProblems.Invalid("per", ApiTexts.Both("Api.Date"));
        }
        return TypedResults.Ok(await performance.RunAsync(new UpkPerformance.Input(asOf, upk, user.AccessScope()), cancellationToken));
    }

    private static async Task<Results<Ok<Graduation.Outcome>, NotFound>> GraduationAsync(string? upk, ClaimsPrincipal user, Graduation graduation,
        CancellationToken cancellationToken)
    {
        var outcome = await graduation.RunAsync(new Graduation.Input(upk, user.AccessScope()), cancellationToken);
        return outcome.Problem is null ? TypedResults.Ok(outcome) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<CommunityMapping.Overview>, NotFound>> MappingAsync(string desa, int? tahun, string? rt, ClaimsPrincipal user,
        CommunityMapping mapping, TimeProvider clock, IOptions<RegencyOptions> regency, CancellationToken cancellationToken) =>
        await mapping.ReadAsync(Tuntas.Regions.RegionCode.ToDotted(desa) ?? desa, tahun ?? Today(clock, regency).Year, rt, user.Role(), user.AccessScope(), cancellationToken) is { } overview
            ? TypedResults.Ok(overview) : TypedResults.NotFound();

    private static async Task<Results<Ok<CommunityMapping.Outcome>, ValidationProblem>> RecordMappingAsync(MappingRequest request, ClaimsPrincipal user,
        CommunityMapping mapping, TimeProvider clock, IOptions<RegencyOptions> regency, HttpContext context, CancellationToken cancellationToken)
    {
        var desa = Tuntas.Regions.RegionCode.ToDotted(request.KodeDesa ?? "") ?? request.KodeDesa ?? "";
        var year = request.Tahun ?? Today(clock, regency).Year;
        var outcome = await mapping.RecordAsync(new CommunityMapping.Input(desa, request.Rt, year, request.Kategori ?? [], user.UserName(), user.Role(),
            user.AccessScope()), cancellationToken);
        if (outcome.Problems.Count > 0)
        {
            return ApiProblems.Refused(outcome.Problems);
        }
        AuditDetail.Set(context, string.Create(CultureInfo.InvariantCulture, $"pemetaan swadaya {desa} RT {request.Rt} {year}: {outcome.Recorded} keluarga"));
        return TypedResults.Ok(outcome);
    }

    private static async Task<Ok<IReadOnlyList<ReadPlans.PlanRow>>> PlansAsync(ClaimsPrincipal user, ReadPlans plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.ListAsync(user.AccessScope(), cancellationToken));

    private static async Task<Results<Ok<ReadPlans.PlanView>, NotFound>> PlanAsync(long id, ClaimsPrincipal user, ReadPlans plans, CancellationToken cancellationToken) =>
        await plans.ReadAsync(id, user.AccessScope(), cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<P2kpPlan>, ValidationProblem>> SavePlanAsync(PlanRequest request, ClaimsPrincipal user, SavePlan save, CancellationToken cancellationToken)
    {
        var outcome = await save.RunAsync(new SavePlan.Input(request.BkmId, request.Kind, request.Year, request.Title, user.UserName(), user.Role(), user.AccessScope()), cancellationToken);
        return outcome.Plan is { } plan ? TypedResults.Ok(plan) : ApiProblems.Refused(outcome.Problems);
    }

    private static async Task<Results<Ok<P2kpActivity>, ValidationProblem>> SaveActivityAsync(long id, ActivityRequest request, ClaimsPrincipal user, SaveActivity save,
        CancellationToken cancellationToken)
    {
        var outcome = await save.RunAsync(new SaveActivity.Input(id, request.ActivityId, request.Pillar, request.Name, request.Budget ?? [], request.CommitmentId,
            user.UserName(), user.Role(), user.AccessScope(), request.Latitude, request.Longitude, request.SwadayaInKind ?? 0), cancellationToken);
        return outcome.Activity is { } activity ? TypedResults.Ok(activity) : ApiProblems.Refused(outcome.Problems);
    }

    private static async Task<Ok<IReadOnlyList<ReadPlans.MapPoint>>> MapAsync(string? pilar, ClaimsPrincipal user, ReadPlans plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.MapAsync(string.IsNullOrWhiteSpace(pilar) ? null : pilar.Trim().ToUpperInvariant(), user.AccessScope(), cancellationToken));

    private static async Task<Results<Ok<ReadPlans.FundedActivity>, NotFound>> FundedAsync(long commitmentId, ClaimsPrincipal user, ReadPlans plans, CancellationToken cancellationToken) =>
        (await plans.FundedByAsync([commitmentId], user.AccessScope(), cancellationToken)).TryGetValue(commitmentId, out var funded) ? TypedResults.Ok(funded) : TypedResults.NotFound();

    private static async Task<Results<Ok<ImportCommunityMapping.Outcome>, UnprocessableEntity<ImportCommunityMapping.Outcome>, ValidationProblem>> ImportMappingAsync(
        IFormFile? file, [FromForm] string? kodeDesa, [FromForm] int? tahun, [FromForm] bool? dryRun, ClaimsPrincipal user, ImportCommunityMapping import,
        TimeProvider clock, IOptions<RegencyOptions> regency, HttpContext context, CancellationToken cancellationToken)
    {
        if (await Uploads.UploadCheck.RefusalAsync(file, new Uploads.UploadKind(2L * 1024 * 1024, ".csv"), cancellationToken) is { } refused)
        {
            return ApiProblems.Refused([refused]);
        }
        var desa = Tuntas.Regions.RegionCode.ToDotted(kodeDesa ?? "") ?? kodeDesa ?? "";
        using var reader = new StreamReader(file!.OpenReadStream());
        var outcome = await import.RunAsync(new ImportCommunityMapping.Input(desa, tahun ?? Today(clock, regency).Year, reader, dryRun ?? false, user.UserName(), user.Role(),
            user.AccessScope()), cancellationToken);
        if (outcome.Problems.Count > 0)
        {
            return ApiProblems.Refused(outcome.Problems);
        }
        if (outcome.Errors.Count > 0)
        {
            return TypedResults.UnprocessableEntity(outcome);
        }
        if (outcome.Written)
        {
            AuditDetail.Set(context, string.Create(CultureInfo.InvariantCulture, $"pemetaan swadaya {desa} dari CSV: {outcome.Recorded} keluarga"));
        }
        return TypedResults.Ok(outcome);
    }

    private static async Task<IResult> ActivitiesAsync(long? rencana, string? format, ClaimsPrincipal user, ExportActivities export, CancellationToken cancellationToken)
    {
        var rows = await export.RowsAsync(rencana, user.AccessScope(), cancellationToken);
        if (format is not ("csv" or "xlsx"))
        {
            return TypedResults.Ok(rows);
        }
        var buffer = new MemoryStream();
        await ExportActivities.WriteAsync(buffer, rows, format == "xlsx", cancellationToken);
        return TypedResults.File(buffer.ToArray(), format == "xlsx" ? TableExport.XlsxContentType : TableExport.CsvContentType, "kegiatan-p2kp." + format);
    }

    private static async Task<Results<Ok<ReadActivity.View>, NotFound>> ActivityAsync(long id, ClaimsPrincipal user, ReadActivity read, CancellationToken cancellationToken) =>
        await read.RunAsync(id, user.Role(), user.AccessScope(), cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<ActivityBeneficiaries.Outcome>, ValidationProblem>> BeneficiariesAsync(long id, BeneficiariesRequest request, ClaimsPrincipal user,
        ActivityBeneficiaries beneficiaries, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await beneficiaries.RunAsync(new ActivityBeneficiaries.Input(id, request.Add ?? [], request.Remove ?? [], user.UserName(), user.Role(), user.AccessScope()),
            cancellationToken);
        if (outcome.Problems.Count > 0)
        {
            return ApiProblems.Refused(outcome.Problems);
        }
        AuditDetail.Set(context, string.Create(CultureInfo.InvariantCulture, $"penerima manfaat kegiatan {id}: +{outcome.Added} −{outcome.Removed} keluarga"));
        return TypedResults.Ok(outcome);
    }

    /// <summary>JSON, or multipart/form-data when photos come with the report (each read at most one chunk past the limit).</summary>
    private static async Task<Results<Ok<P2kpProgress>, ValidationProblem>> ProgressAsync(long id, HttpContext http, ClaimsPrincipal user, RecordProgress record,
        TimeProvider clock, IOptions<RegencyOptions> regency, CancellationToken cancellationToken)
    {
        ProgressRequest? request;
        List<Tuntas.Attachments.AttachmentRules.Upload> photos = [];
        try
        {
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(cancellationToken);
                request = new ProgressRequest(
                    DateOnly.TryParseExact(form["on"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on) ? on : null,
                    int.TryParse(form["percent"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent) ? percent : -1, form["note"].ToString());
                photos = await Complaints.ComplaintForm.ReadAttachmentsAsync(form.Files.GetFiles("photos"), cancellationToken);
            }
            else
            {
                request = await http.Request.ReadFromJsonAsync<ProgressRequest>(cancellationToken);
            }
        }
        catch (JsonException)
        {
            request = null;
        }
        var outcome = await record.RunAsync(new RecordProgress.Input(id, request?.On ?? Today(clock, regency), request?.Percent ?? -1, request?.Note, photos,
            user.UserName(), user.Role(), user.AccessScope()), cancellationToken);
        if (outcome.Progress is not { } progress)
        {
            return ApiProblems.Refused(outcome.Problems);
        }
        AuditDetail.Set(http, string.Create(CultureInfo.InvariantCulture, $"kemajuan kegiatan {id}: {progress.Percent} % per {progress.OnDate:yyyy-MM-dd}, {photos.Count} foto"));
        return TypedResults.Ok(progress);
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> PhotoAsync(long id, long photoId, ClaimsPrincipal user, ReadActivity read,
        Tuntas.Attachments.AttachmentStore storage, HttpContext http, CancellationToken cancellationToken)
    {
        if (await read.PhotoAsync(id, photoId, user.AccessScope(), cancellationToken) is not { } photo
            || Attachments.AttachmentDownload.Prepare(http.Response, storage, photo.StoredName, photo.FileName) is not { } file)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.PhysicalFile(file.Path, file.ContentType, file.DownloadName);
    }

    private static async Task<Ok<ReadGrants.Outcome>> GrantsAsync(string? desa, int? tahun, ClaimsPrincipal user, ReadGrants read, CancellationToken cancellationToken) =>
        TypedResults.Ok(await read.RunAsync(desa is null ? null : Tuntas.Regions.RegionCode.ToDotted(desa) ?? desa, tahun, user.Role(), user.AccessScope(), cancellationToken));

    private static async Task<Results<Ok<P2kpGrant>, ValidationProblem>> GiveGrantAsync(GrantRequest request, ClaimsPrincipal user, GiveGrant give,
        TimeProvider clock, IOptions<RegencyOptions> regency, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await give.RunAsync(new GiveGrant.Input(request.BkmId, request.FamilyId, request.GivenOn ?? Today(clock, regency), request.Kind, request.Amount,
            request.InKind, request.Source, user.UserName(), user.Role(), user.AccessScope()), cancellationToken);
        if (outcome.Grant is not { } grant)
        {
            return ApiProblems.Refused(outcome.Problems);
        }
        AuditDetail.Set(context, string.Create(CultureInfo.InvariantCulture,
            $"bantuan UPS #{grant.Id} BKM {grant.BkmId} keluarga #{grant.FamilyId}: {grant.Kind} {grant.Amount} {grant.Source} {grant.GivenOn:yyyy-MM-dd}"));
        return TypedResults.Ok(grant);
    }

    private static async Task<Results<Ok<LoanBookReport>, UnprocessableEntity<LoanBookReport>, BadRequest<LoanBookReport>, ForbidHttpResult>> ImportAsync(
        IFormFile? file, [FromQuery] bool? dryRun, ClaimsPrincipal user, ImportLoanBook import, HttpContext context, CancellationToken cancellationToken)
    {
        if (!P2kpAccess.MayImport(user.Role()))
        {
            return TypedResults.Forbid();
        }
        var report = await LoanBookUpload.ImportAsync(file, dryRun ?? false, user, import, cancellationToken);
        if (report.Committed)
        {
            AuditDetail.Set(context, "buku pinjaman UPK " + report.File + ": " + string.Join(", ", report.Counts.Select(c => $"{c.Key} {c.Value}")));
        }
        return report.ExitCode switch
        {
            0 => TypedResults.Ok(report),
            2 => TypedResults.UnprocessableEntity(report),
            _ => TypedResults.BadRequest(report),
        };
    }

    private static async Task<Ok<List<Upk>>> ListAsync(ClaimsPrincipal user, TuntasDb db, CancellationToken cancellationToken)
    {
        var scope = user.AccessScope();
        var all = await db.Upks.AsNoTracking().OrderBy(u => u.Kode).ToListAsync(cancellationToken);
        return TypedResults.Ok(all.Where(u => scope.AggregatesCover(u.KodeDesa)).ToList());
    }

    private static async Task<Ok<List<KsmRow>>> KsmAsync(string? upk, ClaimsPrincipal user, TuntasDb db, CancellationToken cancellationToken)
    {
        var scope = user.AccessScope();
        var query = db.Ksms.AsNoTracking().Where(scope.VillageFilter<Ksm>(k => k.KodeDesa));
        if (upk is not null)
        {
            query = query.Where(k => db.Upks.Any(u => u.Id == k.UpkId && u.Kode == upk));
        }
        return TypedResults.Ok(await query.OrderBy(k => k.Kode)
            .Select(k => new KsmRow(k.Id, k.Kode, k.Name, db.Upks.Where(u => u.Id == k.UpkId).Select(u => u.Kode).First(), k.KodeDesa, k.Jenis, k.FormedOn, k.DissolvedOn,
                db.KsmMembers.Count(m => m.KsmId == k.Id && m.LeftOn == null), k.Facilitator))
            .ToListAsync(cancellationToken));
    }

    private static async Task<Results<Ok<List<MemberRow>>, NotFound>> MembersAsync(long id, ClaimsPrincipal user, TuntasDb db, CancellationToken cancellationToken)
    {
        var ksm = await db.Ksms.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (ksm is null || !P2kpAccess.MaySeeMembers(user.Role(), user.AccessScope(), ksm.KodeDesa))
        {
            return TypedResults.NotFound();
        }
        var members = await db.KsmMembers.AsNoTracking().Where(m => m.KsmId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(members.Select(m => new MemberRow(m.Id, Nik.Mask(m.Nik), m.Name, m.Role, m.PersonId)).ToList());
    }

    private static async Task<Ok<IReadOnlyList<CollectionWorklist.Item>>> WorklistAsync(string? per, bool? mine, ClaimsPrincipal user, CollectionWorklist worklist,
        TimeProvider clock, IOptions<RegencyOptions> regency, CancellationToken cancellationToken)
    {
        var asOf = per is not null && DateOnly.TryParseExact(per, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : Today(clock, regency);
        var facilitator = user.Role() == Roles.Facilitator && mine != false ? user.UserName() : null;
        return TypedResults.Ok(await worklist.RunAsync(new CollectionWorklist.Input(asOf, user.AccessScope(), facilitator), cancellationToken));
    }

    private static async Task<Results<Ok<UpkLoan>, ValidationProblem>> ProposeAsync(ProposeRequest request, ClaimsPrincipal user, ProposeLoan propose, TimeProvider clock, IOptions<RegencyOptions> regency,
        CancellationToken cancellationToken)
    {
        var outcome = await propose.RunAsync(new ProposeLoan.Input(request.KsmId, request.Principal, request.RatePercent, request.Method?.ToUpperInvariant() ?? "",
            request.TermMonths, request.ProposedOn ?? Today(clock, regency), request.Shares ?? [], user.Role(), user.AccessScope()), cancellationToken);
        return outcome.Loan is { } loan ? TypedResults.Ok(loan) : ApiProblems.Refused(outcome.Problems);
    }

    private static async Task<Results<NoContent, ValidationProblem>> DecideAsync(long id, DecideRequest request, ClaimsPrincipal user, DecideLoan decide, TimeProvider clock, IOptions<RegencyOptions> regency,
        CancellationToken cancellationToken) =>
        Done(await decide.RunAsync(new DecideLoan.Input(id, request.Approve, request.On ?? Today(clock, regency), request.Reason, user.Role(), user.AccessScope()), cancellationToken));

    private static async Task<Results<NoContent, ValidationProblem>> DisburseAsync(long id, DisburseRequest request, ClaimsPrincipal user, DisburseLoan disburse,
        CancellationToken cancellationToken) =>
        Done(await disburse.RunAsync(new DisburseLoan.Input(id, request.DisbursedOn, request.FirstDueOn, user.Role(), user.AccessScope()), cancellationToken));

    private static async Task<Results<Ok<UpkRepayment>, ValidationProblem>> RepayAsync(long id, RepaymentRequest request, ClaimsPrincipal user, RecordRepayment record,
        CancellationToken cancellationToken)
    {
        var outcome = await record.RunAsync(new RecordRepayment.Input(id, request.PaidOn, request.Principal, request.Service, request.Receipt, user.UserName(),
            user.Role(), user.AccessScope()), cancellationToken);
        return outcome.Repayment is { } repayment ? TypedResults.Ok(repayment) : ApiProblems.Refused([outcome.Problem!]);
    }

    private static async Task<Results<NoContent, ValidationProblem>> WriteOffAsync(long id, WriteOffRequest request, ClaimsPrincipal user, CloseLoan close,
        CancellationToken cancellationToken) =>
        Done(await close.WriteOffAsync(new CloseLoan.WriteOff(id, request.On, request.Reason, user.Role(), user.AccessScope()), cancellationToken));

    private static async Task<Results<Ok<UpkLoan>, ValidationProblem>> RestructureAsync(long id, RestructureRequest request, ClaimsPrincipal user, CloseLoan close,
        CancellationToken cancellationToken)
    {
        var (next, problem) = await close.RestructureAsync(new CloseLoan.Restructure(id, request.On, request.Reason, request.TermMonths, request.FirstDueOn,
            user.Role(), user.AccessScope()), cancellationToken);
        return next is not null ? TypedResults.Ok(next) : ApiProblems.Refused([problem!]);
    }

    private static async Task<Results<NoContent, ValidationProblem>> WithdrawAsync(long id, ClaimsPrincipal user, CloseLoan close, CancellationToken cancellationToken) =>
        Done(await close.WithdrawAsync(id, user.Role(), user.AccessScope(), cancellationToken));

    private static Results<NoContent, ValidationProblem> Done(Problem? problem) =>
        problem is null ? TypedResults.NoContent() : ApiProblems.Refused([problem]);
}

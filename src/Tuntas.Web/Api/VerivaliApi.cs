using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Complaints;
using Tuntas.Registry;
using Tuntas.Verivali;
using Tuntas.Web.Complaints;
using Tuntas.Web.Verivali;

namespace Tuntas.Web.Api;

/// <summary>
/// The verivali cycle through the API (docs/verivali.md), the same use cases as the back office under the same scope:
/// a line outside the caller's scope is refused with 403; problems come back as validation problems with the codes.
/// Every call is in the audit trail (the audit middleware records each request; the detail names the step).
/// </summary>
public static class VerivaliApi
{
    public sealed record PeriodRequest(string Name);

    public sealed record AssignRequest(List<long> LineIds, string AssignTo);

    public sealed record VisitRequest(string Outcome, List<VisitChange>? Changes, string? Note);

    public sealed record ReviewRequest(bool Accept);

    public sealed record DecisionsRequest(Dictionary<long, string> Decisions);

    public sealed record CloseMusdesRequest(DateOnly HeldOn);

    public sealed record ApplyRequest(string? Desa);

    public sealed record LineView(long Id, string KodeDesa, long? FamilyId, string Reasons, string? AssignedTo, string Status, string? Outcome,
        string? Changes, string? Decision, string? ApplyResult, long? FamilyVersion, IReadOnlyList<string> Photos);

    /// <summary>A proposed new family: KODE_DESA, NO_KK and the family fields by import column, and its members likewise.</summary>
    public sealed record ProposalRequest(Dictionary<string, string?> Family, List<Dictionary<string, string?>> Members, string? Note);

    public static RouteGroupBuilder MapVerivaliApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/verivali").RequireAuthorization(VerivaliPermissions.Read.Name).WithTags("Verivali");
        api.MapGet("/periods", async (TuntasDb db, CancellationToken ct) => TypedResults.Ok(await db.VerivaliPeriods.AsNoTracking().OrderByDescending(p => p.Id).ToListAsync(ct)))
            .WithSummary("Verivali periods, newest first");
        api.MapPost("/periods", OpenAsync).RequireAuthorization(VerivaliPermissions.RunRegency.Name)
            .WithSummary("Open a period and build every village's worklist").WithDescription("Body {name}. One open period at a time.");
        api.MapPost("/periods/{id:long}/close", CloseAsync).RequireAuthorization(VerivaliPermissions.RunRegency.Name).WithSummary("Close the period (regency)");
        api.MapGet("/periods/{id:long}/lines", LinesAsync)
            .ReadsPersonalData("verivali", "id")
            .WithSummary("Worklist lines the caller may see").WithDescription("desa, status, page (200 a page). A relawan sees only the lines assigned to them.");
        api.MapPost("/lines/assign", AssignAsync).RequireAuthorization(VerivaliPermissions.RunVillage.Name)
            .WithSummary("Assign lines to a facilitator or relawan").WithDescription("Body {lineIds, assignTo}.");
        api.MapPost("/lines/{id:long}/visit", VisitAsync).RequireAuthorization(VerivaliPermissions.Visit.Name)
            .WithMetadata(new RequestSizeLimitAttribute(RecordVisit.MaxPhotos * Tuntas.Attachments.AttachmentRules.MaxBytes + (1024 * 1024)))
            .Accepts<VisitRequest>("application/json", "multipart/form-data")
            .WithSummary("Record a visit").WithDescription("Body {outcome: tetap|perbaikan-data|tidak-layak|meninggal|pindah|tidak-ditemukan|usulan-baru, changes: [{personId, field, value, date}], note}. Values validated with the import's codes; STATUS_HIDUP for life events. With photos: multipart/form-data with outcome, changes (the same JSON list as text), note and photos (files, JPEG or PNG, ≤ 2 MB each, at most 5 per line).");
        api.MapGet("/lines/{id:long}/photos/{key}", PhotoAsync)
            .ReadsPersonalData("verivali", "id")
            .WithSummary("Download a photo of a line").WithDescription("Photos taken with a visit (back office, API) or sent from ODK Collect; only for a line the caller may see.");
        api.MapPost("/proposals", ProposeAsync).RequireAuthorization(VerivaliPermissions.Visit.Name)
            .WithSummary("Propose a new family (usulan baru)").WithDescription("Body {family: {KODE_DESA, NO_KK, ALAMAT, RT, RW, …}, members: [{NIK, NAMA, JENIS_KELAMIN, TANGGAL_LAHIR, HUBUNGAN_KK, …}], note}: the import's columns and codes. Becomes a visited line of the open period for review and the musdes.");
        api.MapPost("/periods/{id:long}/duplicates", DuplicatesAsync).RequireAuthorization(VerivaliPermissions.RunVillage.Name)
            .WithSummary("Add suspected duplicates to the worklist").WithDescription("Runs the record-linkage queue within the caller's scope and puts both families of each pair on the worklist with reason dugaan-ganda. A village takes seconds; regency-wide, minutes.");
        api.MapPost("/lines/{id:long}/review", ReviewAsync).RequireAuthorization(VerivaliPermissions.RunVillage.Name)
            .WithSummary("Review a visit (operator)").WithDescription("Body {accept}: accepted for the musdes, or back for another visit.");
        api.MapPost("/lines/decisions", DecideAsync).RequireAuthorization(VerivaliPermissions.RunVillage.Name)
            .WithSummary("Record the musdes decision per line").WithDescription("Body {decisions: {lineId: setuju|tolak|tunda}}. 403 for a line outside the caller's scope.");
        api.MapGet("/periods/{id:long}/berita-acara", BeritaAcaraAsync)
            .ReadsPersonalData("verivali", "id")
            .WithSummary("The berita acara of a village's musdes").WithDescription("?desa=…: reviewed and decided lines by name (additions, removals, changes), NO_KK masked.");
        api.MapPost("/periods/{id:long}/musdes/scan", ScanAsync).RequireAuthorization(VerivaliPermissions.RunVillage.Name).DisableAntiforgery()
            .WithSummary("Upload the signed berita acara").WithDescription("multipart/form-data: desa, file (PDF, JPEG or PNG, ≤ 10 MB).");
        api.MapPost("/periods/{id:long}/musdes/close", CloseMusdesAsync).RequireAuthorization(VerivaliPermissions.RunVillage.Name)
            .WithSummary("Close a village's musdes").WithDescription("?desa=…, body {heldOn}. Refused with undecided lines or without the signed scan.");
        api.MapPost("/periods/{id:long}/apply", ApplyAsync).RequireAuthorization(VerivaliPermissions.RunVillage.Name)
            .WithSummary("Apply the agreed decisions through the registry writer").WithDescription("Body {desa} (optional). Conflicts are reported per line; applying twice changes nothing.");
        api.MapGet("/periods/{id:long}/progress", async (long id, ClaimsPrincipal user, VillageProgress progress, CancellationToken ct) =>
                TypedResults.Ok(await progress.RunAsync(id, user.AccessScope(), ct)))
            .WithSummary("Progress per village: % visited, decided, applied; days since the last musdes");
        api.MapGet("/periods/{id:long}/proposal", ProposalAsync)
            .ReadsPersonalData("verivali", "id").RequireAuthorization(VerivaliPermissions.RunRegency.Name)
            .WithSummary("The regency's proposal (additions, removals, changes)").WithDescription("?format=csv|xlsx; ?summary=true for the counts per village as JSON. " +
                "NIK and NO_KK masked; full=true gives them in full for the upload to SIKS-NG, to a role that verifies identities, recorded in the audit trail.");
        return api;
    }


    private static LineView View(VerivaliLine l, IEnumerable<LinePhotos.Photo> photos) =>
        new(l.Id, l.KodeDesa, l.FamilyId, l.Reasons, l.AssignedTo, l.Status, l.Outcome, l.Changes, l.Decision, l.ApplyResult, l.FamilyVersion,
            [.. photos.Select(PhotoLinks.Of)]);

    private static async Task<LineView> ViewAsync(TuntasDb db, VerivaliLine line, CancellationToken ct) =>
        View(line, (await LinePhotos.OfAsync(db, db.VerivaliLines.Where(l => l.Id == line.Id).Select(l => l.Id), ct))[line.Id]);

    private static async Task<Results<Ok<VerivaliPeriod>, ValidationProblem>> OpenAsync(PeriodRequest request, ClaimsPrincipal user, OpenPeriod open, HttpContext http, CancellationToken ct)
    {
        var outcome = await open.RunAsync(new OpenPeriod.Input(request.Name, user.UserName()), ct);
        if (outcome.Problem is { } code)
        {
            return ApiProblems.Refused(VerivaliProblems.Of(code));
        }
        AuditDetail.Set(http, $"buka periode verivali #{outcome.Period!.Id}: {outcome.Lines} baris");
        return TypedResults.Ok(outcome.Period);
    }

    private static async Task<Results<NoContent, ValidationProblem>> CloseAsync(long id, ClaimsPrincipal user, ClosePeriod close, CancellationToken ct) =>
        await close.RunAsync(id, user.UserName(), ct) is { } problem ? ApiProblems.Refused(problem) : TypedResults.NoContent();

    private static async Task<Ok<List<LineView>>> LinesAsync(long id, [FromQuery] string? desa, [FromQuery] string? status, [FromQuery] int? page,
        ClaimsPrincipal user, TuntasDb db, CancellationToken ct)
    {
        var query = VerivaliLines.Visible(db, user.AccessScope(), user.Role(), user.UserName()).AsNoTracking().Where(l => l.PeriodId == id);
        if (desa is { Length: > 0 })
        {
            query = query.Where(l => l.KodeDesa == desa);
        }
        if (status is { Length: > 0 })
        {
            query = query.Where(l => l.Status == status);
        }
        var paged = query.OrderBy(l => l.Id).Skip((Math.Max(1, page ?? 1) - 1) * 200).Take(200);
        var lines = await paged.ToListAsync(ct);
        var photos = await LinePhotos.OfAsync(db, paged.Select(l => l.Id), ct);
        return TypedResults.Ok(lines.Select(l => View(l, photos[l.Id])).ToList());
    }

    private static async Task<Results<Ok<int>, ValidationProblem, ForbidHttpResult>> AssignAsync(AssignRequest request, ClaimsPrincipal user, AssignLines assign, CancellationToken ct)
    {
        var (assigned, problem) = await assign.RunAsync(new AssignLines.Input(request.LineIds, request.AssignTo, user.AccessScope(), user.Role(), user.UserName()), ct);
        return problem is null ? TypedResults.Ok(assigned) : problem.Code == "LINE_NOT_FOUND" ? TypedResults.Forbid() : ApiProblems.Refused(problem);
    }

    /// <summary>JSON, or multipart/form-data when photos come with the visit (each read at most one byte past the limit).</summary>
    private static async Task<Results<Ok<LineView>, ValidationProblem, ForbidHttpResult>> VisitAsync(long id, HttpContext http, ClaimsPrincipal user, RecordVisit visit,
        TuntasDb db, CancellationToken ct)
    {
        VisitRequest? request;
        List<Tuntas.Attachments.AttachmentRules.Upload> photos = [];
        try
        {
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(ct);
                var changes = form["changes"].ToString() is { Length: > 0 } json
                    ? JsonSerializer.Deserialize<List<VisitChange>>(json, JsonSerializerOptions.Web) : null;
                request = new VisitRequest(form["outcome"].ToString(), changes, form["note"].ToString());
                photos = await ComplaintForm.ReadAttachmentsAsync(form.Files.GetFiles("photos"), ct);
            }
            else
            {
                request = await http.Request.ReadFromJsonAsync<VisitRequest>(ct);
            }
        }
        catch (JsonException)
        {
            request = null;
        }
        if (request is null)
        {
            return ApiProblems.Refused(VerivaliProblems.Of("OUTCOME"));
        }
        var outcome = await visit.RunAsync(new RecordVisit.Input(id, request.Outcome ?? "", request.Changes, request.Note, user.AccessScope(), user.Role(), user.UserName(), photos), ct);
        if (outcome.FieldProblems.Count > 0)
        {
            return ApiProblems.Refused(outcome.FieldProblems.Select(p => p.AsProblem()));
        }
        // The trail says what happened: a refused step is recorded as refused, with its code, not as done.
        AuditDetail.Set(http, outcome.Problem is { } refused ? $"kunjungan verivali baris #{id} ditolak ({refused.Code})"
            : string.Create(CultureInfo.InvariantCulture, $"kunjungan verivali baris #{id}: {request.Outcome}, {photos.Count} foto"));
        return outcome.Problem switch
        {
            null => TypedResults.Ok(await ViewAsync(db, outcome.Line!, ct)),
            { Code: "LINE_NOT_FOUND" or "NOT_ASSIGNED" } => TypedResults.Forbid(),
            var problem => ApiProblems.Refused(problem),
        };
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> PhotoAsync(long id, string key, ClaimsPrincipal user, TuntasDb db,
        Tuntas.Attachments.AttachmentStore storage, HttpContext http, CancellationToken ct)
    {
        var (line, _) = await VerivaliLines.FindAsync(db, id, user.AccessScope(), user.Role(), user.UserName(), ct);
        if (line is null || await LinePhotos.FindAsync(db, id, key, ct) is not var (stored, name)
            || Web.Attachments.AttachmentDownload.Prepare(http.Response, storage, stored, name) is not { } file)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.PhysicalFile(file.Path, file.ContentType, file.DownloadName);
    }

    private static async Task<Results<Ok<LineView>, ValidationProblem, ForbidHttpResult>> ProposeAsync(ProposalRequest request, ClaimsPrincipal user, ProposeNewFamily propose,
        TuntasDb db, HttpContext http, CancellationToken ct)
    {
        var outcome = await propose.RunAsync(new ProposeNewFamily.Input(request.Family ?? [], [.. (request.Members ?? []).Select(m => (IReadOnlyDictionary<string, string?>)m)],
            request.Note, user.AccessScope(), user.Role(), user.UserName()), ct);
        if (outcome.Line is not { } line)
        {
            return outcome.Problems.Any(p => p.Code == "DESA_OUTSIDE") ? TypedResults.Forbid() : ApiProblems.Refused(outcome.Problems);
        }
        AuditDetail.Set(http, string.Create(CultureInfo.InvariantCulture, $"usulan keluarga baru baris #{line.Id} desa {line.KodeDesa}"));
        return TypedResults.Ok(await ViewAsync(db, line, ct));
    }

    private static async Task<Results<Ok<AddSuspectedDuplicates.Outcome>, ValidationProblem>> DuplicatesAsync(long id, ClaimsPrincipal user, AddSuspectedDuplicates add,
        HttpContext http, CancellationToken ct)
    {
        var outcome = await add.RunAsync(new AddSuspectedDuplicates.Input(id, user.AccessScope()), ct);
        AuditDetail.Set(http, string.Create(CultureInfo.InvariantCulture, $"dugaan ganda ke daftar kerja periode #{id}: {outcome.Families} keluarga"));
        return outcome.Problem is { } problem ? ApiProblems.Refused(problem) : TypedResults.Ok(outcome);
    }

    private static async Task<Results<Ok<LineView>, ValidationProblem, ForbidHttpResult>> ReviewAsync(long id, ReviewRequest request, ClaimsPrincipal user, ReviewVisit review, TuntasDb db, CancellationToken ct)
    {
        var (line, problem) = await review.RunAsync(new ReviewVisit.Input(id, request.Accept, user.AccessScope(), user.Role(), user.UserName()), ct);
        return problem is null ? TypedResults.Ok(await ViewAsync(db, line!, ct)) : problem.Code == "LINE_NOT_FOUND" ? TypedResults.Forbid() : ApiProblems.Refused(problem);
    }

    private static async Task<Results<Ok<int>, ValidationProblem, ForbidHttpResult>> DecideAsync(DecisionsRequest request, ClaimsPrincipal user, DecideLines decide, HttpContext http, CancellationToken ct)
    {
        var (decided, problem) = await decide.RunAsync(new DecideLines.Input(request.Decisions, user.AccessScope(), user.Role(), user.UserName()), ct);
        AuditDetail.Set(http, problem is null ? $"keputusan musdes: {decided} baris" : $"keputusan musdes ditolak ({problem.Code})");
        return problem is null ? TypedResults.Ok(decided) : problem.Code == "LINE_NOT_FOUND" ? TypedResults.Forbid() : ApiProblems.Refused(problem);
    }

    private static async Task<Results<Ok<BeritaAcara.Outcome>, NotFound>> BeritaAcaraAsync(long id, [FromQuery] string? desa, ClaimsPrincipal user, BeritaAcara minutes, CancellationToken ct) =>
        desa is { Length: > 0 } && await minutes.RunAsync(id, desa, user.AccessScope(), ct) is { } outcome ? TypedResults.Ok(outcome) : TypedResults.NotFound();

    private static async Task<Results<Ok<string>, ValidationProblem, ForbidHttpResult>> ScanAsync(long id, [FromForm] string desa, IFormFile? file, ClaimsPrincipal user,
        TuntasDb db, Tuntas.Attachments.AttachmentStore storage, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency,
        CancellationToken ct)
    {
        if (!user.AccessScope().CoversVillage(desa))
        {
            return TypedResults.Forbid();
        }
        var (stored, problem) = await MusdesScan.StoreAsync(db, storage, id, desa, file, regency.Value.Today(clock), ct);
        return problem is null ? TypedResults.Ok(stored!) : ApiProblems.Refused(problem);
    }


    private static async Task<Results<Ok<VerivaliMusdes>, ValidationProblem>> CloseMusdesAsync(long id, [FromQuery] string? desa, CloseMusdesRequest request, ClaimsPrincipal user,
        CloseMusdes close, HttpContext http, CancellationToken ct)
    {
        var (musdes, problem) = await close.RunAsync(new CloseMusdes.Input(id, desa ?? "", request.HeldOn, null, user.AccessScope(), user.UserName()), ct);
        AuditDetail.Set(http, problem is null ? $"tutup musdes {desa} periode #{id}" : $"tutup musdes {desa} periode #{id} ditolak ({problem.Code})");
        return problem is null ? TypedResults.Ok(musdes!) : ApiProblems.Refused(problem);
    }

    private static async Task<Results<Ok<ApplyDecisions.Outcome>, ValidationProblem>> ApplyAsync(long id, ApplyRequest request, ClaimsPrincipal user, ApplyDecisions apply,
        HttpContext http, CancellationToken ct)
    {
        var outcome = await apply.RunAsync(new ApplyDecisions.Input(id, request.Desa, user.AccessScope(), user.UserName()), ct);
        AuditDetail.Set(http, string.Create(CultureInfo.InvariantCulture, $"terapkan musdes periode #{id}: {outcome.Applied} diterapkan, {outcome.Conflicts} konflik"));
        return outcome.Problem is { } problem ? ApiProblems.Refused(problem) : TypedResults.Ok(outcome);
    }

    private static async Task<IResult> ProposalAsync(long id, [FromQuery] string? format, [FromQuery] bool? summary, [FromQuery] bool? full, ClaimsPrincipal user,
        ExportProposal export, HttpContext http, CancellationToken ct)
    {
        if (summary == true)
        {
            return TypedResults.Ok(await export.SummaryAsync(id, user.AccessScope(), ct));
        }
        var xlsx = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase);
        var buffer = new MemoryStream();
        var reveal = full == true && user.Has(RegistryPermissions.SeeFullIdentifiers);
        AuditDetail.Set(http, reveal ? "usulan, NIK lengkap" : "usulan");
        await export.WriteAsync(id, user.AccessScope(), reveal, xlsx, buffer, ct);
        buffer.Position = 0;
        return TypedResults.File(buffer, xlsx ? TableExport.XlsxContentType : TableExport.CsvContentType,
            string.Create(CultureInfo.InvariantCulture, $"usulan-verivali-{id}.{(xlsx ? "xlsx" : "csv")}"));
    }
}

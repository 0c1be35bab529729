using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tuntas.Complaints;
using Tuntas.Data;
using Tuntas.Registry;
using Tuntas.Verivali;
using Tuntas.Web.Security;
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
        string? Changes, string? Decision, string? ApplyResult, long? FamilyVersion);

    public static RouteGroupBuilder MapVerivaliApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/verivali").RequireAuthorization().WithTags("Verivali");
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
            .WithSummary("Record a visit").WithDescription("Body {outcome: tetap|perbaikan-data|tidak-layak|meninggal|pindah|tidak-ditemukan|usulan-baru, changes: [{personId, field, value, date}], note}. Values validated with the import's codes; STATUS_HIDUP for life events.");
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
            .WithSummary("The regency's proposal (additions, removals, changes)").WithDescription("?format=csv|xlsx; ?summary=true for the counts per village as JSON.");
        return api;
    }


    private static LineView View(VerivaliLine l) =>
        new(l.Id, l.KodeDesa, l.FamilyId, l.Reasons, l.AssignedTo, l.Status, l.Outcome, l.Changes, l.Decision, l.ApplyResult, l.FamilyVersion);

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
        var lines = await query.OrderBy(l => l.Id).Skip((Math.Max(1, page ?? 1) - 1) * 200).Take(200).ToListAsync(ct);
        return TypedResults.Ok(lines.Select(View).ToList());
    }

    private static async Task<Results<Ok<int>, ValidationProblem, ForbidHttpResult>> AssignAsync(AssignRequest request, ClaimsPrincipal user, AssignLines assign, CancellationToken ct)
    {
        var (assigned, problem) = await assign.RunAsync(new AssignLines.Input(request.LineIds, request.AssignTo, user.AccessScope(), user.Role(), user.UserName()), ct);
        return problem is null ? TypedResults.Ok(assigned) : problem.Code == "LINE_NOT_FOUND" ? TypedResults.Forbid() : ApiProblems.Refused(problem);
    }

    private static async Task<Results<Ok<LineView>, ValidationProblem, ForbidHttpResult>> VisitAsync(long id, VisitRequest request, ClaimsPrincipal user, RecordVisit visit, CancellationToken ct)
    {
        var outcome = await visit.RunAsync(new RecordVisit.Input(id, request.Outcome, request.Changes, request.Note, user.AccessScope(), user.Role(), user.UserName()), ct);
        if (outcome.FieldProblems.Count > 0)
        {
            return ApiProblems.Refused(outcome.FieldProblems.Select(p => p.AsProblem()));
        }
        return outcome.Problem switch
        {
            null => TypedResults.Ok(View(outcome.Line!)),
            { Code: "LINE_NOT_FOUND" or "NOT_ASSIGNED" } => TypedResults.Forbid(),
            var problem => ApiProblems.Refused(problem),
        };
    }

    private static async Task<Results<Ok<LineView>, ValidationProblem, ForbidHttpResult>> ReviewAsync(long id, ReviewRequest request, ClaimsPrincipal user, ReviewVisit review, CancellationToken ct)
    {
        var (line, problem) = await review.RunAsync(new ReviewVisit.Input(id, request.Accept, user.AccessScope(), user.Role(), user.UserName()), ct);
        return problem is null ? TypedResults.Ok(View(line!)) : problem.Code == "LINE_NOT_FOUND" ? TypedResults.Forbid() : ApiProblems.Refused(problem);
    }

    private static async Task<Results<Ok<int>, ValidationProblem, ForbidHttpResult>> DecideAsync(DecisionsRequest request, ClaimsPrincipal user, DecideLines decide, HttpContext http, CancellationToken ct)
    {
        var (decided, problem) = await decide.RunAsync(new DecideLines.Input(request.Decisions, user.AccessScope(), user.Role(), user.UserName()), ct);
        AuditDetail.Set(http, $"keputusan musdes: {decided} baris");
        return problem is null ? TypedResults.Ok(decided) : problem.Code == "LINE_NOT_FOUND" ? TypedResults.Forbid() : ApiProblems.Refused(problem);
    }

    private static async Task<Results<Ok<BeritaAcara.Outcome>, NotFound>> BeritaAcaraAsync(long id, [FromQuery] string? desa, ClaimsPrincipal user, BeritaAcara minutes, CancellationToken ct) =>
        desa is { Length: > 0 } && await minutes.RunAsync(id, desa, user.AccessScope(), ct) is { } outcome ? TypedResults.Ok(outcome) : TypedResults.NotFound();

    /// <summary>The largest scan accepted: a few signed pages as PDF or photos.</summary>
    public const long MaxScanBytes = 10 * 1024 * 1024;

    private static async Task<Results<Ok<string>, ValidationProblem, ForbidHttpResult>> ScanAsync(long id, [FromForm] string desa, IFormFile? file, ClaimsPrincipal user,
        TuntasDb db, Tuntas.Attachments.AttachmentStore storage, CancellationToken ct)
    {
        if (!user.AccessScope().CoversVillage(desa))
        {
            return TypedResults.Forbid();
        }
        var (stored, problem) = await StoreScanAsync(db, storage, id, desa, file, ct);
        return problem is null ? TypedResults.Ok(stored!) : ApiProblems.Refused(problem);
    }

    /// <summary>Stores the signed berita acara (PDF/JPEG/PNG by content, not by name) and notes it on the village's musdes.</summary>
    public static async Task<(string? Stored, Problem? Problem)> StoreScanAsync(TuntasDb db, Tuntas.Attachments.AttachmentStore storage, long periodId, string desa, IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length is 0 or > MaxScanBytes)
        {
            return (null, VerivaliProblems.Of("MUSDES_SCAN"));
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var content = buffer.ToArray();
        if (Tuntas.Attachments.AttachmentRules.Detect(content) is not { } type)
        {
            return (null, VerivaliProblems.Of("MUSDES_SCAN"));
        }
        var musdes = await db.VerivaliMusdes.SingleOrDefaultAsync(m => m.PeriodId == periodId && m.KodeDesa == desa, ct);
        if (musdes?.ClosedAt is not null)
        {
            return (null, VerivaliProblems.Of("MUSDES_CLOSED"));
        }
        if (musdes is null)
        {
            musdes = new VerivaliMusdes { PeriodId = periodId, KodeDesa = desa, HeldOn = DateOnly.FromDateTime(DateTime.UtcNow) };
            db.VerivaliMusdes.Add(musdes);
        }
        // Staged under a temporary name until the row naming it is committed (the attachment store's rule).
        var staged = await storage.StageAsync(content, type, ct);
        musdes.ScanPath = staged.StoredName;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            storage.Discard(staged);
            throw;
        }
        storage.Publish(staged);
        return (staged.StoredName, null);
    }

    private static async Task<Results<Ok<VerivaliMusdes>, ValidationProblem>> CloseMusdesAsync(long id, [FromQuery] string? desa, CloseMusdesRequest request, ClaimsPrincipal user,
        CloseMusdes close, HttpContext http, CancellationToken ct)
    {
        var (musdes, problem) = await close.RunAsync(new CloseMusdes.Input(id, desa ?? "", request.HeldOn, null, user.AccessScope(), user.UserName()), ct);
        AuditDetail.Set(http, $"tutup musdes {desa} periode #{id}");
        return problem is null ? TypedResults.Ok(musdes!) : ApiProblems.Refused(problem);
    }

    private static async Task<Results<Ok<ApplyDecisions.Outcome>, ValidationProblem>> ApplyAsync(long id, ApplyRequest request, ClaimsPrincipal user, ApplyDecisions apply,
        HttpContext http, CancellationToken ct)
    {
        var outcome = await apply.RunAsync(new ApplyDecisions.Input(id, request.Desa, user.AccessScope(), user.UserName()), ct);
        AuditDetail.Set(http, string.Create(CultureInfo.InvariantCulture, $"terapkan musdes periode #{id}: {outcome.Applied} diterapkan, {outcome.Conflicts} konflik"));
        return outcome.Problem is { } problem ? ApiProblems.Refused(problem) : TypedResults.Ok(outcome);
    }

    private static async Task<IResult> ProposalAsync(long id, [FromQuery] string? format, [FromQuery] bool? summary, ClaimsPrincipal user, ExportProposal export, CancellationToken ct)
    {
        if (summary == true)
        {
            return TypedResults.Ok(await export.SummaryAsync(id, user.AccessScope(), ct));
        }
        var xlsx = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase);
        var buffer = new MemoryStream();
        await export.WriteAsync(id, user.AccessScope(), user.Has(RegistryPermissions.SeeFullIdentifiers), xlsx, buffer, ct);
        buffer.Position = 0;
        return TypedResults.File(buffer, xlsx ? TableExport.XlsxContentType : TableExport.CsvContentType,
            string.Create(CultureInfo.InvariantCulture, $"usulan-verivali-{id}.{(xlsx ? "xlsx" : "csv")}"));
    }
}

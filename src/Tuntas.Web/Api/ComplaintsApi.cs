using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Audit;
using Tuntas.Complaints;
using Tuntas.PublicPortal;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Web.Api;

/// <summary>
/// Complaint handling and data change requests through the API, with the back office's rules
/// (<see cref="ComplaintAccess"/>): the complaints a caller may see, one complaint with its steps (NIK masked unless
/// the role verifies identities; the view is audited), moving it on, change requests and their decision, and a field
/// update proposed for a family.
/// </summary>
public static class ComplaintsApi
{
    public sealed record ComplaintSummary(long Id, string Ticket, string Category, string Status, string? KodeDesa, string HandlerKind, string HandlerCode,
        DateTime CreatedAt, DateTime DueAt, bool Escalated);

    public sealed record ComplaintDetail(ComplaintSummary Complaint, string ComplainantName, string? ComplainantContact, string? ComplainantNik, long? FamilyId,
        string Description, string? Resolution, bool MayHandle, IReadOnlyList<ComplaintEvent> Steps, IReadOnlyList<long> ChangeRequests);

    public sealed record StatusRequest(string? Status, string? Note, bool? NotePublic);

    public sealed record DecisionRequest(bool Accept, string? Note);

    public sealed record ProposalRequest(string? Description, List<ProposedChange>? Changes = null);

    public static RouteGroupBuilder MapComplaintsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags(ApiTexts.Both("Api.Tag.Complaints"));
        api.MapGet("/complaints", ListAsync)
            .ReadsPersonalData("pengaduan", null)
            .WithSummary("Complaints the caller may see")
            .WithDescription("status (baru|diproses|selesai|ditolak), category; overdue and escalated first, 200 at most. Village roles see their villages', an agency officer those routed to its organization, partners none.");
        api.MapGet("/complaints/{id:long}", GetAsync)
            .ReadsPersonalData("pengaduan", "id", AuditActions.ViewComplaint)
            .WithSummary("One complaint with its steps")
            .WithDescription("Complainant's name and contact, NIK masked unless the role verifies identities; every step, public or internal; linked change requests. Audited as lihat-pengaduan.");
        api.MapPost("/complaints/{id:long}/status", StatusAsync)
            .WithSummary("Move a complaint on")
            .WithDescription("Body {status: diproses|selesai|ditolak, note, notePublic}. Closing needs the resolution in note. For the complaint's handler.");
        api.MapGet("/change-requests", ChangeRequestsAsync)
            .ReadsPersonalData("usulan-perubahan", null)
            .WithSummary("Data change requests in the caller's villages").WithDescription("Open ones first. Not for agency officers and partners.");
        api.MapPost("/change-requests/{id:long}/decision", DecideAsync)
            .WithSummary("Accept or reject a change request")
            .WithDescription("Body {accept, note}. Village operator in its village, coordinator, administrator. A decision on a complaint's request is a public step of the complaint.");
        api.MapPost("/families/{id:long}/change-requests", ProposeAsync)
            .WithSummary("Propose a data change after a field visit")
            .WithDescription("Body {description, changes: [{personId, field, value}]} (changes optional, validated with the import's codes). For a family in the caller's scope; not for partners and auditors. The village operator decides.");
        api.MapPost("/posko/status", PoskoStatusAsync)
            .ReadsPersonalData("nik", null, readsOnPost: true)
            .WithSummary("A citizen's assistance status, checked at the posko")
            .WithDescription("Body {nik, nama} or {nik, noKk}: the portal's status check (same answer as POST /api/public/status) for an officer serving a citizen in person; not held to the public per-NIK limit, audited with the masked NIK. Not for partners and auditors.");
        return api;
    }

    private static async Task<Results<Ok<PublicApi.StatusResponse>, ForbidHttpResult, ProblemHttpResult>> PoskoStatusAsync(PublicApi.StatusRequest? request,
        HttpContext context, CheckStatus check, CancellationToken cancellationToken)
    {
        if (!Pages.Aduan.PoskoCheck.MayCheck(context.User))
        {
            return TypedResults.Forbid();
        }
        var outcome = await Pages.Aduan.PoskoCheck.RunAsync(context, check, request?.Nik, request?.Nama, request?.NoKk, cancellationToken);
        return PublicApi.StatusResult(outcome).Result switch
        {
            Ok<PublicApi.StatusResponse> ok => ok,
            var refused => (ProblemHttpResult)refused,
        };
    }

    private static ComplaintSummary Summary(Complaint c) =>
        new(c.Id, c.Ticket, c.Category, c.Status, c.KodeDesa, c.HandlerKind, c.HandlerCode, c.CreatedAt, c.DueAt, c.EscalatedAt is not null);

    private static IQueryable<Complaint> Visible(TuntasDb db, ClaimsPrincipal user) =>
        ComplaintAccess.Visible(db.Complaints.AsNoTracking(), user.Role(), user.OrganizationOf(), user.AccessScope());

    private static async Task<Ok<List<ComplaintSummary>>> ListAsync([FromQuery] string? status, [FromQuery] string? category, ClaimsPrincipal user, TuntasDb db,
        CancellationToken cancellationToken)
    {
        var query = Visible(db, user);
        if (!string.IsNullOrWhiteSpace(status))
        {
            query = query.Where(c => c.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(category))
        {
            query = query.Where(c => c.Category == category);
        }
        var rows = await query.OrderBy(c => c.Status == ComplaintTerms.Resolved || c.Status == ComplaintTerms.Rejected)
            .ThenByDescending(c => c.EscalatedAt != null).ThenBy(c => c.DueAt).Take(200).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(Summary).ToList());
    }

    private static async Task<Results<Ok<ComplaintDetail>, NotFound>> GetAsync(long id, ClaimsPrincipal user, TuntasDb db, CancellationToken cancellationToken)
    {
        if (await Visible(db, user).SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is not { } c)
        {
            return TypedResults.NotFound();
        }
        var steps = await db.ComplaintEvents.AsNoTracking().Where(e => e.ComplaintId == id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var requests = await db.ChangeRequests.AsNoTracking().Where(r => r.ComplaintId == id).Select(r => r.Id).ToListAsync(cancellationToken);
        var familyInScope = (await ComplaintAccess.FamiliesInScopeAsync(db, user.AccessScope(), [c.FamilyId], cancellationToken)).Count > 0;
        var nik = ComplaintAccess.NikFor(c, user.Has(RegistryPermissions.SeeFullIdentifiers), familyInScope);
        return TypedResults.Ok(new ComplaintDetail(Summary(c), c.ComplainantName, c.ComplainantContact, nik, familyInScope ? c.FamilyId : null, c.Description, c.Resolution,
            ComplaintAccess.MayHandle(c, user.Role(), user.OrganizationOf(), user.AccessScope()), steps, requests));
    }

    /// <summary>The change requests of the caller's villages; a linked family outside the caller's scope is not named.</summary>
    private static async Task<Ok<List<ChangeRequest>>> ChangeRequestsAsync(ClaimsPrincipal user, TuntasDb db, CancellationToken cancellationToken)
    {
        var rows = await ComplaintAccess.VisibleChangeRequests(db.ChangeRequests.AsNoTracking(), user.Role(), user.AccessScope())
            .OrderBy(r => r.Status != ComplaintTerms.ChangeOpen).ThenByDescending(r => r.Id).Take(200).ToListAsync(cancellationToken);
        var inScope = await ComplaintAccess.FamiliesInScopeAsync(db, user.AccessScope(), rows.Select(r => r.FamilyId), cancellationToken);
        foreach (var row in rows.Where(r => r.FamilyId is { } id && !inScope.Contains(id)))
        {
            row.FamilyId = null;
        }
        return TypedResults.Ok(rows);
    }

    private static async Task<Results<Ok<ComplaintSummary>, NotFound, ForbidHttpResult, ValidationProblem>> StatusAsync(long id, StatusRequest request,
        ClaimsPrincipal user, TuntasDb db, ChangeComplaintStatus change, CancellationToken cancellationToken)
    {
        if (await Visible(db, user).SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is not { } complaint)
        {
            return TypedResults.NotFound();
        }
        if (!ComplaintAccess.MayHandle(complaint, user.Role(), user.OrganizationOf(), user.AccessScope()))
        {
            return TypedResults.Forbid();
        }
        var outcome = await change.RunAsync(new ChangeComplaintStatus.Input(id, request.Status ?? complaint.Status, request.Note, request.NotePublic ?? false,
            user.UserName()), cancellationToken);
        return outcome.Problem is { } p
            ? ApiProblems.Refused(p)
            : TypedResults.Ok(Summary(outcome.Complaint!));
    }

    private static async Task<Results<NoContent, NotFound, ForbidHttpResult, ValidationProblem>> DecideAsync(long id, DecisionRequest request, ClaimsPrincipal user,
        TuntasDb db, ChangeRequests changeRequests, CancellationToken cancellationToken)
    {
        if (!await ComplaintAccess.VisibleChangeRequests(db.ChangeRequests.AsNoTracking(), user.Role(), user.AccessScope()).AnyAsync(r => r.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        if (!ComplaintAccess.MayDecide(user.Role()))
        {
            return TypedResults.Forbid();
        }
        var (_, problem) = await changeRequests.DecideAsync(id, request.Accept, request.Note, user.UserName(), cancellationToken);
        return problem is null
            ? TypedResults.NoContent()
            : ApiProblems.Refused(problem);
    }

    private static async Task<Results<Ok<ChangeRequest>, NotFound, ForbidHttpResult, ValidationProblem>> ProposeAsync(long id, ProposalRequest request,
        ClaimsPrincipal user, TuntasDb db, ChangeRequests changeRequests, CancellationToken cancellationToken)
    {
        if (!await user.AccessScope().Apply(db.Families).AnyAsync(f => f.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        if (!user.Has(ComplaintPermissions.File))
        {
            return TypedResults.Forbid();
        }
        var (created, problem) = await changeRequests.ProposeAsync(id, request.Description, user.UserName(), cancellationToken, request.Changes);
        return created is not null
            ? TypedResults.Ok(created)
            : ApiProblems.Refused(problem!);
    }

}

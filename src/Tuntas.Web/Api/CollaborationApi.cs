using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Complaints;
using Tuntas.Users;
using Tuntas.Web.Collaboration;
using Tuntas.Web.Complaints;

namespace Tuntas.Web.Api;

/// <summary>
/// Collaboration through the API: stakeholders with handover, needs with coverage and gap, pledges and
/// their progress up to delivery with evidence, the Forum CSR totals and the committed-vs-delivered report. The same
/// use cases and rules as the /Kolaborasi pages. Meetings: <see cref="MeetingsApi"/>; village labs: <see cref="VillageLabApi"/>.
/// </summary>
public static class CollaborationApi
{
    public sealed record StakeholderRequest(string? Name, string? Helix, IReadOnlyList<string>? Resources, string? Role, string? KodeDesa, bool? Active,
        string? ContactName, string? ContactPosition, string? ContactPhone, string? ContactEmail);

    public sealed record NeedRequest(string? KodeDesa, string? Kind, string? Title, string? Description, string? Cost, string? Source, string? NoKk);

    public sealed record PledgeRequest(long StakeholderId, string? Kind, string? Amount, string? Note);

    public sealed record ProgressRequest(string? Status, string? Note);

    public sealed record NeedView(long Id, string KodeDesa, string? Desa, string Kind, string Title, long EstimatedCost, long Covered, long Gap, string Status,
        bool NamedFamily, IReadOnlyList<BrowseNeeds.Pledge> Pledges);

    public static RouteGroupBuilder MapCollaborationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags(ApiTexts.Both("Api.Tag.Collaboration"));
        api.MapGet("/stakeholders", async (TuntasDb db, CancellationToken ct) => TypedResults.Ok(await db.Stakeholders.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct)))
            .WithSummary("Stakeholders").WithDescription("Every actor with helix, resources ('|'-separated codes), role, village and active flag.");
        api.MapPost("/stakeholders", SaveStakeholderAsync)
            .WithSummary("Add a stakeholder (TKPKD secretariat)").WithDescription("Body {name, helix, resources[], role, kodeDesa, contactName, contactPosition, contactPhone, contactEmail}. Administrator and koordinator-tkpkd only.");
        api.MapGet("/needs", BrowseAsync)
            .WithSummary("Village needs with coverage and gap").WithDescription("region (kecamatan or village code), kind, maxCost (as written), all=true to include closed ones.");
        api.MapPost("/needs", RecordNeedAsync)
            .WithSummary("Record a village need").WithDescription("Body {kodeDesa, kind, title, description, cost (as written: 15.000.000, Rp 15 jt), source (musdes|ppa|pengaduan|lainnya), noKk?}. The secretariat, or a village operator/facilitator in its villages.");
        api.MapPost("/needs/{id:long}/commitments", PledgeAsync)
            .WithSummary("Pledge a commitment against a need").WithDescription("Body {stakeholderId, kind (uang|barang|keahlian|kkn), amount, note}. For the stakeholder whose organization the user is (partner, agency officer), or the secretariat.");
        api.MapPost("/commitments/{id:long}/status", ProgressAsync)
            .WithSummary("Move a commitment on").WithDescription("Body {status: berjalan|dibatalkan, note}. Delivery (terealisasi) needs evidence: POST /api/commitments/{id}/delivery.");
        api.MapGet("/forum-csr", async ([FromQuery] int? year, [FromQuery] string? helix, ForumCsrReport report, CancellationToken ct) =>
                TypedResults.Ok(await report.RunAsync(year, string.IsNullOrWhiteSpace(helix) ? "swasta" : helix == "semua" ? null : helix, ct)))
            .WithSummary("Forum CSR totals").WithDescription("Pledged against delivered per stakeholder, village and sector; helix=swasta (default) or semua; year optional.");
        api.MapGet("/stakeholders/{id:long}", StakeholderAsync)
            .WithSummary("One stakeholder").WithDescription("With its contact persons over time (handovers) and its commitments.");
        api.MapPut("/stakeholders/{id:long}", UpdateStakeholderAsync)
            .WithSummary("Change a stakeholder, or deactivate it (TKPKD secretariat)").WithDescription("Body as for adding; a field left out keeps its value; active=false deactivates. Contact fields are ignored (use the handover). A stakeholder is never deleted.");
        api.MapPost("/stakeholders/{id:long}/handover", HandOverAsync)
            .WithSummary("Hand over to a new contact person").WithDescription("Body {name, position, phone, email, note}. The old contact's period ends today; open commitments and meeting actions move to the new one, on record. The secretariat or the stakeholder's own people.");
        api.MapGet("/stakeholders/{id:long}/programs", async (long id, ProgramRoles roles, CancellationToken ct) => TypedResults.Ok(await roles.ListAsync(id, null, ct)))
            .WithSummary("A stakeholder's roles in programs").WithDescription("Current roles first, then ended ones (kept as history).");
        api.MapPost("/stakeholders/{id:long}/programs", AssignRoleAsync)
            .WithSummary("Give a stakeholder a role in a program (TKPKD secretariat)").WithDescription("Body {programCode, role (pemilik|pendana|pelaksana|pendamping|penyalur|pengawas), note, from (yyyy-MM-dd, default today)}.");
        api.MapPost("/stakeholder-programs/{id:long}/end", EndRoleAsync)
            .WithSummary("End a stakeholder's role in a program (TKPKD secretariat)").WithDescription("The role ends today and stays on record.");
        api.MapGet("/programs/{code}/stakeholders", async Task<Results<Ok<IReadOnlyList<ProgramRoles.Line>>, NotFound>> (string code, TuntasDb db, ProgramRoles roles,
                CancellationToken ct) =>
                await db.Programs.AsNoTracking().Where(p => p.Code == code.ToUpperInvariant()).Select(p => (long?)p.Id).SingleOrDefaultAsync(ct) is { } programId
                    ? TypedResults.Ok(await roles.ListAsync(null, programId, ct))
                    : TypedResults.NotFound())
            .WithSummary("Who does what in a program").WithDescription("Every stakeholder's role in the program, current first.");
        api.MapGet("/needs/{id:long}", NeedAsync)
            .ReadsPersonalData("kebutuhan", "id")
            .WithSummary("One need").WithDescription("Coverage, gap, commitments and every step of each commitment (evidence as a download link).");
        api.MapPost("/commitments/{id:long}/delivery", DeliverAsync).DisableAntiforgery() // API clients carry no antiforgery token; the cookie is SameSite=Strict.
            .WithSummary("Report a commitment delivered, with evidence").WithDescription("multipart/form-data: realized (amount as written), note, evidence (JPEG, PNG or PDF, at most 2 MB, checked by its first bytes).");
        api.MapGet("/commitments/{id:long}/steps/{step:long}/evidence", EvidenceAsync)
            .WithSummary("Download a step's evidence").WithDescription("The photo or document attached when the commitment was reported; audited as a download. For a need of one named family, only inside the reader's scope.");
        api.MapGet("/reports/commitments", ReportAsync)
            .WithSummary("Committed against delivered, per village and per stakeholder").WithDescription("region (kecamatan or village code), stakeholderId, year, helix; format=json (default), csv or xlsx with view=komitmen|desa|pemangku. No personal data.");
        return api;
    }

    private static async Task<Results<Ok<Stakeholder>, ValidationProblem, ForbidHttpResult>> SaveStakeholderAsync(StakeholderRequest request, ClaimsPrincipal user,
        SaveStakeholder save, CancellationToken cancellationToken)
    {
        if (!user.Has(CollaborationPermissions.ManageStakeholders))
        {
            return TypedResults.Forbid();
        }
        var outcome = await save.RunAsync(new SaveStakeholder.Input(null, request.Name, request.Helix, request.Resources ?? [], request.Role, request.KodeDesa,
            request.Active ?? true, request.ContactName, request.ContactPosition, request.ContactPhone, request.ContactEmail), cancellationToken);
        return outcome.Stakeholder is { } s ? TypedResults.Ok(s) : ApiProblems.Refused(outcome.Problems);
    }

    private static async Task<Ok<IReadOnlyList<NeedView>>> BrowseAsync([FromQuery] string? region, [FromQuery] string? kind, [FromQuery] string? maxCost,
        [FromQuery] bool? all, ClaimsPrincipal user, BrowseNeeds browse, CancellationToken cancellationToken)
    {
        var rows = await browse.RunAsync(new BrowseNeeds.Input(Regions.RegionCode.ToDotted(region ?? ""), kind, Programs.Rupiah.Parse(maxCost).Value, all != true), cancellationToken);
        IReadOnlyList<NeedView> views = [.. rows.Select(r => View(r, user))];
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<Need>, ValidationProblem, ForbidHttpResult>> RecordNeedAsync(NeedRequest request, ClaimsPrincipal user, RecordNeed record,
        CancellationToken cancellationToken)
    {
        var village = Regions.RegionCode.ToDotted(request.KodeDesa ?? "");
        if (!user.Has(CollaborationPermissions.RecordNeeds) || (village is { Length: 13 } && !user.MayRecordNeedIn(village)))
        {
            return TypedResults.Forbid();
        }
        var outcome = await record.RunAsync(new RecordNeed.Input(request.KodeDesa, request.Kind, request.Title, request.Description, request.Cost, request.Source,
            request.NoKk, user.UserName()), cancellationToken);
        return outcome.Need is { } need ? TypedResults.Ok(need) : ApiProblems.Refused(outcome.Problems);
    }

    private static async Task<Results<Ok<Commitment>, ValidationProblem, ForbidHttpResult, NotFound>> PledgeAsync(long id, PledgeRequest request, ClaimsPrincipal user,
        TuntasDb db, Commitments commitments, CancellationToken cancellationToken)
    {
        if (await db.Stakeholders.AsNoTracking().SingleOrDefaultAsync(s => s.Id == request.StakeholderId, cancellationToken) is not { } stakeholder)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayActFor(stakeholder))
        {
            return TypedResults.Forbid();
        }
        var (commitment, problems) = await commitments.PledgeAsync(new Commitments.PledgeInput(id, stakeholder.Id, request.Kind, request.Amount, request.Note, user.UserName()),
            cancellationToken);
        return commitment is not null ? TypedResults.Ok(commitment) : ApiProblems.Refused(problems);
    }

    private static async Task<Results<NoContent, ValidationProblem, ForbidHttpResult, NotFound>> ProgressAsync(long id, ProgressRequest request, ClaimsPrincipal user,
        TuntasDb db, Commitments commitments, CancellationToken cancellationToken)
    {
        if (await OwnerOfAsync(db, id, cancellationToken) is not { } owner)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayActFor(owner))
        {
            return TypedResults.Forbid();
        }
        var (_, problems) = await commitments.ProgressAsync(new Commitments.ProgressInput(id, request.Status, null, request.Note, null, user.UserName()), cancellationToken);
        return problems.Count == 0 ? TypedResults.NoContent() : ApiProblems.Refused(problems);
    }

    public sealed record StakeholderDetail(Stakeholder Stakeholder, IReadOnlyList<ContactView> Contacts, IReadOnlyList<CommitmentLine> Commitments);

    /// <summary>A contact person; phone and e-mail only for the secretariat and the stakeholder's own people.</summary>
    public sealed record ContactView(long Id, string Name, string? Position, string? Phone, string? Email, DateOnly From, DateOnly? Until, string? HandoverNote);

    public sealed record CommitmentLine(long Id, long NeedId, string Need, string KodeDesa, string Kind, string Status, long Pledged, long? Realized);

    public sealed record HandoverRequest(string? Name, string? Position, string? Phone, string? Email, string? Note);

    public sealed record StepView(long Id, long CommitmentId, DateTime At, string Actor, string? StatusFrom, string StatusTo, string? Note, string? EvidenceName,
        string? EvidenceUrl);

    public sealed record NeedDetail(NeedView Need, string? Description, string Source, string CreatedBy, DateTime CreatedAt, IReadOnlyList<StepView> Steps);

    private static async Task<Results<Ok<StakeholderDetail>, NotFound>> StakeholderAsync(long id, ClaimsPrincipal user, TuntasDb db, CancellationToken cancellationToken)
    {
        if (await db.Stakeholders.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } stakeholder)
        {
            return TypedResults.NotFound();
        }
        var reachable = user.Has(CollaborationPermissions.ManageStakeholders) || user.MayActFor(stakeholder);
        var contacts = await db.StakeholderContacts.AsNoTracking().Where(c => c.StakeholderId == id).OrderByDescending(c => c.From).ThenByDescending(c => c.Id)
            .ToListAsync(cancellationToken);
        var commitments = await db.Commitments.AsNoTracking().Where(c => c.StakeholderId == id).Join(db.Needs, c => c.NeedId, n => n.Id, (c, n) => new { c, n })
            .OrderByDescending(x => x.c.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new StakeholderDetail(stakeholder,
            [.. contacts.Select(c => new ContactView(c.Id, c.Name, c.Position, reachable ? c.Phone : null, reachable ? c.Email : null, c.From, c.Until, c.HandoverNote))],
            [.. commitments.Select(x => new CommitmentLine(x.c.Id, x.n.Id, user.NeedTitle(x.n), x.n.KodeDesa, x.c.Kind, x.c.Status, x.c.PledgedAmount, x.c.RealizedAmount))]));
    }

    private static async Task<Results<Ok<Stakeholder>, ValidationProblem, ForbidHttpResult, NotFound>> UpdateStakeholderAsync(long id, StakeholderRequest request,
        ClaimsPrincipal user, TuntasDb db, SaveStakeholder save, HttpContext context, CancellationToken cancellationToken)
    {
        if (!user.Has(CollaborationPermissions.ManageStakeholders))
        {
            return TypedResults.Forbid();
        }
        // A field left out keeps its value: a client changing the role must not reactivate or wipe anything else.
        if (await db.Stakeholders.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } current)
        {
            return TypedResults.NotFound();
        }
        var outcome = await save.RunAsync(new SaveStakeholder.Input(id, request.Name ?? current.Name, request.Helix ?? current.Helix,
            request.Resources ?? [.. current.Resources.Split('|', StringSplitOptions.RemoveEmptyEntries)], request.Role ?? current.Role, request.KodeDesa ?? current.KodeDesa,
            request.Active ?? current.Active), cancellationToken);
        if (outcome.Problems.Any(p => p.Code == "NOT_FOUND"))
        {
            return TypedResults.NotFound();
        }
        if (outcome.Stakeholder is not { } saved)
        {
            return ApiProblems.Refused(outcome.Problems);
        }
        AuditDetail.Set(context, $"pemangku kepentingan #{id} {saved.Name}: {(saved.Active ? "aktif" : "nonaktif")}");
        return TypedResults.Ok(saved);
    }

    private static async Task<Results<Ok<StakeholderContact>, ValidationProblem, ForbidHttpResult, NotFound>> HandOverAsync(long id, HandoverRequest request,
        ClaimsPrincipal user, TuntasDb db, HandOverContact handOver, HttpContext context, CancellationToken cancellationToken)
    {
        if (await db.Stakeholders.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } stakeholder)
        {
            return TypedResults.NotFound();
        }
        if (!user.Has(CollaborationPermissions.ManageStakeholders) && !user.MayActFor(stakeholder))
        {
            return TypedResults.Forbid();
        }
        var outcome = await handOver.RunAsync(new HandOverContact.Input(id, request.Name, request.Position, request.Phone, request.Email, request.Note,
            user.UserName()), cancellationToken);
        if (outcome.Contact is not { } contact)
        {
            return ApiProblems.Refused(outcome.Problem is { } problem ? [problem] : []);
        }
        AuditDetail.Set(context, $"serah terima narahubung pemangku #{id} (narahubung #{contact.Id}): {outcome.CommitmentsMoved} komitmen dipindahkan");
        return TypedResults.Ok(contact);
    }

    private static async Task<Results<Ok<NeedDetail>, NotFound>> NeedAsync(long id, ClaimsPrincipal user, TuntasDb db, BrowseNeeds browse, CancellationToken cancellationToken)
    {
        if (await db.Needs.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken) is not { } need)
        {
            return TypedResults.NotFound();
        }
        var row = (await browse.RunAsync(new BrowseNeeds.Input(OpenOnly: false, NeedId: id), cancellationToken)).Single();
        var ids = row.Pledges.Select(p => p.CommitmentId).ToList();
        var steps = await db.CommitmentEvents.AsNoTracking().Where(e => ids.Contains(e.CommitmentId)).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        // The description, the steps' notes and the evidence may describe a named family: only inside the reader's scope.
        var details = user.SeesFamilyDetails(need);
        return TypedResults.Ok(new NeedDetail(View(row, user), details ? need.Description : null, need.Source, need.CreatedBy, need.CreatedAt,
            [.. steps.Select(e => new StepView(e.Id, e.CommitmentId, e.At, e.Actor, e.StatusFrom, e.StatusTo, details ? e.Note : null, details ? e.EvidenceName : null,
                details && e.EvidenceStoredName is not null ? $"/api/commitments/{e.CommitmentId}/steps/{e.Id}/evidence" : null))]));
    }

    private static NeedView View(BrowseNeeds.Row r, ClaimsPrincipal user) => new(r.Need.Id, r.Need.KodeDesa, r.VillageName, r.Need.Kind, user.NeedTitle(r.Need), r.Need.EstimatedCost,
        r.Covered, r.Gap, r.Need.Status, r.Need.FamilyId is not null, r.Pledges);

    private static async Task<Results<NoContent, ValidationProblem, ForbidHttpResult, NotFound>> DeliverAsync(long id, [FromForm] string? realized,
        [FromForm] string? note, IFormFile? evidence, ClaimsPrincipal user, TuntasDb db, Commitments commitments, HttpContext context, CancellationToken cancellationToken)
    {
        if (await OwnerOfAsync(db, id, cancellationToken) is not { } owner)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayActFor(owner))
        {
            return TypedResults.Forbid();
        }
        var upload = evidence is null ? null : (await ComplaintForm.ReadAttachmentsAsync([evidence], cancellationToken)).FirstOrDefault();
        var (_, problems) = await commitments.ProgressAsync(new Commitments.ProgressInput(id, CollaborationTerms.Delivered, realized, note, upload, user.UserName()),
            cancellationToken);
        if (problems.Count > 0)
        {
            return ApiProblems.Refused(problems);
        }
        AuditDetail.Set(context, $"komitmen #{id}: terealisasi {realized}");
        return TypedResults.NoContent();
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> EvidenceAsync(long id, long step, ClaimsPrincipal user, TuntasDb db, Tuntas.Attachments.AttachmentStore storage, HttpContext context,
        CancellationToken cancellationToken)
    {
        var found = await db.CommitmentEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == step && e.CommitmentId == id, cancellationToken);
        var need = await db.Commitments.AsNoTracking().Where(c => c.Id == id).Join(db.Needs, c => c.NeedId, n => n.Id, (_, n) => n).SingleOrDefaultAsync(cancellationToken);
        if (found is not { EvidenceStoredName: { } stored } || need is null || !user.SeesFamilyDetails(need)
            || Web.Attachments.AttachmentDownload.Prepare(context.Response, storage, stored, found.EvidenceName) is not { } file)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.PhysicalFile(file.Path, file.ContentType, file.DownloadName);
    }

    private static async Task<IResult> ReportAsync([FromQuery] string? region, [FromQuery] long? stakeholderId, [FromQuery] int? year, [FromQuery] string? helix,
        [FromQuery] string? format, [FromQuery] string? view, CommitmentReport report, CancellationToken cancellationToken)
    {
        var input = new CommitmentReport.Input(region, stakeholderId, year, string.IsNullOrWhiteSpace(helix) || helix == "semua" ? null : helix);
        if (CommitmentReport.Check(input) is { Count: > 0 } problems)
        {
            return ApiProblems.Refused(problems);
        }
        var outcome = await report.RunAsync(input, cancellationToken);
        if (format is not ("csv" or "xlsx"))
        {
            return TypedResults.Ok(outcome);
        }
        var which = CommitmentReport.Views.Contains(view) ? view! : "komitmen";
        using var buffer = new MemoryStream();
        await CommitmentReport.WriteAsync(outcome, which, buffer, format == "xlsx", cancellationToken);
        return TypedResults.File(buffer.ToArray(), format == "xlsx" ? Data.TableExport.XlsxContentType : Data.TableExport.CsvContentType,
            $"komitmen-{which}.{format}");
    }

    private static Task<Stakeholder?> OwnerOfAsync(TuntasDb db, long commitmentId, CancellationToken cancellationToken) =>
        db.Commitments.AsNoTracking().Where(c => c.Id == commitmentId).Join(db.Stakeholders, c => c.StakeholderId, s => s.Id, (_, s) => s)
            .SingleOrDefaultAsync(cancellationToken);

    public sealed record RoleRequest(string? ProgramCode, string? Role, string? Note, DateOnly? From);

    private static async Task<Results<Ok<StakeholderProgram>, ValidationProblem, ForbidHttpResult>> AssignRoleAsync(long id, RoleRequest request, ClaimsPrincipal user,
        ProgramRoles roles, HttpContext context, CancellationToken cancellationToken)
    {
        if (!user.Has(CollaborationPermissions.ManageStakeholders))
        {
            return TypedResults.Forbid();
        }
        var (role, problems) = await roles.AssignAsync(new ProgramRoles.AssignInput(id, request.ProgramCode, request.Role, request.Note, request.From, user.UserName()),
            cancellationToken);
        if (role is null)
        {
            return ApiProblems.Refused(problems);
        }
        AuditDetail.Set(context, $"peran pemangku #{id} dalam program {request.ProgramCode}: {request.Role}");
        return TypedResults.Ok(role);
    }

    private static async Task<Results<NoContent, ValidationProblem, ForbidHttpResult>> EndRoleAsync(long id, ClaimsPrincipal user, ProgramRoles roles, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (!user.Has(CollaborationPermissions.ManageStakeholders))
        {
            return TypedResults.Forbid();
        }
        if (await roles.EndAsync(id, user.UserName(), cancellationToken) is { } problem)
        {
            return ApiProblems.Refused([problem]);
        }
        AuditDetail.Set(context, $"peran #{id} diakhiri");
        return TypedResults.NoContent();
    }
}

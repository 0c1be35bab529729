using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tuntas.Collaboration;
using Tuntas.Data;
using Tuntas.Users;
using Tuntas.Web.Collaboration;
using Tuntas.Web.Security;

namespace Tuntas.Web.Api;

/// <summary>
/// Collaboration through the API (issue #6 §6): stakeholders, needs with coverage and gap, pledges and their progress,
/// and the Forum CSR totals. The same use cases and rules as the /Kolaborasi pages; delivery with evidence is on the
/// page (a file upload), the API refuses it with that message.
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
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Kolaborasi / Collaboration");
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
            .WithSummary("Move a commitment on").WithDescription("Body {status: berjalan|dibatalkan, note}. Delivery (terealisasi) needs evidence: on the need's page.");
        api.MapGet("/forum-csr", async ([FromQuery] int? year, [FromQuery] string? helix, ForumCsrReport report, CancellationToken ct) =>
                TypedResults.Ok(await report.RunAsync(year, string.IsNullOrWhiteSpace(helix) ? "swasta" : helix == "semua" ? null : helix, ct)))
            .WithSummary("Forum CSR totals").WithDescription("Pledged against delivered per stakeholder, village and sector; helix=swasta (default) or semua; year optional.");
        api.MapGet("/meetings", async (TuntasDb db, CancellationToken ct) => TypedResults.Ok(await db.Meetings.AsNoTracking().OrderByDescending(m => m.HeldAt).Take(200).ToListAsync(ct)))
            .WithSummary("Meetings").WithDescription("The latest 200 meetings (rakor-tkpkd, musdes, forum-csr, lainnya).");
        api.MapPost("/meetings", ScheduleAsync)
            .WithSummary("Schedule a meeting").WithDescription("Body {kind, title, heldAt (UTC), kodeDesa (musdes), agenda, invitees: [stakeholder ids]}. The secretariat; a village operator its village's musdes.");
        api.MapGet("/meetings/attendance", async (Meetings meetings, CancellationToken ct) => TypedResults.Ok(await meetings.AttendanceAsync(ct)))
            .WithSummary("Attendance per stakeholder over time").WithDescription("Invited, attended, absent and rate over the meetings whose attendance was recorded, worst first.");
        api.MapGet("/actions", async ([FromQuery] bool? overdue, Meetings meetings, CancellationToken ct) =>
                TypedResults.Ok((await meetings.OpenActionsAsync(null, ct)).Where(a => overdue != true || a.Overdue).ToList()))
            .WithSummary("Open follow-ups of meetings").WithDescription("overdue=true for the overdue ones only.");
        return api;
    }

    public sealed record MeetingRequest(string? Kind, string? Title, DateTime? HeldAt, string? KodeDesa, string? Agenda, IReadOnlyList<long>? Invitees);

    private static async Task<Results<Ok<Meeting>, ValidationProblem, ForbidHttpResult>> ScheduleAsync(MeetingRequest request, ClaimsPrincipal user, Meetings meetings,
        CancellationToken cancellationToken)
    {
        if (!user.MaySchedule(request.Kind, request.KodeDesa))
        {
            return TypedResults.Forbid();
        }
        var (meeting, problems) = await meetings.ScheduleAsync(new Meetings.ScheduleInput(request.Kind, request.Title, request.HeldAt, request.KodeDesa, request.Agenda,
            request.Invitees ?? [], user.UserName()), cancellationToken);
        return meeting is not null ? TypedResults.Ok(meeting) : Refused(problems);
    }

    private static ValidationProblem Refused(IEnumerable<Problem> problems) =>
        TypedResults.ValidationProblem(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => $"{p.Message} / {p.MessageEn}").ToArray()),
            title: "Masukan ditolak / input refused");

    private static async Task<Results<Ok<Stakeholder>, ValidationProblem, ForbidHttpResult>> SaveStakeholderAsync(StakeholderRequest request, ClaimsPrincipal user,
        SaveStakeholder save, CancellationToken cancellationToken)
    {
        if (!user.ManagesStakeholders())
        {
            return TypedResults.Forbid();
        }
        var outcome = await save.RunAsync(new SaveStakeholder.Input(null, request.Name, request.Helix, request.Resources ?? [], request.Role, request.KodeDesa,
            request.Active ?? true, request.ContactName, request.ContactPosition, request.ContactPhone, request.ContactEmail), cancellationToken);
        return outcome.Stakeholder is { } s ? TypedResults.Ok(s) : Refused(outcome.Problems);
    }

    private static async Task<Ok<IReadOnlyList<NeedView>>> BrowseAsync([FromQuery] string? region, [FromQuery] string? kind, [FromQuery] string? maxCost,
        [FromQuery] bool? all, BrowseNeeds browse, CancellationToken cancellationToken)
    {
        var rows = await browse.RunAsync(new BrowseNeeds.Input(Regions.RegionCode.ToDotted(region ?? ""), kind, Programs.Rupiah.Parse(maxCost).Value, all != true), cancellationToken);
        IReadOnlyList<NeedView> views = [.. rows.Select(r => new NeedView(r.Need.Id, r.Need.KodeDesa, r.VillageName, r.Need.Kind, r.Need.Title, r.Need.EstimatedCost,
            r.Covered, r.Gap, r.Need.Status, r.Need.FamilyId is not null, r.Pledges))];
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<Need>, ValidationProblem, ForbidHttpResult>> RecordNeedAsync(NeedRequest request, ClaimsPrincipal user, RecordNeed record,
        CancellationToken cancellationToken)
    {
        var village = Regions.RegionCode.ToDotted(request.KodeDesa ?? "");
        if (!user.MayRecordNeeds() || (village is { Length: 13 } && !user.MayRecordNeedIn(village)))
        {
            return TypedResults.Forbid();
        }
        var outcome = await record.RunAsync(new RecordNeed.Input(request.KodeDesa, request.Kind, request.Title, request.Description, request.Cost, request.Source,
            request.NoKk, user.UserName()), cancellationToken);
        return outcome.Need is { } need ? TypedResults.Ok(need) : Refused(outcome.Problems);
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
        return commitment is not null ? TypedResults.Ok(commitment) : Refused(problems);
    }

    private static async Task<Results<NoContent, ValidationProblem, ForbidHttpResult, NotFound>> ProgressAsync(long id, ProgressRequest request, ClaimsPrincipal user,
        TuntasDb db, Commitments commitments, CancellationToken cancellationToken)
    {
        var owner = await db.Commitments.AsNoTracking().Where(c => c.Id == id).Join(db.Stakeholders, c => c.StakeholderId, s => s.Id, (_, s) => s)
            .SingleOrDefaultAsync(cancellationToken);
        if (owner is null)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayActFor(owner))
        {
            return TypedResults.Forbid();
        }
        var (_, problems) = await commitments.ProgressAsync(new Commitments.ProgressInput(id, request.Status, null, request.Note, null, user.UserName()), cancellationToken);
        return problems.Count == 0 ? TypedResults.NoContent() : Refused(problems);
    }
}

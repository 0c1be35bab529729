using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Meetings;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Api;

/// <summary>
/// Meetings through the API (§6): schedule, attendance and minutes, decisions, action items and their
/// closing, attendance per stakeholder over time and the open follow-ups — the same use case (<see cref="ScheduleMeeting"/> and its neighbours)
/// and rules as /Kolaborasi/Rapat: whoever may schedule a meeting records it; an action's owner (its people) or the
/// secretariat closes it.
/// </summary>
public static class MeetingsApi
{
    public sealed record MeetingRequest(string? Kind, string? Title, DateTime? HeldAt, string? KodeDesa, string? Agenda, IReadOnlyList<long>? Invitees);

    public sealed record AttendanceRequest(IReadOnlyList<long>? Present, string? Minutes, IReadOnlyDictionary<long, string>? Notes);

    public sealed record DecisionRequest(string? Text);

    public sealed record ActionRequest(string? Text, long OwnerId, DateOnly? DueOn);

    public sealed record CloseRequest(bool Done, string? Note);

    public static RouteGroupBuilder MapMeetingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags(ApiTexts.Both("Api.Tag.Meetings"));
        api.MapGet("/meetings", async (TuntasDb db, CancellationToken ct) => TypedResults.Ok(await db.Meetings.AsNoTracking().OrderByDescending(m => m.HeldAt).Take(200).ToListAsync(ct)))
            .WithSummary("Meetings").WithDescription("The latest 200 meetings (rakor-tkpkd, musdes, forum-csr, lainnya).");
        api.MapPost("/meetings", ScheduleAsync)
            .WithSummary("Schedule a meeting").WithDescription("Body {kind, title, heldAt (UTC), kodeDesa (musdes), agenda, invitees: [stakeholder ids]}. The secretariat; a village operator its village's musdes.");
        api.MapGet("/meetings/{id:long}", async Task<Results<Ok<ReadMeeting.Detail>, NotFound>> (long id, ReadMeeting read, CancellationToken ct) =>
                await read.RunAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound())
            .WithSummary("One meeting").WithDescription("Agenda, minutes, invitees with attendance, decisions, and action items with owner, due date and status.");
        api.MapPost("/meetings/{id:long}/attendance", AttendanceAsync)
            .WithSummary("Record attendance and minutes").WithDescription("Body {present: [stakeholder ids], minutes, notes: {stakeholderId: note}}. Every invitee not present is recorded absent; an id that was not invited is refused.");
        api.MapPost("/meetings/{id:long}/decisions", DecideAsync)
            .WithSummary("Add a decision").WithDescription("Body {text} (5–2000 characters).");
        api.MapPost("/meetings/{id:long}/actions", AddActionAsync)
            .WithSummary("Add an action item").WithDescription("Body {text, ownerId (an active stakeholder), dueOn (yyyy-MM-dd)}. The owner's current contact person is recorded with it.");
        api.MapPost("/actions/{id:long}/close", CloseAsync)
            .WithSummary("Close an action item").WithDescription("Body {done: true (selesai) | false (batal), note}. The owner's people or the secretariat.");
        api.MapGet("/meetings/attendance", async (ReadAttendance attendance, CancellationToken ct) => TypedResults.Ok(await attendance.RunAsync(ct)))
            .WithSummary("Attendance per stakeholder over time").WithDescription("Invited, attended, absent and rate over the meetings whose attendance was recorded, worst first.");
        api.MapGet("/actions", async ([FromQuery] bool? overdue, ListOpenActions openActions, CancellationToken ct) =>
                TypedResults.Ok((await openActions.RunAsync(null, ct)).Where(a => overdue != true || a.Overdue).ToList()))
            .WithSummary("Open follow-ups of meetings").WithDescription("overdue=true for the overdue ones only.");
        return api;
    }

    private static async Task<Results<Ok<Meeting>, ValidationProblem, ForbidHttpResult>> ScheduleAsync(MeetingRequest request, ClaimsPrincipal user, ScheduleMeeting schedule,
        CancellationToken cancellationToken)
    {
        if (!user.MaySchedule(request.Kind, request.KodeDesa))
        {
            return TypedResults.Forbid();
        }
        var (meeting, problems) = await schedule.RunAsync(new ScheduleMeeting.Input(request.Kind, request.Title, request.HeldAt, request.KodeDesa, request.Agenda,
            request.Invitees ?? [], user.UserName()), cancellationToken);
        return meeting is not null ? TypedResults.Ok(meeting) : ApiProblems.Refused(problems);
    }

    private static async Task<Results<Ok<ReadMeeting.Detail>, ValidationProblem, ForbidHttpResult, NotFound>> AttendanceAsync(long id, AttendanceRequest request,
        ClaimsPrincipal user, ReadMeeting read, RecordAttendance attendance, HttpContext context, CancellationToken cancellationToken) =>
        await RecordAsync(id, user, read, async detail =>
        {
            var present = request.Present ?? [];
            var invited = detail.Invitees.Select(i => i.Stakeholder.Id).ToHashSet();
            if (present.Concat(request.Notes?.Keys ?? []).FirstOrDefault(p => !invited.Contains(p)) is var stranger && stranger != 0)
            {
                return [ApiTexts.Problem("Api.Meetings.NotInvited", "Present", "NOT_INVITED", stranger)];
            }
            await attendance.RunAsync(new(id, present, request.Notes ?? new Dictionary<long, string>(), request.Minutes), cancellationToken);
            AuditDetail.Set(context, $"rapat #{id}: kehadiran {present.Distinct().Count()} dari {invited.Count}");
            return [];
        }, cancellationToken);

    private static async Task<Results<Ok<ReadMeeting.Detail>, ValidationProblem, ForbidHttpResult, NotFound>> DecideAsync(long id, DecisionRequest request,
        ClaimsPrincipal user, ReadMeeting read, RecordDecision decide, CancellationToken cancellationToken) =>
        await RecordAsync(id, user, read, async _ => await decide.RunAsync(new(id, request.Text), cancellationToken) is { } p ? [p] : [], cancellationToken);

    private static async Task<Results<Ok<ReadMeeting.Detail>, ValidationProblem, ForbidHttpResult, NotFound>> AddActionAsync(long id, ActionRequest request,
        ClaimsPrincipal user, ReadMeeting read, AddAction addAction, CancellationToken cancellationToken) =>
        await RecordAsync(id, user, read, async _ => (await addAction.RunAsync(new(id, request.Text, request.OwnerId, request.DueOn), cancellationToken)).Problems,
            cancellationToken);

    /// <summary>Loads the meeting, checks the caller may record it, runs the change and answers the meeting as it now stands.</summary>
    private static async Task<Results<Ok<ReadMeeting.Detail>, ValidationProblem, ForbidHttpResult, NotFound>> RecordAsync(long id, ClaimsPrincipal user, ReadMeeting read,
        Func<ReadMeeting.Detail, Task<IReadOnlyList<Problem>>> record, CancellationToken cancellationToken)
    {
        if (await read.RunAsync(id, cancellationToken) is not { } detail)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayRecord(detail.Meeting))
        {
            return TypedResults.Forbid();
        }
        var problems = await record(detail);
        return problems.Count > 0 ? ApiProblems.Refused(problems) : TypedResults.Ok((await read.RunAsync(id, cancellationToken))!);
    }

    private static async Task<Results<NoContent, ValidationProblem, ForbidHttpResult, NotFound>> CloseAsync(long id, CloseRequest request, ClaimsPrincipal user,
        TuntasDb db, CloseAction close, CancellationToken cancellationToken)
    {
        var owner = await db.ActionItems.AsNoTracking().Where(a => a.Id == id).Join(db.Stakeholders, a => a.OwnerStakeholderId, s => s.Id, (_, s) => s)
            .SingleOrDefaultAsync(cancellationToken);
        if (owner is null)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayActFor(owner))
        {
            return TypedResults.Forbid();
        }
        return await close.RunAsync(new(id, request.Done, request.Note), cancellationToken) is { } problem ? ApiProblems.Refused([problem]) : TypedResults.NoContent();
    }
}

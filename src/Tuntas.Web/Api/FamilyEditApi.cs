using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Registry;

namespace Tuntas.Web.Api;

/// <summary>
/// The field editor through the API, with the back office's rules (<see cref="EditFamily"/> → <see cref="RegistryWriter"/>):
/// the caller sends the version it read (<c>GET /api/families/{id}</c> → <c>version</c>) and the fields to change. A stale
/// version gets 409 with the lines written since; an invalid value 400 with the import's codes, keyed
/// <c>FIELD</c> (family) or <c>persons[ID].FIELD</c>.
/// </summary>
public static class FamilyEditApi
{
    public sealed record PersonChange(long PersonId, Dictionary<string, string?> Fields);

    public sealed record LifeEventRequest(long PersonId, string Status, DateOnly? Date, string? Destination);

    public sealed record SplitRequest(List<long> PersonIds, string NoKk);

    public sealed record EditRequest(long Version, Dictionary<string, string?>? Fields, List<PersonChange>? Persons,
        List<LifeEventRequest>? LifeEvents, Dictionary<string, string?>? NewMember, SplitRequest? Split);

    public sealed record ChangeLine(DateTime ChangedAt, string ChangedBy, string Source, string? SourceRef, long? PersonId, string Field, string? OldValue, string? NewValue, long? Version);

    /// <param name="Warnings">Saved anyway: a member likely registered already under another NIK (DUPLICATE_SUSPECT, NIK masked, score).</param>
    public sealed record EditResult(long FamilyId, long Version, bool Changed, IReadOnlyList<ChangeLine> Changes, long? NewFamilyId, IReadOnlyList<EditWarning>? Warnings = null);

    public sealed record EditWarning(string Code, string? Field, long? PersonId, string Message, string MessageEn);

    public sealed record VersionView(long FamilyId, long Version);

    public static RouteGroupBuilder MapFamilyEditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(RegistryPermissions.Write.Name).WithTags(ApiTexts.Both("Api.Tag.Families"));
        api.MapGet("/families/{id:long}/version", VersionAsync)
            .WithSummary("The family's current version")
            .WithDescription("Send it back with PUT /api/families/{id}: a save on an older version is refused (409).");
        api.MapPut("/families/{id:long}", EditAsync)
            .WithSummary("Correct a family and its members field by field")
            .WithDescription("Body {version, fields: {JENIS_LANTAI: \"2\"}, persons: [{personId, fields: {NAMA: \"…\"}}], lifeEvents: [{personId, status: hidup|meninggal|pindah|hilang, date, destination}], newMember: {NIK, NAMA, …}, split: {personIds, noKk}}. Values as in the import format, validated with its codes. 409 with the other change when the version is stale.");
        api.MapGet("/change-requests/{id:long}/diff", DiffAsync)
            .ReadsPersonalData("usulan-perubahan", "id")
            .WithSummary("What an accepted change request would change")
            .WithDescription("Each proposed field: current → proposed, and the family's version to send to /apply.");
        api.MapPost("/change-requests/{id:long}/apply", ApplyAsync)
            .WithSummary("Apply an accepted change request to the registry")
            .WithDescription("Body {version} as given by /diff. Through the registry writer (source usulan); 409 when the family changed since; applying twice changes nothing (alreadyApplied).");
        return api;
    }

    public sealed record ApplyRequest(long Version);

    public sealed record ApplyResult(string Result, long? Version, IReadOnlyList<ChangeLine> Changes);

    private static async Task<Results<Ok<Tuntas.Complaints.ApplyChangeRequest.Preview>, NotFound>> DiffAsync(long id, ClaimsPrincipal user,
        Tuntas.Complaints.ApplyChangeRequest apply, CancellationToken cancellationToken) =>
        await apply.PreviewAsync(id, user.AccessScope(), cancellationToken) is { } preview ? TypedResults.Ok(preview) : TypedResults.NotFound();

    private static async Task<Results<Ok<ApplyResult>, NotFound, ValidationProblem, Conflict<ApplyResult>>> ApplyAsync(long id, ApplyRequest request, ClaimsPrincipal user,
        Tuntas.Complaints.ApplyChangeRequest apply, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await apply.RunAsync(id, request.Version, user.UserName(), user.AccessScope(), cancellationToken);
        AuditDetail.Set(http, $"terapkan usulan #{id}: {outcome.Result}");
        var result = new ApplyResult(outcome.Result.ToString(), outcome.Written?.Version, [.. (outcome.Written?.Changes ?? []).Select(c => Line(c, user))]);
        return outcome.Result switch
        {
            Tuntas.Complaints.ApplyChangeRequest.Result.NotFound => TypedResults.NotFound(),
            Tuntas.Complaints.ApplyChangeRequest.Result.Stale => TypedResults.Conflict(result),
            Tuntas.Complaints.ApplyChangeRequest.Result.Invalid => ApiProblems.Refused(outcome.Written!.Problems.Select(p => p.AsProblem())),
            Tuntas.Complaints.ApplyChangeRequest.Result.NotAccepted or Tuntas.Complaints.ApplyChangeRequest.Result.NothingToApply =>
                ApiProblems.Invalid("status", outcome.Result.ToString()),
            _ => TypedResults.Ok(result),
        };
    }

    private static async Task<Results<Ok<VersionView>, NotFound>> VersionAsync(long id, ClaimsPrincipal user, FamilyDetails details, CancellationToken cancellationToken)
    {
        var outcome = await details.RunAsync(new FamilyDetails.Input(id, 1, 1, user.AccessScope()), cancellationToken);
        return outcome is null ? TypedResults.NotFound() : TypedResults.Ok(new VersionView(id, outcome.Family.Version));
    }

    private static async Task<Results<Ok<EditResult>, NotFound, ValidationProblem, Conflict<ProblemWithChanges>>> EditAsync(
        long id, EditRequest request, ClaimsPrincipal user, EditFamily editFamily, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await editFamily.RunAsync(new EditFamily.Input(id, request.Version, user.UserName(), user.AccessScope(),
            request.Fields,
            request.Persons?.ToDictionary(p => p.PersonId, p => (IReadOnlyDictionary<string, string?>)p.Fields),
            request.LifeEvents?.Select(l => new EditFamily.LifeEvent(l.PersonId, l.Status, l.Date, l.Destination)).ToList(),
            request.NewMember,
            request.Split is { } split ? new EditFamily.Split(split.PersonIds, split.NoKk) : null), cancellationToken);
        AuditDetail.Set(http, $"ubah keluarga #{id}: {outcome.Result}");
        return outcome.Result switch
        {
            RegistryWriter.Result.NotFound => TypedResults.NotFound(),
            RegistryWriter.Result.Stale => TypedResults.Conflict(new ProblemWithChanges("VERSION_STALE", outcome.Problems[0].Message, outcome.Problems[0].MessageEn,
                outcome.Version, [.. outcome.Changes.Select(c => Line(c, user))])),
            RegistryWriter.Result.Invalid => ApiProblems.Refused(outcome.Problems.Select(p => p.AsProblem())),
            _ => TypedResults.Ok(new EditResult(id, outcome.Version, outcome.Result == RegistryWriter.Result.Written, [.. outcome.Changes.Select(c => Line(c, user))], outcome.NewFamilyId,
                [.. outcome.Warnings.Select(w => new EditWarning(w.Code, w.Field, w.PersonId, w.Message, w.MessageEn))])),
        };
    }

    /// <summary>409 body: what refused the save and the lines written since the caller's version.</summary>
    public sealed record ProblemWithChanges(string Code, string Detail, string DetailEn, long CurrentVersion, IReadOnlyList<ChangeLine> Changes);


    public static ChangeLine Line(FamilyChange c, ClaimsPrincipal user) =>
        new(c.ChangedAt, c.ChangedBy, c.Source, c.SourceRef, c.PersonId, c.Field,
            HistoryValues.Show(c.Field, c.OldValue, user.Has(RegistryPermissions.SeeSensitive)), HistoryValues.Show(c.Field, c.NewValue, user.Has(RegistryPermissions.SeeSensitive)), c.FamilyVersion);
}

using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.FieldCollection;
using Tuntas.Users;
using Tuntas.Web.Api;

namespace Tuntas.Web.OpenRosa;

/// <summary>
/// Field collection in the API, the same use cases as the back office's /Lapangan page: device tokens (create, shown
/// once; revoke), and the activity (devices, forms and versions, submissions per enumerator per day, latest submissions).
/// The offline form in the browser (/Lapangan/Formulir) downloads its worklist here and sends each filled form here, as
/// the same OpenRosa body ODK Collect sends, to the same <see cref="ReceiveSubmission"/>.
/// </summary>
public static class FieldApi
{
    public sealed record DeviceRequest(string? UserName, string DeviceName);

    public sealed record DeviceCreated(long Id, string UserName, string Name, string Token, string ServerUrl);

    /// <summary>What became of a submission: <c>diterima</c> (accepted) or <c>ditolak</c> (stored, refused by the checks, with the reasons).</summary>
    public sealed record SubmissionReceived(long Id, string InstanceId, string Status, bool Duplicate, long? LineId, IReadOnlyList<string> Problems);

    /// <summary>The header the browser form sends with each submission: a cross-site form cannot set it (a CSRF guard on
    /// top of the SameSite=Strict cookie, OWASP "custom request headers").</summary>
    public const string FormHeader = "X-Tuntas-Formulir";

    public static RouteGroupBuilder MapFieldApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/field").RequirePermission(FieldPermissions.Read)
            .WithTags("Field collection");
        api.MapGet("/activity", async (ClaimsPrincipal user, FieldActivity activity, CancellationToken ct) =>
                TypedResults.Ok(await activity.RunAsync(new FieldActivity.Input(user.UserName(), user.AccessScope(), user.Has(UserPermissions.Manage)), ct)))
            .WithSummary("Devices, forms and versions, submissions per enumerator per day, latest submissions with refusal reasons")
            // GPS points of families' homes and refusal reasons: audited like the page.
            .ReadsPersonalData("lapangan", null);
        api.MapPost("/devices", CreateAsync)
            .WithSummary("Create a device token for ODK Collect").WithDescription("Body {userName (administrator only; default: yourself), deviceName}. The token and the server URL are returned once; only a hash is kept.");
        api.MapPost("/devices/{id:long}/revoke", async Task<Results<NoContent, NotFound>> (long id, ClaimsPrincipal user, RevokeDeviceToken revoke, HttpContext http, CancellationToken ct) =>
            {
                if (await revoke.RunAsync(new RevokeDeviceToken.Input(id, user.UserName(), user.Has(UserPermissions.Manage)), ct) is not null)
                {
                    return TypedResults.NotFound();
                }
                AuditDetail.Set(http, string.Create(CultureInfo.InvariantCulture, $"token perangkat #{id} dicabut"));
                return TypedResults.NoContent();
            })
            .WithSummary("Revoke a device token (own, or any for an administrator)");

        var collect = app.MapGroup("/api/field").RequirePermission(FieldPermissions.Collect).WithTags("Field collection");
        collect.MapGet("/worklist", async (ClaimsPrincipal user, FieldWorklist worklist, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await worklist.RunAsync(new FieldWorklist.Input(user.UserName(), user.AccessScope()), ct);
                AuditDetail.Set(http, string.Create(CultureInfo.InvariantCulture, $"daftar kunjungan {outcome.Families.Count} keluarga untuk formulir luring"));
                return TypedResults.Ok(outcome);
            })
            .WithSummary("The signed-in enumerator's worklist for the offline browser form")
            .WithDescription("The families of the lines assigned to you in the open period (head, address, masked NO_KK, current values), their living members, the villages you may propose a family in, and both forms' fields and current versions: the data the ODK forms' media files carry.")
            // Names and addresses of families: one audited read per download.
            .ReadsPersonalData("lapangan-daftar", null);
        collect.MapPost("/submissions", SubmitAsync).DisableAntiforgery()
            .WithSummary("Send a filled field form (the browser form)")
            .WithDescription($"multipart/form-data as ODK Collect sends it: xml_submission_file (the form instance, with its instanceID) and the photo it names; header {FormHeader}: 1. 201 with the outcome (accepted, or stored as refused with the reasons); the same instanceID again is stored once.");
        return api;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, ClaimsPrincipal user, AuthenticateDevice authenticate, ReceiveSubmission receive, CancellationToken ct)
    {
        if (!http.Request.Headers.ContainsKey(FormHeader))
        {
            return ApiProblems.Refused(StatusCodes.Status400BadRequest, FieldTerms.Problem("FORM_HEADER"));
        }
        var (device, refusal) = await authenticate.SignedInAsync(user.UserName(), user.AccessScope(), ct);
        if (device is null)
        {
            return ApiProblems.Refused(StatusCodes.Status403Forbidden, refusal!);
        }
        var body = await OpenRosaApi.ReadSubmissionAsync(http, ct);
        if (body.Problem is { } unread)
        {
            return ApiProblems.Refused(body.Status, unread);
        }
        var outcome = await receive.RunAsync(new ReceiveSubmission.Input(body.Xml!, body.Attachments, device), ct);
        if (outcome.Problem is { } problem)
        {
            return ApiProblems.Refused(outcome.Status, problem);
        }
        OpenRosaApi.AuditReceived(http, outcome);
        var s = outcome.Submission!;
        return TypedResults.Created((string?)null, new SubmissionReceived(s.Id, s.InstanceId, s.Status, outcome.Duplicate, s.LineId,
            (s.Problems ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    private static async Task<Results<Ok<DeviceCreated>, ValidationProblem>> CreateAsync(DeviceRequest request, ClaimsPrincipal user, CreateDeviceToken create,
        HttpContext http, CancellationToken ct)
    {
        var target = user.Has(UserPermissions.Manage) && !string.IsNullOrWhiteSpace(request.UserName) ? request.UserName : user.UserName();
        var outcome = await create.RunAsync(new CreateDeviceToken.Input(target, request.DeviceName, user.UserName(), user.Has(UserPermissions.Manage)), ct);
        if (outcome.Problem is { } problem)
        {
            return ApiProblems.Refused(problem);
        }
        AuditDetail.Set(http, string.Create(CultureInfo.InvariantCulture, $"token perangkat baru #{outcome.Token!.Id} \"{outcome.Token.Name}\""));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new DeviceCreated(outcome.Token.Id, target.Trim().ToLowerInvariant(), outcome.Token.Name, outcome.Secret!,
            $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/key/{outcome.Secret}"));
    }
}

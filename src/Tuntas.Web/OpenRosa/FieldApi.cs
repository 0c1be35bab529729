using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.FieldCollection;
using Tuntas.Users;
using Tuntas.Web.Api;

namespace Tuntas.Web.OpenRosa;

/// <summary>
/// Field collection in the API, the same use cases as the back office's /Lapangan page: device tokens (create, shown
/// once; revoke), and the activity (devices, forms and versions, submissions per enumerator per day, latest submissions).
/// </summary>
public static class FieldApi
{
    public sealed record DeviceRequest(string? UserName, string DeviceName);

    public sealed record DeviceCreated(long Id, string UserName, string Name, string Token, string ServerUrl);

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
        return api;
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

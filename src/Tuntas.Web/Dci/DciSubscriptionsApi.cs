using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Dci.Subscriptions;
using Tuntas.Users;

namespace Tuntas.Web.Dci;

/// <summary>
/// The DCI subscriptions and their delivery state for the administrator, as the back office's <c>/Pengguna/Dci</c> shows
/// them (<see cref="ListSubscriptions"/>): <c>GET /api/dci-subscriptions</c> and <c>GET /api/dci-subscriptions/{id}</c>.
/// Beside <c>/api/dci</c> (the DCI clients' own bearer-token API), with the back office's cookie, key or token.
/// </summary>
public static class DciSubscriptionsApi
{
    public static void MapDciSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dci-subscriptions").RequireAuthorization(UserPermissions.Manage.Name).WithTags("DCI Social Registry");
        api.MapGet("/", async (ListSubscriptions list, CancellationToken ct) => TypedResults.Ok(await list.RunAsync(null, ct)))
            .WithName("DciSubscriptions")
            .WithSummary("DCI subscriptions and their delivery state")
            .WithDescription("Newest first (at most 500): the client, the code, event type, filter type, notify URL, state (subscribe/unsubscribe), and the notifications pending, delivered, failed and dropped; delivery is pending, delivered, failing (the oldest pending notification was refused: last_error and next_attempt_at say why and when it is tried again) or failed. No personal data.");
        api.MapGet("/{id:long}", async Task<Results<Ok<ListSubscriptions.Line>, NotFound>> (long id, ListSubscriptions list, CancellationToken ct) =>
                (await list.RunAsync(id, ct)) is [var line] ? TypedResults.Ok(line) : TypedResults.NotFound())
            .WithName("DciSubscription")
            .WithSummary("One DCI subscription and its delivery state")
            .WithDescription("404 when there is no such subscription.");
    }
}

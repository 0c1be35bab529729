using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Tuntas.Access;
using Tuntas.Users;

namespace Tuntas.Web.Security;

/// <summary>
/// After authentication, on every request: re-reads the signed-in user and its server-side session (one primary-key
/// lookup) so that a signed-out or reset session, a disabled account, or one whose role, region or organization changed,
/// loses its session at once instead of when the cookie expires (OWASP ASVS 3.3.1, 3.3.3); then resolves the
/// <see cref="AccessScope"/> (<see cref="ResolveAccessScope"/>) — for users and for API clients alike, from the role,
/// region and organization the request carries — and attaches it to the principal, where every page, API route, export
/// and queued job reads it with <see cref="AccessScopeClaims.AccessScope"/>. Nothing else looks a region up.
/// </summary>
public sealed class AccessScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            // Taken from the request's services here rather than injected into the method: an anonymous request (the
            // citizen's status check, the portal) then builds no DbContext at all — the profile of the status check
            // found one built per request for nothing (docs/benchmarks.md, Public status check).
            var db = context.RequestServices.GetRequiredService<TuntasDb>();
            var resolve = context.RequestServices.GetRequiredService<ResolveAccessScope>();
            var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
            AccessScope? scope = null;
            if (long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var userId))
            {
                var session = Sessions.Hash(user.FindFirstValue(TuntasClaims.Session) ?? "");
                var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                    .Select(u => new
                    {
                        u.Role,
                        u.RegionCode,
                        u.Organization,
                        u.Disabled,
                        Active = db.UserSessions.Any(s => s.IdHash == session && s.UserId == userId && s.EndedAt == null),
                    })
                    .SingleOrDefaultAsync(context.RequestAborted);
                if (row is null || !row.Active || row.Disabled || row.Role != user.Role() || row.RegionCode != user.FindFirstValue(TuntasClaims.Region)
                    || row.Organization != user.FindFirstValue(TuntasClaims.Organization))
                {
                    // Stale session: sign out and continue anonymous; authorization then sends the user to /Masuk (401 on /api).
                    await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    context.User = new ClaimsPrincipal(new ClaimsIdentity());
                }
                else
                {
                    scope = await resolve.RunAsync(new ResolveAccessScope.Input(userId, row.Role, row.RegionCode, row.Organization), context.RequestAborted);
                }
            }
            else if (id?.StartsWith(ApiKeyHandler.ClientPrefix, StringComparison.Ordinal) == true)
            {
                // An API client (X-Api-Key), read from its row by the key handler in this request: scope by its role,
                // region and organization, exactly as for a user (it has no facilitator assignments).
                scope = await resolve.RunAsync(new ResolveAccessScope.Input(null, user.Role(), user.FindFirstValue(TuntasClaims.Region),
                    user.FindFirstValue(TuntasClaims.Organization)), context.RequestAborted);
            }
            if (scope is not null)
            {
                context.User.AddIdentity(new AccessScopeIdentity(scope));
            }
        }
        await next(context);
    }
}

/// <summary>Carries the request's <see cref="AccessScope"/> on the principal; unauthenticated, with no claims.</summary>
public sealed class AccessScopeIdentity(AccessScope scope) : ClaimsIdentity
{
    public AccessScope Scope { get; } = scope;
}

public static class AccessScopeClaims
{
    /// <summary>The user's scope; <see cref="AccessScope.Nothing"/> when none was resolved (fail closed).</summary>
    public static AccessScope AccessScope(this ClaimsPrincipal user) =>
        user.Identities.OfType<AccessScopeIdentity>().FirstOrDefault()?.Scope ?? Tuntas.Access.AccessScope.Nothing;
}

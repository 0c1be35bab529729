using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Data;

namespace Tuntas.Web.Security;

/// <summary>
/// After authentication, on every request: re-reads the signed-in user (one primary-key lookup) so that a disabled
/// account, or one whose role, region or organization changed, loses its session at once instead of when the cookie
/// expires; then resolves the user's <see cref="AccessScope"/> (<see cref="ResolveAccessScope"/>) and attaches it to
/// the principal, where every page, API route and export reads it with <see cref="AccessScopeClaims.AccessScope"/>.
/// </summary>
public sealed class AccessScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TuntasDb db, ResolveAccessScope resolve)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
            AccessScope? scope = null;
            if (long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var userId))
            {
                var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                    .Select(u => new { u.Role, u.RegionCode, u.Organization, u.Disabled })
                    .SingleOrDefaultAsync(context.RequestAborted);
                if (row is null || row.Disabled || row.Role != user.Role() || row.RegionCode != user.FindFirstValue(TuntasClaims.Region)
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
            else
            {
                // An API client (X-Api-Key): scope by its role; it has no region, organization or assignments.
                scope = await resolve.RunAsync(new ResolveAccessScope.Input(null, user.Role(), null, null), context.RequestAborted);
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

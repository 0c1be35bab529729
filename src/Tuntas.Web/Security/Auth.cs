using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Tuntas.Users;

namespace Tuntas.Web.Security;

public static class AuthSchemes
{
    /// <summary>The policy scheme: API key on /api when the header is present, the cookie otherwise.</summary>
    public const string Default = "tuntas";
    public const string ApiKey = "api-key";
}

public static class TuntasClaims
{
    public const string DisplayName = "tuntas:display_name";
    /// <summary>Region the user is limited to (a village for a village operator); absent = the whole regency.</summary>
    public const string Region = "tuntas:region";
    /// <summary>The user's OPD or partner organization, when set.</summary>
    public const string Organization = "tuntas:organization";
    /// <summary>The server-side session's id (<see cref="Sessions"/>): only the cookie holds it; the database its hash.</summary>
    public const string Session = "tuntas:session";

    public static ClaimsPrincipal For(User user, string scheme, string sessionId) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.UserName),
            new Claim(DisplayName, user.DisplayName),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(Session, sessionId),
            .. user.RegionCode is null ? Array.Empty<Claim>() : [new Claim(Region, user.RegionCode)],
            .. user.Organization is null ? Array.Empty<Claim>() : [new Claim(Organization, user.Organization)],
        ], scheme, ClaimTypes.Name, ClaimTypes.Role));

    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "";

    public static string UserName(this ClaimsPrincipal user) => user.Identity?.Name ?? "";

    public static string DisplayNameOf(this ClaimsPrincipal user) => user.FindFirstValue(DisplayName) ?? user.UserName();

    public static string? OrganizationOf(this ClaimsPrincipal user) => user.FindFirstValue(Organization);

    /// <summary>Run exports and ranked lists carry every family's full NO_KK (<see cref="Targeting.TargetingPermissions.MayExport"/>).</summary>
    public static bool CanExportTargeting(this ClaimsPrincipal user) => Targeting.TargetingPermissions.MayExport(user.Role(), user.AccessScope());

    /// <summary>Whether this user may change this program (<see cref="Access.ProgramOwnership"/>: an officer only its own OPD's).</summary>
    public static bool MayManage(this ClaimsPrincipal user, string programOwner) =>
        Access.ProgramOwnership.MayManage(user.Role(), user.OrganizationOf(), programOwner);

    /// <summary>A region filter a user asked for (kecamatan or desa code), normalized; the <see cref="Access.AccessScope"/> still applies.</summary>
    public static string? RequestedRegion(string? requested) =>
        string.IsNullOrWhiteSpace(requested) ? null : Regions.RegionCode.ToDotted(requested) ?? requested.Trim();
}

public static class ApiPaths
{
    public static bool IsApi(HttpContext context) => IsApi(context.Request);

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>Pages redirect to /Masuk; /api answers with the bare status, turned into ProblemDetails downstream.</summary>
    public static Task StatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}

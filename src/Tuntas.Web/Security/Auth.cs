using System.Security.Claims;
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

public static class AuthPolicies
{
    /// <summary>Roles that may write to the registry (<see cref="Roles.CanImport"/>).</summary>
    public const string Import = "import";

    /// <summary>Roles that may start targeting runs and save eligibility rules and scoring models (<see cref="TuntasClaims.CanManageTargeting"/>).</summary>
    public const string Targeting = "targeting";

    /// <summary>Roles that may edit the program catalogue, budgets, recipient lists and enrollments (<see cref="TuntasClaims.CanManagePrograms"/>).</summary>
    public const string Programs = "programs";

    /// <summary>Roles that may read the audit trail (<see cref="TuntasClaims.CanReadAudit"/>).</summary>
    public const string Audit = "audit";

    /// <summary>The administrator: users, assignments, data-sharing agreements (<see cref="TuntasClaims.CanManageUsers"/>).</summary>
    public const string Users = "users";
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

    public static bool CanImport(this ClaimsPrincipal user) => Roles.CanImport(user.Role());

    /// <summary>Health, disability and income (UU PDP 27/2022 Pasal 4(2): specific personal data): least privilege.</summary>
    public static bool CanSeeSensitive(this ClaimsPrincipal user) => user.Role() is Roles.Administrator or Roles.TkpkdCoordinator;

    /// <summary>Full NIK/NO_KK: roles that verify identities in the field or at the regency.</summary>
    public static bool CanSeeFullIdentifiers(this ClaimsPrincipal user) =>
        user.Role() is Roles.Administrator or Roles.TkpkdCoordinator or Roles.VillageOperator;

    /// <summary>Administrators and coordinators see every import job; others only their own.</summary>
    public static bool SeesAllImports(this ClaimsPrincipal user) => user.Role() is Roles.Administrator or Roles.TkpkdCoordinator;

    /// <summary>Targeting decides who gets a program across the regency: only the administrator and the regency coordinator
    /// start runs and change rules or models; every signed-in role may read them.</summary>
    public static bool CanManageTargeting(this ClaimsPrincipal user) => user.Role() is Roles.Administrator or Roles.TkpkdCoordinator;

    /// <summary>The administrator and the auditor read the audit trail; nobody can change it from the application.</summary>
    public static bool CanReadAudit(this ClaimsPrincipal user) => user.Role() is Roles.Administrator or Roles.Auditor;

    /// <summary>Users, facilitator assignments and data-sharing agreements: the administrator only.</summary>
    public static bool CanManageUsers(this ClaimsPrincipal user) => user.Role() is Roles.Administrator;

    /// <summary>Programs belong to the agencies that run them: the administrator, the regency coordinator and agency (OPD)
    /// officers edit the catalogue, budgets, recipient lists and enrollments; every signed-in role may read them.</summary>
    /// <summary>An officer changes only its own OPD's programs (<see cref="MayManage"/>).</summary>
    public static bool CanManagePrograms(this ClaimsPrincipal user) => user.Role() is Roles.Administrator or Roles.TkpkdCoordinator or Roles.AgencyOfficer;

    /// <summary>Run exports and ranked lists carry every family's full NO_KK across the regency: regency-wide roles that
    /// verify identities only.</summary>
    public static bool CanExportTargeting(this ClaimsPrincipal user) => user.CanSeeFullIdentifiers() && user.AccessScope().IsRegencyWide;

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

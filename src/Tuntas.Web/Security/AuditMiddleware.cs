using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Tuntas.Audit;
using Tuntas.Data;
using Tuntas.Users;

namespace Tuntas.Web.Security;

/// <summary>
/// Writes the audit trail for every request that touches personal data or changes something (issue #5): each view of
/// a family's detail (page and API), each download (any response sent as an attachment: exports, worklists, reports),
/// each change (any successful non-GET request), each sign-in and failed sign-in, and each refused authorization.
/// One place for all routes, so a new page cannot forget it. URLs carry no personal data (ids only), so the path is
/// safe to record; the form's user name is recorded for sign-ins, never the password.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var input = Classify(context);
        if (input is null)
        {
            return;
        }
        if (input.Action == AuditActions.SignIn)
        {
            // The principal of the signing-in request is still anonymous: name the role the account has.
            await using var db = context.RequestServices.GetRequiredService<TuntasDatabase>().CreateDb();
            input = input with { ActorRole = db.Users.Where(u => u.UserName == input.Actor).Select(u => u.Role).FirstOrDefault() };
        }
        try
        {
            var services = context.RequestServices;
            await new AppendAudit(services.GetRequiredService<TuntasDatabase>(), services.GetRequiredService<TimeProvider>())
                .RunAsync(input, CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // The response has been sent; a lost audit line must at least be visible in the application log.
            logger.LogError(e, "Audit entry not written: {Action} {Path}", input.Action, context.Request.Path);
        }
    }

    private static AppendAudit.Input? Classify(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "";
        var user = context.User;
        var actor = user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "?" : "anonim";
        var role = user.FindFirstValue(ClaimTypes.Role);
        var origin = context.Connection.RemoteIpAddress?.ToString() ?? "tidak-diketahui";
        var isGet = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var handler = request.Query["handler"].ToString();
        var where = handler.Length > 0 ? $"{request.Method} {path}?handler={handler}" : $"{request.Method} {path}";

        if (response.StatusCode == StatusCodes.Status403Forbidden
            || (response.StatusCode == StatusCodes.Status302Found && response.Headers.Location.ToString().StartsWith("/Ditolak", StringComparison.OrdinalIgnoreCase)))
        {
            return new(actor, AuditActions.AccessDenied, "rute", path, where, role, origin);
        }
        if (path.Equals("/Masuk", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(request.Method))
        {
            var attempted = request.HasFormContentType ? AddUser.NormalizeUserName(request.Form["UserName"].ToString()) : "";
            var succeeded = response.StatusCode == StatusCodes.Status302Found;
            return new(attempted.Length is > 0 and <= 64 ? attempted : "?", succeeded ? AuditActions.SignIn : AuditActions.SignInFailed,
                "pengguna", attempted, null, succeeded ? role : null, origin);
        }
        if (response.StatusCode >= 400 || IsPublicStatusCheck(path))
        {
            // The citizen's status check is a POST that reads, by the data subject, without sign-in: it changes
            // nothing, names no one in the answer and is rate limited; a chained entry per check would let anyone
            // flood the trail (and serialize the check behind the audit lock).
            return null;
        }
        if (isGet && FamilyPath().Match(path) is { Success: true } family)
        {
            return new(actor, AuditActions.ViewFamily, "keluarga", family.Groups["id"].Value, where, role, origin);
        }
        if (isGet && handler.Length == 0 && ComplaintPath().Match(path) is { Success: true } complaint)
        {
            return new(actor, AuditActions.ViewComplaint, "pengaduan", complaint.Groups["id"].Value, where, role, origin);
        }
        if (response.Headers.ContentDisposition.ToString().Contains("attachment", StringComparison.OrdinalIgnoreCase))
        {
            // Query values here are run ids, program codes and region codes — never personal data (see the API rules).
            return new(actor, AuditActions.Export, "unduhan", path, request.QueryString.Value is { Length: > 0 } q ? path + q : path, role, origin);
        }
        if (handler.Equals("BukaNik", StringComparison.OrdinalIgnoreCase) && request.HasFormContentType)
        {
            return new(actor, AuditActions.RevealNik, "orang", request.Form["personId"].ToString(), where, role, origin);
        }
        if (!isGet && !path.Equals("/Keluar", StringComparison.OrdinalIgnoreCase))
        {
            var action = path.Contains("/Impor", StringComparison.OrdinalIgnoreCase) || path.Contains("import", StringComparison.OrdinalIgnoreCase)
                || path.Contains("recipients", StringComparison.OrdinalIgnoreCase) || handler.Contains("Unggah", StringComparison.OrdinalIgnoreCase)
                ? AuditActions.Import : AuditActions.Change;
            // A page may describe the change (old → new), e.g. a user's role; otherwise the route says what was done.
            var detail = AuditDetail.Get(context) is { } described ? where + " — " + described : where;
            return new(actor, action, "rute", path, detail, role, origin);
        }
        return null;
    }

    private static bool IsPublicStatusCheck(string path) =>
        path.Equals("/api/public/status", StringComparison.OrdinalIgnoreCase) || path.Equals("/Publik/Cek", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^/(?:Keluarga|api/families)/(?<id>\d+)(?:/history|/assistance)?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex FamilyPath();

    [GeneratedRegex(@"^/(?:Aduan|api/complaints)/(?<id>\d+)/?$", RegexOptions.IgnoreCase)]
    private static partial Regex ComplaintPath();
}

/// <summary>
/// What a change request did, in words ("peran: operator-desa → pendamping"), set by the page or endpoint that made the
/// change and written by <see cref="AuditMiddleware"/> into the audit entry (issue #5 §3: old → new). Never personal data.
/// </summary>
public static class AuditDetail
{
    private const string Key = "tuntas:audit-detail";

    public static void Set(HttpContext context, string detail) => context.Items[Key] = detail.Length > 1000 ? detail[..1000] : detail;

    public static string? Get(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as string : null;
}

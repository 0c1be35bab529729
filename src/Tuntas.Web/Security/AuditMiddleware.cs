using Tuntas.Audit;

namespace Tuntas.Web.Security;

/// <summary>
/// Writes the audit trail for every request that reads personal data or changes something (UU PDP 27/2022: accountable
/// processing; OWASP ASVS 7.1): each read of an endpoint marked <see cref="PersonalDataReadAttribute"/> (page or API —
/// the mark is endpoint metadata, not URL text, so a new route declares it where it is defined), each download (any
/// response sent as an attachment), each change (any successful non-GET request), each sign-in and failed sign-in, each
/// refused authorization and each audited reveal of a NIK.
/// <para>
/// The entry is written just before the response starts (<see cref="HttpResponse.OnStarting(Func{Task})"/>), through
/// the group-committing <see cref="AuditWriter"/>: a response that reached the client has its entry committed — if the
/// entry cannot be written, the response fails instead. One request, one entry: a search is a read, a refused POST is
/// a refusal, not a change.
/// </para>
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next)
{
    private const string RecordedKey = "tuntas:audit-recorded";

    public async Task InvokeAsync(HttpContext context, AuditWriter writer)
    {
        // A request that may change something names its change before it runs, so the transaction that commits the
        // change also commits the record of it (PendingChange); the chained entry below then takes the record's place.
        var change = IsGetLike(context.Request) || context.Items.ContainsKey(RecordedKey) || IsSignOut(context.Request)
            ? null : new RequestChange(() => ChangeEntry(context));
        context.Response.OnStarting(() => RecordAsync(context, writer, change));
        using (change is null ? null : RequestChange.Begin(change))
        {
            await next(context);
        }
    }

    private static async Task RecordAsync(HttpContext context, AuditWriter writer, RequestChange? change)
    {
        // A status page re-executes the pipeline for the same response: it is still one request, one entry.
        if (context.Items.ContainsKey(RecordedKey))
        {
            return;
        }
        var input = Classify(context);
        if (change is { Recorded: true })
        {
            // Something was committed: whatever the answer, the entry is written and settles the record. An answer
            // that is not a success (a refusal after a commit, an error) still names the change it follows.
            var entry = input ?? change.Entry with { Detail = $"{change.Entry.Detail} — jawaban / answer {context.Response.StatusCode}" };
            input = entry with { RequestId = change.RequestId };
        }
        if (input is null)
        {
            return;
        }
        context.Items[RecordedKey] = true;
        await writer.AppendAsync(input);
    }

    /// <summary>Signing out ends the session (Users/Sessions) and is not a change to audit.</summary>
    private static bool IsSignOut(HttpRequest request) => request.Path.Equals("/Keluar", StringComparison.OrdinalIgnoreCase);

    private static bool IsGetLike(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);

    /// <summary>The entry of a change as the route names it (the page may add words with <see cref="AuditDetail"/>).</summary>
    private static AppendAudit.Input ChangeEntry(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var handler = request.Query["handler"].ToString();
        var where = handler.Length > 0 ? $"{request.Method} {path}?handler={Shorten(handler)}" : $"{request.Method} {path}";
        var user = context.User;
        var actor = user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "?" : "anonim";
        var action = path.Contains("/Impor", StringComparison.OrdinalIgnoreCase) || path.Contains("import", StringComparison.OrdinalIgnoreCase)
            || path.Contains("recipients", StringComparison.OrdinalIgnoreCase) || handler.Contains("Unggah", StringComparison.OrdinalIgnoreCase)
            || handler.Contains("Daftarkan", StringComparison.OrdinalIgnoreCase)
            ? AuditActions.Import : AuditActions.Change;
        var detail = AuditDetail.Get(context) is { } described ? where + " — " + described : where;
        return new(actor, action, "rute", path, detail, user.FindFirstValue(ClaimTypes.Role),
            context.Connection.RemoteIpAddress?.ToString() ?? "tidak-diketahui");
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
        var where = handler.Length > 0 ? $"{request.Method} {path}?handler={Shorten(handler)}" : $"{request.Method} {path}";
        var endpoint = context.GetEndpoint();

        if (response.StatusCode == StatusCodes.Status403Forbidden
            || (response.StatusCode == StatusCodes.Status302Found && IsAccessDenied(response.Headers.Location.ToString())))
        {
            return new(actor, AuditActions.AccessDenied, "rute", path, where, role, origin);
        }
        if (SignInAttempt.Get(context) is { } attempt)
        {
            // Set by the sign-in page for each attempt it judged (a throttled one is not judged, and not recorded one by one).
            return new(attempt.UserName.Length is > 0 and <= 64 ? attempt.UserName : "?", attempt.Succeeded ? AuditActions.SignIn : AuditActions.SignInFailed,
                "pengguna", attempt.UserName, attempt.Detail, attempt.Succeeded ? attempt.Role : null, origin);
        }
        if (response.StatusCode >= 400 || endpoint?.Metadata.GetMetadata<NotAuditedAttribute>() is not null)
        {
            return null;
        }
        if (endpoint?.Metadata.GetMetadata<PersonalDataReadAttribute>() is { } read && (isGet || (read.ReadsOnPost && handler.Length == 0)))
        {
            // The route value that names what was read, or the query value of that name (a list's village filter).
            var subject = read.RouteValue is { } name ? context.GetRouteValue(name)?.ToString() ?? request.Query[name].FirstOrDefault() : null;
            // A village or kecamatan is written in the Kemendagri dotted form, however the request spelt it (3314012001
            // or 33.14.01.2001), so that the trail of one village reads as one subject whatever path read it.
            subject = subject is null ? null : read.SubjectType is "desa" or "kecamatan" && Tuntas.Regions.RegionCode.ToDotted(subject.Trim()) is { Length: > 0 } dotted
                ? Shorten(dotted) : Shorten(subject);
            return new(actor, read.Action, read.SubjectType, subject, AuditDetail.Get(context) is { } described ? where + " — " + described : where, role, origin);
        }
        if (response.Headers.ContentDisposition.ToString().Contains("attachment", StringComparison.OrdinalIgnoreCase))
        {
            // Query values here are run ids, program codes and region codes — never personal data (see the API rules).
            return new(actor, AuditActions.Export, "unduhan", path, request.QueryString.Value is { Length: > 0 } q ? path + Shorten(q) : path, role, origin);
        }
        if (handler.Equals("BukaNik", StringComparison.OrdinalIgnoreCase) && request.HasFormContentType)
        {
            // One member's NIK (the family page) or one page of a list (a program's recipients): the form names which.
            return request.Form["daftar"].ToString() is { Length: > 0 } list
                ? new(actor, AuditActions.RevealNik, "daftar", Shorten(list), where + " — " + Shorten("hal " + request.Form["hal"]), role, origin)
                : new(actor, AuditActions.RevealNik, "orang", Shorten(request.Form["personId"].ToString()), where, role, origin);
        }
        if (!isGet && !IsSignOut(request))
        {
            // A page may describe the change (old → new), e.g. a user's role; otherwise the route says what was done.
            return ChangeEntry(context);
        }
        return null;
    }

    /// <summary>
    /// The cookie handler's redirect to the access-denied page. It writes an absolute URI (http://host/Ditolak?ReturnUrl=…):
    /// matched on the path, so a refused GET of a page marked <see cref="PersonalDataReadAttribute"/> is a refusal, not a read.
    /// </summary>
    private static bool IsAccessDenied(string location) =>
        Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out var uri)
        && (uri.IsAbsoluteUri ? uri.AbsolutePath : location).StartsWith("/Ditolak", StringComparison.OrdinalIgnoreCase);

    /// <summary>Values typed by anyone go into the trail at a bounded length.</summary>
    private static string Shorten(string value) => value.Length > 200 ? value[..200] : value;
}

/// <summary>
/// Marks a page model or an API endpoint whose GET answer shows personal data (names, NIK, NO_KK, health, disability,
/// income): every successful read is recorded once, with the route value that names what was read (a family id, a
/// village code, a program code). Declared where the endpoint is defined, so the audit cannot miss a new route.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PersonalDataReadAttribute(string subjectType, string? routeValue = "id", string action = AuditActions.ViewPersonalData) : Attribute
{
    /// <summary>The page's plain POST is a read too (a search by NIK, a posko status check: the NIK stays out of the URL).</summary>
    public bool ReadsOnPost { get; init; }

    public string SubjectType { get; } = subjectType;
    public string? RouteValue { get; } = routeValue;
    public string Action { get; } = action;
}

/// <summary>
/// Marks an endpoint whose requests are deliberately not recorded one by one: the citizen's status check (a read by the
/// data subject, without sign-in, naming no one, rate limited — a chained entry per check would let anyone flood the trail).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class NotAuditedAttribute : Attribute;

public static class AuditedEndpoints
{
    /// <summary>The minimal-API form of <see cref="PersonalDataReadAttribute"/>.</summary>
    public static TBuilder ReadsPersonalData<TBuilder>(this TBuilder builder, string subjectType, string? routeValue = "id",
        string action = AuditActions.ViewPersonalData, bool readsOnPost = false) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PersonalDataReadAttribute(subjectType, routeValue, action) { ReadsOnPost = readsOnPost });
}

/// <summary>
/// What change a request made, in words ("peran: operator-desa → pendamping"), set by the page or endpoint that made the
/// change and written by <see cref="AuditMiddleware"/> into the audit entry (old → new). Never personal data.
/// </summary>
public static class AuditDetail
{
    private const string Key = "tuntas:audit-detail";

    public static void Set(HttpContext context, string detail) => context.Items[Key] = detail.Length > 1000 ? detail[..1000] : detail;

    public static string? Get(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as string : null;
}

/// <summary>A sign-in attempt the sign-in page judged, for the audit entry (the principal is still anonymous then).</summary>
public sealed record SignInAttempt(string UserName, bool Succeeded, string? Role, string? Detail = null)
{
    private const string Key = "tuntas:sign-in-attempt";

    public static void Set(HttpContext context, SignInAttempt attempt) => context.Items[Key] = attempt;

    public static SignInAttempt? Get(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as SignInAttempt : null;
}

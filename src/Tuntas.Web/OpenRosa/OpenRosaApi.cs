using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Tuntas.Attachments;
using Tuntas.FieldCollection;
using Tuntas.Users;

namespace Tuntas.Web.OpenRosa;

/// <summary>
/// The OpenRosa 1.0 server side that ODK Collect and KoboCollect speak (OpenRosa Form List, Form Submission and
/// HTTP-header APIs; the shape ODK Central serves, getodk/docs central-api-openrosa-endpoints.rst): form list, form
/// download, manifest and media, submission. A thin adapter: every step is a Core use case of Tuntas.FieldCollection.
/// <para>
/// Authentication is a device token in the server URL, as ODK Central's app users: the facilitator types
/// <c>https://server/key/TOKEN</c> in Collect, which then calls <c>…/key/TOKEN/formList</c> and <c>…/key/TOKEN/submission</c>.
/// <see cref="RewriteTokenPath"/> moves <c>/key/TOKEN</c> into the request's PathBase before routing, so the token is
/// never part of the path the audit trail records; each request then acts as the token's user, with that user's
/// <c>AccessScope</c> (<see cref="AuthenticateDevice"/>).
/// </para>
/// </summary>
public static class OpenRosaApi
{
    public const string Prefix = "/openrosa";
    private const string TokenKey = "tuntas:device-token";
    private const string DeviceKey = "tuntas:device";

    /// <summary>What a submission may weigh in all (X-OpenRosa-Accept-Content-Length): the XML and one photo with room to spare.
    /// Collect splits a larger submission into several requests.</summary>
    public const long MaxSubmissionBytes = 10 * 1024 * 1024;

    /// <summary>Most parts a submission may have (the XML and the photos the forms can hold).</summary>
    private const int MaxParts = 5;

    /// <summary><c>/key/{token}/rest</c> → PathBase <c>/key/{token}</c>, Path <c>/openrosa/rest</c> (before routing).</summary>
    public static Task RewriteTokenPath(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/key/", StringComparison.Ordinal))
        {
            var end = path.IndexOf('/', 5);
            var token = end < 0 ? path[5..] : path[5..end];
            context.Items[TokenKey] = token;
            context.Request.PathBase = context.Request.PathBase.Add(new PathString("/key/" + token));
            context.Request.Path = new PathString(Prefix + (end < 0 ? "" : path[end..]));
        }
        return next();
    }

    public static RouteGroupBuilder MapOpenRosa(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).AllowAnonymous().ExcludeFromDescription().AddEndpointFilter(AuthenticateAsync);
        group.MapGet("/formList", FormListAsync);
        group.MapGet("/forms/{formId}/form.xml", FormAsync);
        group.MapGet("/forms/{formId}/manifest", ManifestAsync);
        group.MapGet("/forms/{formId}/media/{file}", MediaAsync).ReadsPersonalData("keluarga-lapangan", "file");
        group.MapMethods("/submission", [HttpMethods.Head], (HttpContext http) =>
        {
            // Collect's pre-flight: 204 and how much one submission request may carry.
            http.Response.Headers["X-OpenRosa-Accept-Content-Length"] = MaxSubmissionBytes.ToString(CultureInfo.InvariantCulture);
            return Results.NoContent();
        });
        group.MapPost("/submission", SubmitAsync).DisableAntiforgery();
        return group;
    }

    /// <summary>Every OpenRosa response carries the version header; a missing, unknown or revoked token gets 403 with the reason.</summary>
    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        http.Response.Headers["X-OpenRosa-Version"] = "1.0";
        var authenticate = http.RequestServices.GetRequiredService<AuthenticateDevice>();
        var (device, problem) = await authenticate.RunAsync(http.Items[TokenKey] as string, http.RequestAborted);
        if (device is null)
        {
            return Message(StatusCodes.Status403Forbidden, problem!);
        }
        // The token's user is the actor of this request (the audit trail names them), with their resolved scope.
        http.User = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "device:" + device.Token!.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, device.User.UserName),
                new Claim(ClaimTypes.Role, device.User.Role),
            ], "DeviceToken", ClaimTypes.Name, ClaimTypes.Role));
        http.User.AddIdentity(new AccessScopeIdentity(device.Scope));
        http.Items[DeviceKey] = device;
        return await next(invocation);
    }

    private static AuthenticateDevice.Device DeviceOf(HttpContext http) => (AuthenticateDevice.Device)http.Items[DeviceKey]!;

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";

    private static readonly XNamespace _formList = "http://openrosa.org/xforms/xformsList";
    private static readonly XNamespace _manifest = "http://openrosa.org/xforms/xformsManifest";
    private static readonly XNamespace _response = "http://openrosa.org/http/response";

    private static async Task<IResult> FormListAsync(HttpContext http, PublishForms publish, string? formID, CancellationToken ct)
    {
        var forms = await publish.RunAsync(ct);
        var root = new XElement(_formList + "xforms",
            forms.Where(f => formID is null || f.FormId == formID).Select(f => new XElement(_formList + "xform",
                new XElement(_formList + "formID", f.FormId),
                new XElement(_formList + "name", FieldForms.Title(f.FormId)),
                new XElement(_formList + "version", f.Version.ToString(CultureInfo.InvariantCulture)),
                new XElement(_formList + "hash", "md5:" + f.Hash),
                new XElement(_formList + "descriptionText", ""),
                new XElement(_formList + "downloadUrl", $"{BaseUrl(http)}/forms/{f.FormId}/form.xml"),
                new XElement(_formList + "manifestUrl", $"{BaseUrl(http)}/forms/{f.FormId}/manifest"))));
        return Xml(StatusCodes.Status200OK, root);
    }

    private static async Task<IResult> FormAsync(string formId, PublishForms publish, CancellationToken ct)
    {
        if (!FieldForms.Exists(formId))
        {
            return Message(StatusCodes.Status404NotFound, FieldTerms.Problem("FORM_UNKNOWN", null, "-"));
        }
        var form = await publish.CurrentAsync(formId, ct);
        return Results.Text(form.Xml, "text/xml; charset=utf-8", Encoding.UTF8);
    }

    private static async Task<IResult> ManifestAsync(string formId, HttpContext http, FieldMedia media, CancellationToken ct)
    {
        if (!FieldForms.Exists(formId))
        {
            return Message(StatusCodes.Status404NotFound, FieldTerms.Problem("FORM_UNKNOWN", null, "-"));
        }
        var device = DeviceOf(http);
        var files = new List<XElement>();
        foreach (var file in FieldForms.MediaFiles(formId))
        {
            // The hash of the user's own file: Collect downloads it again only when the assignment changed.
            var content = await media.RunAsync(new FieldMedia.Input(file, device.User.UserName, device.Scope), ct) ?? "";
            files.Add(new XElement(_manifest + "mediaFile",
                new XElement(_manifest + "filename", file),
                new XElement(_manifest + "hash", "md5:" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)))),
                new XElement(_manifest + "downloadUrl", $"{BaseUrl(http)}/forms/{formId}/media/{file}")));
        }
        return Xml(StatusCodes.Status200OK, new XElement(_manifest + "manifest", files));
    }

    private static async Task<IResult> MediaAsync(string formId, string file, HttpContext http, FieldMedia media, CancellationToken ct)
    {
        var device = DeviceOf(http);
        if (!FieldForms.Exists(formId) || !FieldForms.MediaFiles(formId).Contains(file)
            || await media.RunAsync(new FieldMedia.Input(file, device.User.UserName, device.Scope), ct) is not { } content)
        {
            return Message(StatusCodes.Status404NotFound, FieldTerms.Problem("FORM_UNKNOWN", null, "-"));
        }
        AuditDetail.Set(http, $"{file} untuk {device.User.UserName} (perangkat #{device.Token!.Id})");
        http.Response.Headers.CacheControl = "no-store";
        return Results.Text(content, "text/csv; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>Hands the parts of Collect's multipart body to <see cref="ReceiveSubmission"/> and answers as OpenRosa.</summary>
    private static async Task<IResult> SubmitAsync(HttpContext http, ReceiveSubmission receive, CancellationToken ct)
    {
        var body = await ReadSubmissionAsync(http, ct);
        if (body.Problem is { } refused)
        {
            return Message(body.Status, refused);
        }
        var device = DeviceOf(http);
        var outcome = await receive.RunAsync(new ReceiveSubmission.Input(body.Xml!, body.Attachments, device), ct);
        if (outcome.Problem is { } problem)
        {
            return Message(outcome.Status, problem);
        }
        var submission = outcome.Submission!;
        AuditReceived(http, outcome);
        var text = submission.Status == FieldTerms.Accepted
            ? (outcome.Duplicate ? "Kiriman ini sudah diterima sebelumnya. / This submission was already received." : "Kiriman diterima. / Submission received.")
            : "Kiriman tersimpan tetapi ditolak pemeriksaan: / Stored but refused by the checks:\n" + submission.Problems;
        return Xml(StatusCodes.Status201Created, new XElement(_response + "OpenRosaResponse", new XAttribute("items", "1"),
            new XElement(_response + "message", new XAttribute("nature", "submit_success"), text)));
    }

    /// <summary>The audit entry's detail of a stored submission (never its content).</summary>
    public static void AuditReceived(HttpContext http, ReceiveSubmission.Outcome outcome)
    {
        var submission = outcome.Submission!;
        AuditDetail.Set(http, $"kiriman lapangan #{submission.Id} {submission.FormId} v{submission.FormVersion}: {submission.Status}"
            + (submission.LineId is { } line ? $", baris #{line}" : "") + (outcome.Duplicate ? " (kiriman ulang)" : ""));
    }

    /// <summary>An OpenRosa submission body read: the instance XML and the photos, or the status and problem of a refusal.</summary>
    public sealed record SubmissionBody(byte[]? Xml, IReadOnlyList<ReceiveSubmission.Attachment> Attachments, int Status, Problem? Problem)
    {
        public static SubmissionBody Refused(int status, Problem problem) => new(null, [], status, problem);
    }

    /// <summary>
    /// Reads an OpenRosa multipart body (<c>xml_submission_file</c> and the photos; ODK Collect's, and the browser form's,
    /// which posts the same body) part by part with a cap per part (the XML, each photo) and in all, so an oversized
    /// upload is refused while streaming, never buffered whole.
    /// </summary>
    public static async Task<SubmissionBody> ReadSubmissionAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxSubmissionBytes + (64 * 1024);
        }
        if (http.Request.ContentLength > MaxSubmissionBytes + (64 * 1024))
        {
            return SubmissionBody.Refused(StatusCodes.Status413PayloadTooLarge, FieldTerms.Problem("TOO_LARGE", null, MaxSubmissionBytes / (1024 * 1024)));
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return SubmissionBody.Refused(StatusCodes.Status400BadRequest, FieldTerms.Problem("NOT_MULTIPART"));
        }
        byte[]? xml = null;
        var attachments = new List<ReceiveSubmission.Attachment>();
        SubmissionBody? Take(string name, string fileName, byte[]? content)
        {
            var isXml = name == "xml_submission_file";
            if (content is null)
            {
                return SubmissionBody.Refused(StatusCodes.Status413PayloadTooLarge, isXml
                    ? FieldTerms.Problem("TOO_LARGE", null, ReceiveSubmission.MaxXmlBytes / (1024 * 1024))
                    : FieldTerms.Problem("ATTACHMENT_TOO_LARGE", null, AttachmentRules.DownloadName(fileName, null), AttachmentRules.MaxBytes / (1024 * 1024)));
            }
            if (isXml)
            {
                xml = content;
            }
            else
            {
                attachments.Add(new ReceiveSubmission.Attachment(fileName.Length > 0 ? fileName : name, content));
            }
            return null;
        }
        static long Cap(string name) => name == "xml_submission_file" ? ReceiveSubmission.MaxXmlBytes : AttachmentRules.MaxBytes;
        try
        {
            // Under /api the input guard has already read the form (its names and values checked for NULs): take its parts.
            if (http.Features.Get<IFormFeature>()?.Form is { } form)
            {
                if (form.Files.Count + form.Count > MaxParts)
                {
                    return SubmissionBody.Refused(StatusCodes.Status400BadRequest, FieldTerms.Problem("NOT_MULTIPART"));
                }
                foreach (var file in form.Files)
                {
                    byte[]? content = null;
                    if (file.Length <= Cap(file.Name))
                    {
                        await using var stream = file.OpenReadStream();
                        content = await ReadCappedAsync(stream, Cap(file.Name), ct);
                    }
                    if (Take(file.Name, file.FileName, content) is { } refused)
                    {
                        return refused;
                    }
                }
                if (xml is null && form["xml_submission_file"] is [{ } text])
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    if (Take("xml_submission_file", "", bytes.Length <= ReceiveSubmission.MaxXmlBytes ? bytes : null) is { } refused)
                    {
                        return refused;
                    }
                }
            }
            else
            {
                var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
                var parts = 0;
                while (await reader.ReadNextSectionAsync(ct) is { } section)
                {
                    if (++parts > MaxParts || !ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                    {
                        return SubmissionBody.Refused(StatusCodes.Status400BadRequest, FieldTerms.Problem("NOT_MULTIPART"));
                    }
                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                    if (Take(name, HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "", await ReadCappedAsync(section.Body, Cap(name), ct)) is { } refused)
                    {
                        return refused;
                    }
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return SubmissionBody.Refused(StatusCodes.Status413PayloadTooLarge, FieldTerms.Problem("TOO_LARGE", null, MaxSubmissionBytes / (1024 * 1024)));
        }
        catch (IOException)
        {
            return SubmissionBody.Refused(StatusCodes.Status400BadRequest, FieldTerms.Problem("NOT_MULTIPART"));
        }
        return xml is null
            ? SubmissionBody.Refused(StatusCodes.Status400BadRequest, FieldTerms.Problem("XML_MISSING"))
            : new SubmissionBody(xml, attachments, StatusCodes.Status200OK, null);
    }

    /// <summary>The whole part, or null as soon as it passes <paramref name="cap"/> bytes.</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream body, long cap, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>An OpenRosa response message: ODK Collect shows its text to the enumerator.</summary>
    public static IResult Message(int status, Problem problem) =>
        Xml(status, new XElement(_response + "OpenRosaResponse",
            new XElement(_response + "message", new XAttribute("nature", "error"), $"{problem.Message} / {problem.MessageEn}")));

    private static IResult Xml(int status, XElement root) =>
        Results.Text(root.ToString(SaveOptions.DisableFormatting), "text/xml; charset=utf-8", Encoding.UTF8, status);
}

using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Localization;

namespace Tuntas.Web.Security;

/// <summary>
/// One gate for every input path (OWASP ASVS 5.1.3–5.1.4, 13.1.1): the path, the query string, form fields and JSON
/// strings may not hold a NUL character or an unpaired UTF-16 surrogate. PostgreSQL refuses NUL in text, so before this
/// a NUL in the public complaint API, the search box or a filter was a server error there (and stored as-is on SQLite);
/// a lone surrogate cannot be written as UTF-8 at all. Neither is ever part of a name, an address or a note, so the
/// request is refused whole with 400 and a message, before any endpoint sees it (pages: <see cref="PageInputFilter"/>). It runs after authorization,
/// so an anonymous upload to a protected endpoint is refused before its body is read. Re-executions for the error and
/// status pages are let through: they carry the original request's input.
/// </summary>
public sealed class InputGuard(RequestDelegate next)
{
    /// <summary><see cref="HttpContext.Items"/> key holding the text key of the refusal, for the status page.</summary>
    public const string RefusalKey = "tuntas.input-refused";

    /// <summary>JSON bodies are buffered to be checked; the API's JSON inputs are small records.</summary>
    public const int MaxJsonBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context, IStringLocalizer<SharedResource> text)
    {
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is null && context.Features.Get<IExceptionHandlerFeature>() is null
            && await FindProblemAsync(context) is { } problem)
        {
            await RefuseAsync(context, problem, text);
            return;
        }
        await next(context);
    }

    private static async Task<string?> FindProblemAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsClean(request.Path.Value))
        {
            return "Input.Invalid";
        }
        foreach (var (key, values) in request.Query)
        {
            if (!IsClean(key) || values.Any(v => !IsClean(v)))
            {
                return "Input.Invalid";
            }
        }
        // A page's multipart form is checked by PageInputFilter once the page's own limits (RequestFormLimits) have applied.
        if (request.HasFormContentType && (ApiPaths.IsApi(context) || !request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)))
        {
            return await FormProblemAsync(request, context.RequestAborted);
        }
        if (request.HasJsonContentType() && request.ContentLength is not 0)
        {
            return await JsonProblemAsync(request, context.RequestAborted);
        }
        return null;
    }

    public static async Task<string?> FormProblemAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's body limit, passed while the form streamed in (a chunked upload has no length to refuse first).
            return "Input.UploadTooLarge";
        }
        catch (InvalidDataException e) when (e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            // The multipart reader's own limit on a body or a part ("Multipart body length limit … exceeded").
            return "Input.UploadTooLarge";
        }
        catch (InvalidDataException)
        {
            // The form reader refuses a NUL or control character in a URL-encoded value, a malformed multipart body and
            // one with too many fields: nothing of the form can be read.
            return "Input.Invalid";
        }
        foreach (var (key, values) in form)
        {
            if (!IsClean(key) || values.Any(v => !IsClean(v)))
            {
                return "Input.Invalid";
            }
        }
        return form.Files.Any(f => !IsClean(f.FileName) || !IsClean(f.Name)) ? "Input.Invalid" : null;
    }

    /// <summary>Reads the JSON body (buffered so the endpoint reads it again) and checks every string and property name.</summary>
    private static async Task<string?> JsonProblemAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering(MaxJsonBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes)
            {
                return "Input.TooLarge";
            }
            buffer.Write(chunk, 0, read);
        }
        request.Body.Position = 0;
        try
        {
            var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsClean(reader.GetString()))
                {
                    return "Input.Invalid";
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, invalid UTF-8, or an escaped unpaired surrogate (GetString refuses it).
            return "Input.Malformed";
        }
        return null;
    }

    /// <summary>
    /// The status of an exception that escaped to the exception handler: a request the framework could not bind (a
    /// 40-digit page number, a body that is not the JSON asked for, a form its reader refuses) is the client's 400 (or
    /// 413): minimal APIs throw it in every environment (Program.cs, <c>ThrowOnBadRequest</c>), and on /api
    /// <see cref="Api.ApiProblems.BindingExceptionHandler"/> names the parameter; anything else is the server's 500.
    /// </summary>
    /// <summary>
    /// A request the framework could not bind is the client's error, not a fault to log at Error level; and its message
    /// carries the value sent ("Failed to bind parameter … from \"…\""), which must not reach the log. Also what an
    /// <c>IExceptionHandler</c> handled (<c>ApiProblems</c>), as ASP.NET Core does by default.
    /// </summary>
    public static bool IsClientError(Microsoft.AspNetCore.Diagnostics.ExceptionHandlerSuppressDiagnosticsContext context) =>
        context.Exception is BadHttpRequestException || context.ExceptionHandledBy == Microsoft.AspNetCore.Diagnostics.ExceptionHandledType.ExceptionHandlerService;

    public static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        InvalidDataException form when form.StackTrace?.Contains("Microsoft.AspNetCore.WebUtilities", StringComparison.Ordinal) == true => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>No NUL and no unpaired surrogate (text that has no UTF-8 form).</summary>
    public static bool IsClean(string? value)
    {
        if (value is null)
        {
            return true;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    private static async Task RefuseAsync(HttpContext context, string key, IStringLocalizer<SharedResource> text)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (Dci.DciApi.IsDci(context.Request))
        {
            // A DCI client reads the standard's error body (HttpErrorResponse), not a problem detail.
            await context.Response.WriteAsJsonAsync(Tuntas.Dci.DciErrorResponse.Of(Tuntas.Dci.DciCodes.RequestBad, Bilingual(key, text)), Tuntas.Dci.DciJson.Json);
            return;
        }
        if (ApiPaths.IsApi(context))
        {
            await Results.Problem(title: Api.ApiProblems.RefusedTitle, statusCode: StatusCodes.Status400BadRequest, detail: Bilingual(key, text),
                extensions: new Dictionary<string, object?> { ["code"] = key }).ExecuteAsync(context);
            return;
        }
        // The status page (re-executed by the status-code-pages middleware) says which input was refused.
        context.Items[RefusalKey] = key;
    }

    /// <summary>Both languages in one problem detail: an API client has no culture cookie.</summary>
    public static string Bilingual(string key, IStringLocalizer<SharedResource> text)
    {
        var id = In("id", key, text);
        var en = In("en", key, text);
        return id == en ? id : id + " / " + en;
    }

    private static string In(string culture, string key, IStringLocalizer<SharedResource> text)
    {
        var current = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            return text[key];
        }
        finally
        {
            CultureInfo.CurrentUICulture = current;
        }
    }
}

/// <summary>
/// The pages' side of the input gate. A POST (or a named handler) that no handler of the page answers is refused with
/// 400 (OWASP ASVS 13.1; the probe found 500 on 16 pages, the anonymous transparency page included): without this Razor
/// Pages renders the page without running any handler, and the view then reads a model that was never loaded. And the
/// form's fields are checked as <see cref="InputGuard"/> checks the rest, here because the page's own form limits
/// (RequestFormLimits on upload pages) must apply before the form is read.
/// </summary>
public sealed class PageInputFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var reExecuted = http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null;
        if (!reExecuted)
        {
            var named = request.Query.ContainsKey("handler") || context.RouteData.Values.ContainsKey("handler");
            var refusal = context.HandlerMethod is null && (named || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
                ? "Input.Handler"
                : request.HasFormContentType ? await InputGuard.FormProblemAsync(request, http.RequestAborted) : null;
            if (refusal is not null)
            {
                http.Items[InputGuard.RefusalKey] = refusal;
                context.Result = new BadRequestResult();
                return;
            }
        }
        await next();
    }
}

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Tuntas.Web.Api;

/// <summary>
/// The one way the API reports a refused input: RFC 9457 problem details (<c>application/problem+json</c>, status 400)
/// with <c>errors</c> keyed by field (by code when the problem names no field), each message as
/// <c>[CODE] Bahasa Indonesia / English</c>, and the <see cref="Problem"/>s themselves under <c>issues</c> for programs.
/// A use case's returned problems and a <see cref="RefusedException"/> thrown from deep inside (targeting) come out the same.
/// </summary>
public static partial class ApiProblems
{
    public static readonly string RefusedTitle = ApiTexts.Both("Api.Refused");

    public static ValidationProblem Refused(IEnumerable<Problem> problems)
    {
        IReadOnlyList<Problem> list = [.. problems];
        return TypedResults.ValidationProblem(Errors(list), title: RefusedTitle,
            extensions: new Dictionary<string, object?> { ["issues"] = list });
    }

    public static ValidationProblem Refused(Problem problem) => Refused([problem]);

    /// <summary>A refusal that is not a 400 (403 outside one's assignment, 409 a conflict, 413 too large): the same body, its own status.</summary>
    public static ProblemHttpResult Refused(int status, Problem problem) =>
        TypedResults.Problem(detail: $"[{problem.Code}] {problem.Message} / {problem.MessageEn}", statusCode: status, title: RefusedTitle,
            extensions: new Dictionary<string, object?> { ["issues"] = new[] { problem } });

    /// <summary>
    /// Refused for now, not for what was sent (<c>SERVER_BUSY</c>: the web app is reading as many files as it reads at
    /// once): 503 with <c>Retry-After</c>, so that a client retries the same request later instead of "fixing" it (RFC 9110
    /// §15.6.4, §10.2.3).
    /// </summary>
    public static ProblemHttpResult Busy(HttpContext context, Problem problem, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Refused(StatusCodes.Status503ServiceUnavailable, problem);
    }

    public static ValidationProblem Refused(string field, string code, string message, string messageEn) =>
        Refused(new Problem(field, code, message, messageEn));

    /// <summary>
    /// A route's own check of a query or body parameter before any use case runs (a missing village code, a date that is
    /// not YYYY-MM-DD): 400 with the one message under the parameter's name, without a code or <c>issues</c>.
    /// </summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The <c>errors</c> member of a validation problem: messages by field, or by code when a problem names no field.</summary>
    public static Dictionary<string, string[]> Errors(IEnumerable<Problem> problems) =>
        problems.GroupBy(p => p.Field.Length > 0 ? p.Field : p.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => $"[{p.Code}] {p.Message} / {p.MessageEn}").ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// Answers a <see cref="RefusedException"/> thrown by an API endpoint as the same 400 problem; every other
    /// exception is left to the framework's handler (500 problem details without the exception's text).
    /// </summary>
    public sealed class RefusedExceptionHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not RefusedException refused || !ApiPaths.IsApi(httpContext) || httpContext.Response.HasStarted)
            {
                return false;
            }
            await Refused(refused.Problems).ExecuteAsync(httpContext);
            return true;
        }
    }

    /// <summary>
    /// A query or form value the framework could not bind to its parameter (<c>dryRun=1</c> where the parameter is a
    /// boolean, <c>page=abc</c>): 400 with the parameter's name and the values it takes, instead of a bare "Bad Request" a
    /// caller cannot act on. A JSON body of the wrong shape (<c>{"quota": "40"}</c> for a number) is keyed by the JSON
    /// path where reading stopped, as MVC keys it; a body that is not JSON at all never gets here (<c>InputGuard</c>).
    /// The value itself is not repeated: it may be anything, a NIK typed in the wrong field included.
    /// Needs <c>RouteHandlerOptions.ThrowOnBadRequest</c> (Program.cs), which every environment sets.
    /// </summary>
    public sealed partial class BindingExceptionHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad || !ApiPaths.IsApi(httpContext)
                || httpContext.Response.HasStarted || Parameter().Match(bad.Message) is not { Success: true } match)
            {
                return false;
            }
            var (type, name) = (match.Groups["type"].Value, match.Groups["name"].Value);
            type = type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?');
            if (match.Groups["body"].Success)
            {
                // The body's C# parameter name means nothing to a caller; where in the JSON reading stopped does.
                name = bad.InnerException is System.Text.Json.JsonException { Path: { } path } && JsonPath().IsMatch(path) ? path : "$";
            }
            var key = match.Groups["body"].Success ? "Api.UnreadableBody" : match.Groups["missing"].Success ? "Api.ParameterMissing" : type switch
            {
                "bool" or "Boolean" => "Api.UnreadableBoolean",
                "int" or "long" or "Int32" or "Int64" => "Api.UnreadableWholeNumber",
                "double" or "decimal" or "Double" or "Decimal" => "Api.UnreadableNumber",
                "DateOnly" => "Api.UnreadableDate",
                _ => "Api.UnreadableValue",
            };
            await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [name] = [ApiTexts.Both(key, name)] }, title: RefusedTitle)
                .ExecuteAsync(httpContext);
            return true;
        }

        /// <summary>The messages of ASP.NET Core's RequestDelegateFactory: <c>Failed to bind parameter "bool? dryRun" from "1".</c>,
        /// <c>Required parameter "string code" was not provided from …</c> and <c>Failed to read parameter "QuotaRequest request"
        /// from the request body as JSON.</c></summary>
        [System.Text.RegularExpressions.GeneratedRegex("^(?:Failed to bind parameter|(?<missing>Required parameter)|(?<body>Failed to read parameter)) \"(?<type>[^\"]*) (?<name>[A-Za-z_][A-Za-z0-9_]*)\"(?(body) from the request body as JSON)")]
        private static partial System.Text.RegularExpressions.Regex Parameter();

        /// <summary>A JSON path of property names and array indexes only (<c>$.members[2].nik</c>): a dictionary key sent by
        /// the client (a NIK as a property name) is not repeated.</summary>
        [System.Text.RegularExpressions.GeneratedRegex(@"^\$(?:\.[A-Za-z_][A-Za-z0-9_]{0,63}|\[[0-9]{1,5}\])*$")]
        private static partial System.Text.RegularExpressions.Regex JsonPath();
    }
}

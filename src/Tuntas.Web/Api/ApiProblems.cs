using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Tuntas.Web.Api;

/// <summary>
/// The one way the API reports a refused input: RFC 9457 problem details (<c>application/problem+json</c>, status 400)
/// with <c>errors</c> keyed by field (by code when the problem names no field), each message as
/// <c>[CODE] Bahasa Indonesia / English</c>, and the <see cref="Problem"/>s themselves under <c>issues</c> for programs.
/// A use case's returned problems and a <see cref="RefusedException"/> thrown from deep inside (targeting) come out the same.
/// </summary>
public static class ApiProblems
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
}

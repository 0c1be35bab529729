namespace Tuntas;

/// <summary>
/// Why a use case refused its input: which field, a stable code for programs (<c>TITLE_LENGTH</c>), and the message in
/// Bahasa Indonesia (the default) and English. The one shape a use case returns for a refusal; the web app turns a list
/// of them into RFC 9457 problem details (<c>ValidationProblem</c>, keyed by field) or the form's messages, the CLI into
/// lines on stderr with exit code 2. In the root namespace so every feature uses the same one without a using.
/// File imports report rows and columns as well, in their own report (<c>Imports/ImportReport</c>).
/// </summary>
public record Problem(string Field, string Code, string Message, string MessageEn);

/// <summary>
/// A refusal raised from deep inside a computation (a rule's JSON, a model that cannot be fitted) where returning it
/// through every caller would obscure the code: it carries the same <see cref="Problem"/>s. The web app's one
/// exception handler answers it on the API as RFC 9457 problem details (400), exactly as a returned refusal.
/// </summary>
public class RefusedException(IReadOnlyList<Problem> problems)
    : Exception(string.Join("; ", problems.Select(p => p.Field.Length > 0 ? $"{p.Field}: {p.Message}" : p.Message)))
{
    public IReadOnlyList<Problem> Problems => problems;
}

namespace Tuntas;

/// <summary>
/// Why a use case refused its input: which field, a stable code for programs (<c>TITLE_LENGTH</c>), and the message in
/// Bahasa Indonesia (the default) and English. The one shape a use case returns for a refusal; the web app turns a list
/// of them into RFC 9457 problem details (<c>ValidationProblem</c>, keyed by field) or the form's messages, the CLI into
/// lines on stderr with exit code 2. In the root namespace so every feature uses the same one without a using.
/// File imports report rows and columns as well, in their own report (<c>Imports/ImportReport</c>).
/// </summary>
public sealed record Problem(string Field, string Code, string Message, string MessageEn);

namespace Tuntas.Cli;

/// <summary>
/// The CLI's one rendering of a refusal: each <see cref="Problem"/> on standard error as
/// <c>field: [CODE] pesan / message</c> (standard output stays clean for <c>--json</c>), and exit code 2, the code
/// scripts test for "input refused" (1 is a failure of the program itself).
/// </summary>
public static class Refusals
{
    public const int ExitCode = 2;

    public static int Print(CliContext context, IEnumerable<Problem> problems)
    {
        foreach (var problem in problems)
        {
            var where = problem.Field.Length > 0 ? problem.Field + ": " : "";
            context.Error.WriteLine($"{where}[{problem.Code}] {problem.Message} / {problem.MessageEn}");
        }
        return ExitCode;
    }
}

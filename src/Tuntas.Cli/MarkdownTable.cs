namespace Tuntas.Cli;

/// <summary>
/// The CLI's tables: Markdown (a header row, its alignment row, one line per row), so that a report pastes into a
/// document or an issue as it is. The headers are Indonesian, so are the numbers of a row (<see cref="CliTexts.Indonesian"/>:
/// "1.234", "12,5%"); dates are written with an explicit pattern.
/// </summary>
public static class MarkdownTable
{
    public static void Write<T>(TextWriter output, string header, string alignment, IEnumerable<T> rows, Func<T, FormattableString> row)
    {
        output.WriteLine(header);
        output.WriteLine(alignment);
        foreach (var item in rows)
        {
            output.WriteLine(row(item).ToString(CliTexts.Indonesian));
        }
    }
}

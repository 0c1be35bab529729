namespace Tuntas.Cli;

/// <summary>
/// The CLI's tables: Markdown (a header row, its alignment row, one line per row), so that a report pastes into a
/// document or an issue as it is. Numbers and dates in a row are formatted in the invariant culture, as every CLI number.
/// </summary>
public static class MarkdownTable
{
    public static void Write<T>(TextWriter output, string header, string alignment, IEnumerable<T> rows, Func<T, FormattableString> row)
    {
        output.WriteLine(header);
        output.WriteLine(alignment);
        foreach (var item in rows)
        {
            output.WriteLine(row(item).ToString(CultureInfo.InvariantCulture));
        }
    }
}

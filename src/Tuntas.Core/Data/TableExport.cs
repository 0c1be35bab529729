namespace Tuntas.Data;

/// <summary>
/// Writes a header and rows as CSV (UTF-8, RFC 4180 quoting) or as a one-sheet XLSX (<see cref="XlsxWriter"/>: numbers
/// stay numbers, identifiers stay text) — the one way every report and worklist leaves Tuntas.
/// </summary>
public static class TableExport
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <returns>The number of rows written (the header not counted).</returns>
    /// <remarks>The XLSX writer is synchronous: for an HTTP response hand a buffer, then copy it.</remarks>
    public static async Task<int> WriteAsync(Stream output, IReadOnlyList<string> header, IEnumerable<IEnumerable<object?>> rows, bool xlsx, string sheetName,
        CancellationToken cancellationToken)
    {
        var count = 0;
        if (xlsx)
        {
            using var writer = new XlsxWriter(output, sheetName);
            writer.WriteRow(header);
            foreach (var row in rows)
            {
                writer.WriteRow(row);
                count++;
            }
            return count;
        }
        await using var text = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await text.WriteLineAsync(string.Join(',', header));
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await text.WriteLineAsync(string.Join(',', row.Select(v => Csv.Quote(v is string s ? Defused(s) : Convert.ToString(v, CultureInfo.InvariantCulture)))));
            count++;
        }
        return count;
    }

    /// <summary>
    /// Text that a spreadsheet would run as a formula when the CSV is opened (=, +, -, @, tab, carriage return first:
    /// "CSV injection", OWASP) gets a leading apostrophe. Names, titles and notes typed by users reach these files; numbers
    /// are written as numbers and never touched. XLSX needs no such guard: its text cells are inline strings. A text that
    /// is a plain number (<c>-7.4321</c>, a southern latitude written as text for OpenSID) is no formula and stays as it
    /// is: with the apostrophe every coordinate of Indonesia south of the equator reached OpenSID as <c>'-7.4321</c>.
    /// </summary>
    public static string Defused(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !PlainNumber(text) ? "'" + text : text;

    /// <summary>An optional sign, digits, an optional decimal point with digits: nothing a spreadsheet could run.</summary>
    private static bool PlainNumber(string text)
    {
        var digits = text.AsSpan(1);
        var point = digits.IndexOf('.');
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? "1".AsSpan() : digits[(point + 1)..];
        return text[0] is '-' or '+' && whole.Length > 0 && fraction.Length > 0
            && !whole.ContainsAnyExceptInRange('0', '9') && !fraction.ContainsAnyExceptInRange('0', '9');
    }
}

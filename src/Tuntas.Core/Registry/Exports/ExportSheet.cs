namespace Tuntas.Registry.Exports;

/// <summary>
/// Rows out to an XLSX sheet (<see cref="XlsxWriter"/>: numbers as numbers, identifiers as text) or to CSV (UTF-8,
/// RFC 4180, text that a spreadsheet would run as a formula defused as in <see cref="TableExport.Defused"/>), row by row.
/// </summary>
internal sealed class ExportSheet : IDisposable
{
    private readonly XlsxWriter? _xlsx;
    private readonly StreamWriter? _csv;

    private ExportSheet(XlsxWriter? xlsx, StreamWriter? csv)
    {
        _xlsx = xlsx;
        _csv = csv;
    }

    public static ExportSheet Open(Stream output, bool csv, string sheetName) => csv
        ? new ExportSheet(null, new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        : new ExportSheet(new XlsxWriter(output, sheetName), null);

    public void NextSheet(string name) => (_xlsx ?? throw new InvalidOperationException("CSV has one sheet")).NextSheet(name);

    public void Row(IReadOnlyList<object?> values)
    {
        if (_xlsx is not null)
        {
            _xlsx.WriteRow(values);
            return;
        }
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                _csv!.Write(',');
            }
            switch (values[i])
            {
                case null:
                    break;
                case int number:
                    _csv!.Write(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case string text:
                    // "-" is OpenSID's "unknown", not a formula.
                    _csv!.Write(Csv.Quote(text == "-" ? text : TableExport.Defused(text)));
                    break;
                default:
                    _csv!.Write(Csv.Quote(Convert.ToString(values[i], CultureInfo.InvariantCulture)));
                    break;
            }
        }
        _csv!.Write('\n');
    }

    public void Dispose()
    {
        _xlsx?.Dispose();
        _csv?.Dispose();
    }
}

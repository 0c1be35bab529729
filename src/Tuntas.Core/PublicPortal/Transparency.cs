using Tuntas.Complaints;
using Tuntas.Dashboard;

namespace Tuntas.PublicPortal;

/// <summary>
/// The public transparency figures of a regency, a kecamatan or a village: per child region, families in
/// the integrated data, families receiving each program and any assistance, complaints received and resolved and the
/// median days to resolve. Aggregates only, from the dashboard's pre-aggregate (<see cref="ReadDashboard"/>) and the
/// complaints table; no name, no list.
/// <para>
/// Small counts are suppressed (BPS's practice for small areas; "no cell under 5 families"): a count from 1
/// to 4 is published as null ("&lt;5"). So that a suppressed cell cannot be recovered by subtracting the others from
/// the total, when a column has exactly one suppressed cell the next smallest non-zero cell of that column is
/// suppressed as well (secondary suppression); totals are published as computed.
/// </para>
/// <para>
/// Anonymous and so the first page a crowd (or a flood) hits: the outcome is kept by data state in
/// <see cref="PublicCache"/>, and complaints are read grouped (village × status × whole days to resolve), never row
/// by row — the median of whole days is the whole-day rounding of the median, as rounding keeps the order.
/// </para>
/// </summary>
public sealed class Transparency(ReadDashboard readDashboard, TuntasDatabase database, PublicCache cache)
{
    public const int MinimumCount = 5;

    public const string ComplaintsReceived = "pengaduan_diterima";
    public const string ComplaintsResolved = "pengaduan_selesai";
    public const string MedianDaysToResolve = "median_hari_selesai";

    /// <summary>A region's published figures; a null value is suppressed.</summary>
    public sealed record Row(string Code, string Name, IReadOnlyDictionary<string, long?> Values);

    public sealed record Outcome(string Code, string Name, string Level, string? ParentCode, IReadOnlyList<string> Columns, Row Total,
        IReadOnlyList<Row> Rows, IReadOnlyList<ReadDashboard.ProgramInfo> Programs, DateTime? RefreshedAt);

    public Task<Outcome?> RunAsync(string code, CancellationToken cancellationToken) =>
        cache.GetAsync("transparansi|" + code, ct => ComputeAsync(code, ct), cancellationToken);

    /// <summary>Complaints of one village with one status, resolved in <see cref="Days"/> whole days (null when not resolved).</summary>
    private sealed record ComplaintGroup(string KodeDesa, string Status, long? Days, long Count);

    private async Task<Outcome?> ComputeAsync(string code, CancellationToken cancellationToken)
    {
        var dashboard = await readDashboard.RunAsync(new ReadDashboard.Input(code, AccessScope.Regency), cancellationToken);
        if (dashboard is null)
        {
            return null;
        }
        var programs = dashboard.Programs;
        string[] columns = [Measures.Families, .. programs.Select(p => Measures.RecipientsPrefix + p.Code), Measures.AnyAssistance,
            ComplaintsReceived, ComplaintsResolved, MedianDaysToResolve];
        var prefix = dashboard.Code;
        var complaints = await ComplaintGroupsAsync(prefix, cancellationToken);
        var children = dashboard.Children.Count > 0 ? dashboard.Children : [dashboard.Totals];
        var rows = children.Select(child =>
        {
            var mine = complaints.Where(c => c.KodeDesa == child.Code || c.KodeDesa.StartsWith(child.Code + ".", StringComparison.Ordinal)).ToList();
            var values = new Dictionary<string, long?>(StringComparer.Ordinal);
            foreach (var column in columns)
            {
                values[column] = column switch
                {
                    ComplaintsReceived => mine.Sum(c => c.Count),
                    ComplaintsResolved => mine.Where(c => c.Status == ComplaintTerms.Resolved).Sum(c => c.Count),
                    // A median over fewer than five complaints would describe individual cases: suppressed with them.
                    MedianDaysToResolve => MedianOf(mine),
                    _ => child[column],
                };
            }
            return (child.Code, child.Name, values);
        }).ToList();
        var total = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            total[column] = column == MedianDaysToResolve ? MedianOf(complaints)
                : column is ComplaintsReceived ? complaints.Sum(c => c.Count)
                : column is ComplaintsResolved ? complaints.Where(c => c.Status == ComplaintTerms.Resolved).Sum(c => c.Count)
                : dashboard.Totals[column];
        }
        foreach (var column in columns.Where(c => c != MedianDaysToResolve))
        {
            Suppress(rows.Select(r => r.values).ToList(), column);
        }
        foreach (var column in columns.Where(c => c != MedianDaysToResolve))
        {
            total[column] = total[column] is > 0 and < MinimumCount ? null : total[column];
        }
        return new Outcome(dashboard.Code, dashboard.Name, dashboard.Level, dashboard.ParentCode, columns,
            new Row(dashboard.Code, dashboard.Name, total), [.. rows.Select(r => new Row(r.Code, r.Name, r.values))], programs, dashboard.RefreshedAt);
    }

    /// <summary>The CSV of <paramref name="outcome"/>: KODE, NAMA, then the columns; a suppressed cell is empty and its flag column says so.</summary>
    public static void WriteCsv(Outcome outcome, TextWriter writer)
    {
        string Header(string column) => column.Replace(':', '_').ToUpperInvariant();
        writer.WriteLine(string.Join(',', ["KODE", "NAMA", .. outcome.Columns.Select(Header), "ADA_SEL_DISEMBUNYIKAN"]));
        foreach (var row in outcome.Rows.Append(outcome.Total))
        {
            var cells = outcome.Columns.Select(c => row.Values[c]?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
            var hidden = outcome.Columns.Any(c => row.Values[c] is null && c != MedianDaysToResolve) ? "1" : "0";
            writer.WriteLine(string.Join(',', [row.Code, Data.Csv.Quote(row.Name), .. cells, hidden]));
        }
    }

    /// <summary>Primary (1–4 → null) and secondary suppression of one column over sibling regions.</summary>
    public static void Suppress(List<Dictionary<string, long?>> cells, string column)
    {
        foreach (var cell in cells.Where(c => c[column] is > 0 and < MinimumCount))
        {
            cell[column] = null;
        }
        if (cells.Count(c => c[column] is null) == 1 && cells.Where(c => c[column] is > 0).MinBy(c => c[column]) is { } next)
        {
            next[column] = null;
        }
    }

    /// <summary>The median whole days to resolve over the resolved groups (the upper median, as before), or null under five.</summary>
    private static long? MedianOf(IEnumerable<ComplaintGroup> groups)
    {
        var resolved = groups.Where(g => g.Status == ComplaintTerms.Resolved && g.Days is not null).OrderBy(g => g.Days).ToList();
        var count = resolved.Sum(g => g.Count);
        if (count < MinimumCount)
        {
            return null;
        }
        var seen = 0L;
        foreach (var group in resolved)
        {
            seen += group.Count;
            if (seen > count / 2)
            {
                return group.Days;
            }
        }
        return null;
    }

    /// <summary>One grouped read of the region's complaints; days to resolve rounded to whole days in SQL.</summary>
    private async Task<List<ComplaintGroup>> ComplaintGroupsAsync(string prefix, CancellationToken cancellationToken)
    {
        var days = database.Dialect.WholeDaysBetween("created_at", "resolved_at");
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT kode_desa, status, {days} AS days, COUNT(*)
            FROM complaints
            WHERE kode_desa LIKE @prefix
            GROUP BY kode_desa, status, {days}
            """;
        command.AddParameter("@prefix", prefix + "%");
        var groups = new List<ComplaintGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new ComplaintGroup(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetInt64(3)));
        }
        return groups;
    }
}

using System.Collections.Concurrent;
using Tuntas.Regions;

namespace Tuntas.Dashboard;

/// <summary>
/// The dashboard of a regency, a kecamatan or a village from <c>village_indicators</c> only: totals, one
/// row per child region (kecamatan of a regency, villages of a kecamatan) and one per village (for the map). Refreshes
/// the pre-aggregate first when the data changed since (<see cref="RefreshVillageIndicators"/>); the regency's regions
/// and measures are then read once into memory and reused by every view until the change marker moves (a view costs
/// the marker's index lookups). The caller's <see cref="AccessScope"/> (a village operator's village, a facilitator's
/// villages) restricts every number.
/// </summary>
public sealed class ReadDashboard(TuntasDatabase database, RefreshVillageIndicators refresh)
{
    /// <param name="Scope">The caller's scope: only villages in <see cref="AccessScope.AggregateRegions"/> count.</param>
    public sealed record Input(string Code, AccessScope? Scope = null);

    public sealed record ProgramInfo(string Code, string Name);

    /// <summary>A region with its measures (<see cref="Measures"/>; absent = 0).</summary>
    public sealed record Row(string Code, string Name, IReadOnlyDictionary<string, long> Values)
    {
        public long this[string measure] => Values.GetValueOrDefault(measure);
    }

    public sealed record Outcome(string Code, string Name, string Level, string? ParentCode, string? ParentName, Row Totals,
        IReadOnlyList<Row> Children, IReadOnlyList<Row> Villages, IReadOnlyList<ProgramInfo> Programs, long? RunId, DateTime? RefreshedAt);

    private sealed record RegionRow(string Code, string Name, string Level, string? ParentCode);

    /// <summary>What a page view needs, read once per data state: the regency's regions, every village's measures (with
    /// the derived ones), the programs and the refresh state. Keyed by database and regency; dropped when the marker moves.</summary>
    private sealed record Cached(string Marker, Dictionary<string, RegionRow> Regions, Dictionary<string, Dictionary<string, long>> Values,
        IReadOnlyList<ProgramInfo> Programs, long? RunId, DateTime? RefreshedAt);

    private static readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    public async Task<Outcome?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var code = RegionCode.ToDotted(input.Code);
        var scope = input.Scope ?? AccessScope.Regency;
        if (code is null || code.Length < 5 || !scope.AggregatesTouch(code))
        {
            return null;
        }
        var state = await refresh.RunAsync(force: false, cancellationToken);
        var data = await DataAsync(RegionCode.RegencyOf(code), state.Marker, cancellationToken);
        if (!data.Regions.TryGetValue(code, out var region) || region.Level is not (Region.Regency or Region.District or Region.Village))
        {
            return null;
        }
        var parentName = region.ParentCode is null ? null : data.Regions.GetValueOrDefault(region.ParentCode)?.Name;
        var prefix = region.Level == Region.Village ? code : code + ".";
        // Only villages inside the region and the caller's aggregate scope count (a village operator: its village).
        var villages = data.Regions.Values
            .Where(r => r.Level == Region.Village && (r.Code == code || r.Code.StartsWith(prefix, StringComparison.Ordinal)) && scope.AggregatesCover(r.Code))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(v => new Row(v.Code, v.Name, data.Values.GetValueOrDefault(v.Code) ?? WithDerived(null)))
            .ToList();
        IReadOnlyList<Row> children = region.Level switch
        {
            Region.Regency => data.Regions.Values
                .Where(r => r.Level == Region.District && r.Code.StartsWith(prefix, StringComparison.Ordinal) && scope.AggregatesTouch(r.Code))
                .OrderBy(r => r.Code, StringComparer.Ordinal)
                .Select(d => Sum(d.Code, d.Name, villages.Where(v => v.Code.StartsWith(d.Code + ".", StringComparison.Ordinal))))
                .ToList(),
            Region.District => villages,
            _ => [],
        };
        return new Outcome(region.Code, region.Name, region.Level, region.ParentCode, parentName, Sum(region.Code, region.Name, villages),
            children, villages, data.Programs, data.RunId, data.RefreshedAt);
    }

    private async Task<Cached> DataAsync(string regency, string marker, CancellationToken cancellationToken)
    {
        var key = database.ConnectionString + "|" + regency;
        if (_cache.TryGetValue(key, out var cached) && cached.Marker == marker)
        {
            return cached;
        }
        await using var db = database.CreateDb();
        // The regency row, its province (the regency's parent name) and every kecamatan and village under it: a scan of
        // the all-Indonesia region table, once per data state, not per view.
        var province = RegionCode.ProvinceOf(regency);
        var regions = await db.Regions.AsNoTracking()
            .Where(r => r.Code.StartsWith(regency) || r.Code == province)
            .Select(r => new RegionRow(r.Code, r.Name, r.Level, r.ParentCode))
            .ToListAsync(cancellationToken);
        var values = await ReadValuesAsync(cancellationToken);
        var programs = await db.Programs.AsNoTracking().OrderBy(p => p.Code).Select(p => new ProgramInfo(p.Code, p.Name)).ToListAsync(cancellationToken);
        var (runId, refreshedAt) = await StateAsync(cancellationToken);
        cached = new Cached(marker, regions.ToDictionary(r => r.Code, StringComparer.Ordinal),
            values.ToDictionary(v => v.Key, v => WithDerived(v.Value), StringComparer.Ordinal), programs, runId, refreshedAt);
        _cache[key] = cached;
        return cached;
    }

    private static Row Sum(string code, string name, IEnumerable<Row> rows)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var (measure, value) in row.Values)
            {
                total[measure] = total.GetValueOrDefault(measure) + value;
            }
        }
        return new Row(code, name, total);
    }

    /// <summary>Adds the measures derived from stored ones: desil 1–4 and the error totals over programs.</summary>
    private static Dictionary<string, long> WithDerived(Dictionary<string, long>? stored)
    {
        var values = stored is null ? new Dictionary<string, long>(StringComparer.Ordinal) : new Dictionary<string, long>(stored, StringComparer.Ordinal);
        values[Measures.Desil1To4] = Enumerable.Range(1, 4).Sum(d => values.GetValueOrDefault(Measures.Desil(d)));
        values[Measures.Inclusion] = values.Where(v => v.Key.StartsWith(Measures.InclusionPrefix, StringComparison.Ordinal)).Sum(v => v.Value);
        values[Measures.Exclusion] = values.Where(v => v.Key.StartsWith(Measures.ExclusionPrefix, StringComparison.Ordinal)).Sum(v => v.Value);
        return values;
    }

    private async Task<Dictionary<string, Dictionary<string, long>>> ReadValuesAsync(CancellationToken cancellationToken)
    {
        var byVillage = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kode_desa, measure, value FROM village_indicators";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var village = reader.GetString(0);
            if (!byVillage.TryGetValue(village, out var values))
            {
                byVillage[village] = values = new Dictionary<string, long>(StringComparer.Ordinal);
            }
            values[reader.GetString(1)] = reader.GetInt64(2);
        }
        return byVillage;
    }

    private async Task<(long? RunId, DateTime? RefreshedAt)> StateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id, refreshed_at FROM dashboard_state WHERE id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (null, null);
        }
        long? run = reader.IsDBNull(0) ? null : reader.GetInt64(0);
        var at = reader.GetValue(1) switch
        {
            DateTime d => d,
            string text => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ => (DateTime?)null,
        };
        return (run, at);
    }
}

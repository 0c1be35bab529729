using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Regions;

namespace Tuntas.Dashboard;

/// <summary>
/// The dashboard of a regency, a kecamatan or a village (issue #5 §5) from <c>village_indicators</c> only: totals, one
/// row per child region (kecamatan of a regency, villages of a kecamatan) and one per village (for the map). Refreshes
/// the pre-aggregate first when the data changed since (<see cref="RefreshVillageIndicators"/>); otherwise it reads at
/// most villages × measures small rows. A region scope (a village operator's village) restricts every number.
/// </summary>
public sealed class ReadDashboard(TuntasDatabase database, RefreshVillageIndicators refresh)
{
    public sealed record Input(string Code, string? RegionScope = null);

    public sealed record ProgramInfo(string Code, string Name);

    /// <summary>A region with its measures (<see cref="Measures"/>; absent = 0).</summary>
    public sealed record Row(string Code, string Name, IReadOnlyDictionary<string, long> Values)
    {
        public long this[string measure] => Values.GetValueOrDefault(measure);
    }

    public sealed record Outcome(string Code, string Name, string Level, string? ParentCode, string? ParentName, Row Totals,
        IReadOnlyList<Row> Children, IReadOnlyList<Row> Villages, IReadOnlyList<ProgramInfo> Programs, long? RunId, DateTime? RefreshedAt);

    public async Task<Outcome?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var code = RegionCode.ToDotted(input.Code);
        var scope = input.RegionScope is { Length: > 0 } s ? s : null;
        if (code is null || (scope is not null && !code.StartsWith(scope, StringComparison.Ordinal) && !scope.StartsWith(code, StringComparison.Ordinal)))
        {
            return null;
        }
        await using var db = database.CreateDb();
        var region = await db.Regions.AsNoTracking().SingleOrDefaultAsync(r => r.Code == code, cancellationToken);
        if (region is null || region.Level is not (Region.Regency or Region.District or Region.Village))
        {
            return null;
        }
        await refresh.RunAsync(force: false, cancellationToken);
        var parentName = region.ParentCode is null ? null
            : await db.Regions.Where(r => r.Code == region.ParentCode).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        // The narrower of the region and the scope: a village operator sees their village's numbers only.
        var filter = scope is not null && scope.Length > code.Length ? scope : code;
        var prefix = region.Level == Region.Village ? code : code + ".";
        var regions = await db.Regions.AsNoTracking()
            .Where(r => r.Code.StartsWith(prefix) && (r.Level == Region.Village || r.Level == Region.District))
            .Select(r => new { r.Code, r.Name, r.Level })
            .ToListAsync(cancellationToken);
        var villageNames = regions.Where(r => r.Level == Region.Village && r.Code.StartsWith(filter, StringComparison.Ordinal))
            .OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        var values = await ReadValuesAsync(filter, cancellationToken);
        var villages = villageNames.Select(v => new Row(v.Code, v.Name, WithDerived(values.GetValueOrDefault(v.Code)))).ToList();
        IReadOnlyList<Row> children = region.Level switch
        {
            Region.Regency => regions.Where(r => r.Level == Region.District && (scope is null || scope.StartsWith(r.Code, StringComparison.Ordinal) || r.Code.StartsWith(scope, StringComparison.Ordinal)))
                .OrderBy(r => r.Code, StringComparer.Ordinal)
                .Select(d => Sum(d.Code, d.Name, villages.Where(v => v.Code.StartsWith(d.Code + ".", StringComparison.Ordinal))))
                .ToList(),
            Region.District => villages,
            _ => [],
        };
        var programs = await db.Programs.AsNoTracking().OrderBy(p => p.Code).Select(p => new ProgramInfo(p.Code, p.Name)).ToListAsync(cancellationToken);
        var (runId, refreshedAt) = await StateAsync(cancellationToken);
        return new Outcome(region.Code, region.Name, region.Level, region.ParentCode, parentName, Sum(region.Code, region.Name, villages),
            children, villages, programs, runId, refreshedAt);
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

    private async Task<Dictionary<string, Dictionary<string, long>>> ReadValuesAsync(string prefix, CancellationToken cancellationToken)
    {
        var byVillage = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kode_desa, measure, value FROM village_indicators WHERE kode_desa LIKE @prefix";
        command.AddParameter("@prefix", prefix + "%");
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

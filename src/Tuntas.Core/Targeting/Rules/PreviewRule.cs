using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.Targeting.Rules;

/// <summary>
/// Counts the families and persons a rule would select, per kecamatan, before it is saved. Results of the
/// scoring models (desil, skor_pmt, …) and other programs' eligibility come from the latest run. The registry snapshot
/// and the run's columns are kept in <see cref="SnapshotCache"/>, so a warm preview is one pass over memory.
/// </summary>
/// <param name="regency">Its time zone says what "today" is before the first run: WIB's morning is still yesterday in UTC.</param>
public sealed class PreviewRule(TuntasDatabase database, SnapshotCache cache, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(string? ProgramCode, string Definition);

    public sealed record DistrictCount(string KodeKecamatan, int Families, long Persons, int Undetermined);

    public sealed record Outcome(IReadOnlyList<TargetingIssue> Issues, int Families, long Persons, int Undetermined, int Total,
        long? RunId, IReadOnlyList<DistrictCount> Districts);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var issues = new List<TargetingIssue>();
        IReadOnlyDictionary<string, CurrentRules.Rule> current;
        long? runId;
        DateOnly asOf;
        await using (var db = database.CreateDb())
        {
            current = await CurrentRules.LoadAsync(db, cancellationToken);
            var latest = await db.TargetingRuns.OrderByDescending(r => r.Id).Select(r => new { r.Id, r.AsOf }).FirstOrDefaultAsync(cancellationToken);
            runId = latest?.Id;
            // Ages on the latest run's reference date, so desil and ages in one preview describe the same day.
            asOf = latest?.AsOf ?? RegencyOptions.Of(regency).Today(clock);
        }
        var code = input.ProgramCode is { Length: > 0 } p ? ProgramCodes.Normalize(p) : "PRATINJAU";
        var condition = SaveEligibilityRule.Validate(code, input.Definition, current, issues);
        if (condition is null)
        {
            return new Outcome(issues, 0, 0, 0, 0, runId, []);
        }
        var snapshot = await cache.SnapshotAsync(database, asOf, cancellationToken);
        var run = runId is { } id ? await cache.RunColumnsAsync(database, snapshot, id, cancellationToken) : null;
        var runColumns = run?.Columns ?? TargetingFields.RunFields.ToDictionary(f => f.Name, _ => Column.Constant(snapshot.FamilyCount, double.NaN));
        var truth = new ColumnEvaluator(snapshot, runColumns, run?.Eligibility ?? new Dictionary<string, sbyte[]>(), run?.Spans).Truth(condition);

        var districts = snapshot.Tables["kode_kecamatan"].Values;
        var districtOf = snapshot.Column("kode_kecamatan");
        var perDistrict = new (int Families, long Persons, int Undetermined)[districts.Count];
        for (var f = 0; f < truth.Length; f++)
        {
            var d = (int)districtOf[f];
            if (truth[f] == ColumnEvaluator.True)
            {
                perDistrict[d].Families++;
                perDistrict[d].Persons += snapshot.Members(f);
            }
            else if (truth[f] == ColumnEvaluator.Unknown)
            {
                perDistrict[d].Undetermined++;
            }
        }
        var rows = districts.Select((code, i) => new DistrictCount(code, perDistrict[i].Families, perDistrict[i].Persons, perDistrict[i].Undetermined))
            .OrderBy(r => r.KodeKecamatan, StringComparer.Ordinal).ToList();
        return new Outcome([], rows.Sum(r => r.Families), rows.Sum(r => r.Persons), rows.Sum(r => r.Undetermined), snapshot.FamilyCount, runId, rows);
    }
}

/// <summary>
/// The registry snapshot and the latest run's result columns, kept between previews (a singleton in the web app).
/// The snapshot is reloaded when the registry changes (its change marker: newest history line and ids, index lookups)
/// or the reference date changes (ages); run columns when another run is asked for.
/// </summary>
public sealed class SnapshotCache
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Key, RegistrySnapshot Snapshot)? _snapshot;
    private (long RunId, RegistrySnapshot For, RunColumns Columns)? _run;

    public sealed record RunColumns(Dictionary<string, Column> Columns, Dictionary<string, sbyte[]> Eligibility,
        IReadOnlyDictionary<string, ColumnEvaluator.SpanColumns>? Spans = null);

    public async Task<RegistrySnapshot> SnapshotAsync(TuntasDatabase database, DateOnly asOf, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var key = await LoadRegistrySnapshot.RegistryMarkerAsync(database, cancellationToken) + "@" + asOf.ToString("O", CultureInfo.InvariantCulture);
            if (_snapshot is not { } cached || cached.Key != key)
            {
                _snapshot = (key, await new LoadRegistrySnapshot(database).RunAsync(asOf, cancellationToken));
            }
            return _snapshot.Value.Snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<RunColumns> RunColumnsAsync(TuntasDatabase database, RegistrySnapshot snapshot, long runId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_run is { } cached && cached.RunId == runId && ReferenceEquals(cached.For, snapshot))
            {
                return cached.Columns;
            }
            var columns = await Runs.RunResults.ColumnsAsync(database, snapshot, runId, cancellationToken);
            _run = (runId, snapshot, columns);
            return columns;
        }
        finally
        {
            _gate.Release();
        }
    }
}

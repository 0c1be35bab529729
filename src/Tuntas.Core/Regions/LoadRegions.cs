namespace Tuntas.Regions;

/// <summary>
/// Loads the Kemendagri region table (all Indonesia, Kepmendagri 300.2.2-2138/2025; see <c>Data/SOURCES.md</c>) shipped
/// with Tuntas. Runs at start-up: a no-op when the table already holds every region, an upsert otherwise (a newer
/// Kepmendagri adds or renames regions; codes are never deleted because families point at them).
/// </summary>
public sealed class LoadRegions(TuntasDatabase database)
{
    public sealed record Outcome(int RegionsInFile, int RegionsBefore, bool Loaded);

    /// <summary>The shipped Kemendagri table as embedded (<c>code,name,level,parent_code</c>, docs in Regions/Data/SOURCES.md).</summary>
    public static Stream OpenShippedRegions() =>
        typeof(LoadRegions).Assembly.GetManifestResourceStream("Tuntas.Regions.Data.regions_all.csv")
            ?? throw new InvalidOperationException("regions_all.csv is not embedded");

    public static IEnumerable<(string Code, string Name, string Level, string? Parent)> ReadShippedRegions()
    {
        using var stream = OpenShippedRegions();
        using var reader = new StreamReader(stream);
        reader.ReadLine(); // header: code,name,level,parent_code
        while (reader.ReadLine() is { } line)
        {
            var fields = Csv.SplitLine(line, ',');
            yield return (fields[0], fields[1], fields[2], fields[3].Length == 0 ? null : fields[3]);
        }
    }

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var regions = ReadShippedRegions().ToList();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        long before;
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM regions";
            before = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        if (before >= regions.Count)
        {
            return new Outcome(regions.Count, (int)before, Loaded: false);
        }
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await database.UpsertAsync(connection, transaction, "regions", "code", _columns, regions, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return new Outcome(regions.Count, (int)before, Loaded: true);
    }

    private static readonly BulkColumn<(string Code, string Name, string Level, string? Parent)>[] _columns =
    [
        new("code", ColumnKind.Text, r => r.Code),
        new("name", ColumnKind.Text, r => r.Name),
        new("level", ColumnKind.Text, r => r.Level),
        new("parent_code", ColumnKind.Text, r => r.Parent),
    ];
}

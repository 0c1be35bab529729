using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

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
        if (database.IsSqlite)
        {
            await UpsertSqliteAsync(connection, regions, cancellationToken);
        }
        else
        {
            await UpsertPostgresAsync((NpgsqlConnection)connection, regions, cancellationToken);
        }
        return new Outcome(regions.Count, (int)before, Loaded: true);
    }

    private static async Task UpsertSqliteAsync(DbConnection connection, List<(string Code, string Name, string Level, string? Parent)> regions, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO regions (code, name, level, parent_code) VALUES (@c, @n, @l, @p)
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code
            """;
        var c = insert.AddParameter("@c", "");
        var n = insert.AddParameter("@n", "");
        var l = insert.AddParameter("@l", "");
        var p = insert.AddParameter("@p", null);
        await insert.PrepareAsync(cancellationToken);
        foreach (var region in regions)
        {
            c.Value = region.Code;
            n.Value = region.Name;
            l.Value = region.Level;
            p.Value = (object?)region.Parent ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task UpsertPostgresAsync(NpgsqlConnection connection, List<(string Code, string Name, string Level, string? Parent)> regions, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var temp = new NpgsqlCommand("CREATE TEMP TABLE regions_load (code text, name text, level text, parent_code text) ON COMMIT DROP", connection, transaction))
        {
            await temp.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("COPY regions_load (code, name, level, parent_code) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var region in regions)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(region.Code, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(region.Name, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(region.Level, NpgsqlDbType.Text, cancellationToken);
                if (region.Parent is null)
                {
                    await copy.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await copy.WriteAsync(region.Parent, NpgsqlDbType.Text, cancellationToken);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var merge = new NpgsqlCommand("""
            INSERT INTO regions (code, name, level, parent_code) SELECT code, name, level, parent_code FROM regions_load
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code
            """, connection, transaction))
        {
            await merge.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}

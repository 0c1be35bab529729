using System.Diagnostics;
using System.Globalization;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.Imports;

namespace Tuntas.Bench;

/// <summary>
/// <c>village-imports --sqlite FILE | --postgres CONNECTION [--runs 20]</c>: the villages' checklist
/// (<see cref="VillageImports"/>, the back office's /Impor/Desa) on a loaded registry, warm, as a request runs it (a new
/// <c>TuntasDb</c> a call); then the families' part alone as one SQL statement, the reference.
/// </summary>
public static class VillageImportsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var runs = int.Parse(Arg("--runs") ?? "20", CultureInfo.InvariantCulture);
        var database = Arg("--sqlite") is { } file
            ? new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={file}")
            : new TuntasDatabase(DatabaseProvider.Postgres, Arg("--postgres") ?? throw new ArgumentException("--sqlite FILE or --postgres CONNECTION"));
        var use = new List<double>();
        VillageImports.Outcome? outcome = null;
        for (var i = 0; i < runs + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var db = database.CreateDb())
            {
                outcome = await VillageImports.RunAsync(db, "33.14", AccessScope.Regency, seesAllImports: true, "bench", CancellationToken.None);
            }
            if (i >= 3)
            {
                use.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        var sql = new List<double>();
        for (var i = 0; i < runs + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT kode_desa, COUNT(*), MAX(updated_at) FROM families WHERE kode_desa LIKE '33.14.%' GROUP BY kode_desa";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            }
            if (i >= 3)
            {
                sql.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        static string Stats(List<double> times)
        {
            times.Sort();
            return string.Create(CultureInfo.InvariantCulture, $"p50 {times[times.Count / 2]:0.0} ms, p95 {times[(int)(times.Count * 0.95)]:0.0} ms, max {times[^1]:0.0} ms");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{database.Provider}: {outcome!.Villages.Count} villages, {outcome.WithData} with data, {outcome.LatestRefused} refused; use case {Stats(use)}; SQL {Stats(sql)} ({runs} warm runs each)"));
        return 0;
    }
}

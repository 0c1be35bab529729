using System.Globalization;

namespace Tuntas.Bench;

/// <summary>Command line of the harness: <c>import</c> (generate, import, reference loader, re-import, lookups) or <c>lookup</c>.</summary>
public sealed class BenchOptions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Username=postgres;Password=postgres";

    /// <summary>The demo generator makes ≈ 3.28 persons per family: 305,000 families ≈ 1,000,000 persons.</summary>
    public const double FamiliesPerPerson = 0.305;

    public const string Usage = """
        usage: Tuntas.Bench import [options]   generate the demo file, import it through the tuntas CLI, run the raw loader,
                                               re-import, then time lookups
               Tuntas.Bench lookup [options]   lookups only, on the registry left by the last import run
                                               (SQLite: bench/out/sqlite/tuntas.db; PostgreSQL: --database NAME, see --keep)
        options:
          --persons N            target persons (default 1000000; families = N x 0.305)
          --families N           exact family count (overrides --persons)
          --seed N               generator seed (default 1)
          --regency CODE         regency of the demo data (default 33.14, Sragen)
          --provider P           sqlite | postgres | both (default both)
          --postgres CS          PostgreSQL server connection string (default "Host=127.0.0.1;Username=postgres;Password=postgres")
          --database NAME        lookup: the PostgreSQL database to use
          --keep                 import: keep the PostgreSQL database (dropped by default)
          --rounds N             first load and raw loader N times in turn, each in a fresh database (default 1); the
                                 summary gives medians and the median of the rounds' own ratios with their range
          --no-reimport          skip the idempotent re-import
          --no-lookups           skip lookups
          --pg-server-defaults   leave the bench database's PostgreSQL settings as the server has them; by default the
                                 harness gives it the per-database settings docs/operations.md recommends for the
                                 machine ("PostgreSQL settings for bulk loads")
          --nik N --nokk N --names N   lookup sample sizes (default 1000, 1000, 200; names also get N spelling variants)
          --no-build             do not build src/Tuntas.Cli in Release first
          --cli DIR              import with the tuntas.dll in DIR (a ReadyToRun publish, as deployed:
                                 dotnet publish src/Tuntas.Cli -c Release -r linux-x64 --self-contained false -o DIR);
                                 implies --no-build
          --out DIR              output folder (default bench/out)
        """;

    public required string Command { get; init; }
    public int Families { get; init; }
    public int Seed { get; init; } = 1;
    public string Regency { get; init; } = "33.14";
    public bool Sqlite { get; init; } = true;
    public bool Postgres { get; init; } = true;
    public string PostgresServer { get; init; } = DefaultPostgres;
    public string? PostgresDatabase { get; init; }
    public bool Keep { get; init; }
    public bool Reimport { get; init; } = true;
    public bool Lookups { get; init; } = true;

    /// <summary>First loads, each followed by the raw loader (<c>--rounds</c>): a shared machine moves a single pair by
    /// more than the difference between 2.9× and 3.1×.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>Apply the per-database settings of docs/operations.md to the bench database (<c>--pg-server-defaults</c>: no).</summary>
    public bool PostgresRecommendedSettings { get; init; } = true;
    public int NikSamples { get; init; } = 1000;
    public int NoKkSamples { get; init; } = 1000;
    public int NameSamples { get; init; } = 200;
    public bool Build { get; init; } = true;
    public string? OutDir { get; init; }

    /// <summary>The folder of the CLI to run (<c>--cli</c>); null: the Release build of src/Tuntas.Cli.</summary>
    public string? CliDir { get; init; }

    public static BenchOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("import" or "lookup"))
        {
            return null;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] valued = ["--persons", "--families", "--seed", "--regency", "--provider", "--postgres", "--database", "--nik", "--nokk", "--names", "--out", "--cli", "--rounds"];
        string[] flagged = ["--keep", "--no-reimport", "--no-lookups", "--no-build", "--pg-server-defaults"];
        for (var i = 1; i < args.Length; i++)
        {
            if (valued.Contains(args[i]))
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException(args[i] + " needs a value");
                }
                values[args[i]] = args[++i];
            }
            else if (flagged.Contains(args[i]))
            {
                flags.Add(args[i]);
            }
            else
            {
                throw new ArgumentException("unknown option " + args[i]);
            }
        }
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
        var persons = Int("--persons", 1_000_000);
        var provider = values.GetValueOrDefault("--provider", "both").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres" or "both"))
        {
            throw new ArgumentException("--provider is sqlite, postgres or both");
        }
        return new BenchOptions
        {
            Command = args[0],
            Families = Int("--families", (int)Math.Round(persons * FamiliesPerPerson)),
            Seed = Int("--seed", 1),
            Regency = values.GetValueOrDefault("--regency", "33.14"),
            Sqlite = provider is "sqlite" or "both",
            Postgres = provider is "postgres" or "both",
            PostgresServer = values.GetValueOrDefault("--postgres", DefaultPostgres),
            PostgresDatabase = values.GetValueOrDefault("--database"),
            Keep = flags.Contains("--keep"),
            Reimport = !flags.Contains("--no-reimport"),
            Lookups = !flags.Contains("--no-lookups"),
            Rounds = Math.Max(1, Int("--rounds", 1)),
            PostgresRecommendedSettings = !flags.Contains("--pg-server-defaults"),
            NikSamples = Int("--nik", 1000),
            NoKkSamples = Int("--nokk", 1000),
            NameSamples = Int("--names", 200),
            Build = !flags.Contains("--no-build") && !values.ContainsKey("--cli"),
            CliDir = values.TryGetValue("--cli", out var cli) ? Path.GetFullPath(cli) : null,
            OutDir = values.GetValueOrDefault("--out"),
        };
    }
}

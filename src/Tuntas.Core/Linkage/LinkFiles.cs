namespace Tuntas.Linkage;

/// <summary>
/// <c>tuntas linkage run A.csv B.csv --config MAP.json</c>: links two outside lists (a school list, a BPJS PBI list, a
/// Dukcapil extract) whose columns the config maps to kinds, or deduplicates one list when B is the same file. With
/// <see cref="Input.RegistryAsA"/> the registry's persons (inside the caller's scope) are side A and the config's
/// <c>a</c> columns name registry columns (<see cref="RegistryPersons.Columns"/>; ids are NIKs). Everything is
/// validated — config, files, encodings, delimiters, columns — before a record is read.
/// </summary>
public sealed class LinkFiles(TuntasDatabase? database = null)
{
    public sealed record Input(string? PathA, string PathB, string ConfigJson, double? MinScore, bool RegistryAsA = false, AccessScope? Scope = null);

    public sealed record LinkedPair(string IdA, string IdB, double Score);

    public sealed record Outcome(IReadOnlyList<LinkedPair> Pairs, int RecordsA, int RecordsB, long Candidates, double MinScore,
        FellegiSunter Model, IReadOnlyList<LinkageField> Fields, IReadOnlyDictionary<string, long> PairsPerRule, bool Deduplicated);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var config = LinkageConfig.Parse(input.ConfigJson);
        if (input.MinScore is { } min && !LinkageEngine.IsMinScore(min))
        {
            throw new LinkageException([new("LINKAGE_SKOR", "--min-score", "Skor minimum harus angka dari 0 sampai 1 dengan titik desimal, mis. 0.95.", "The minimum score must be a number from 0 to 1 with a decimal point, e.g. 0.95.")]);
        }
        LinkageTable a;
        LinkageTable? b;
        var same = false;
        if (input.RegistryAsA)
        {
            var unknown = config.Fields.Where(f => RegistryPersons.IndexOf(f.A) < 0).Select(f => new LinkageProblem("LINKAGE_KOLOM_TIDAK_ADA", "A:registry",
                $"Kolom \"{f.A}\" tidak ada di data terpadu (yang ada: {string.Join(", ", RegistryPersons.Columns)}).",
                $"Column \"{f.A}\" is not a registry column (registry columns: {string.Join(", ", RegistryPersons.Columns)})."));
            var problems = unknown.ToList();
            try
            {
                LinkageFiles.Validate(input.PathB, null, config with { IdA = config.IdB, Fields = [.. config.Fields.Select(f => f with { A = f.B })] });
            }
            catch (LinkageException e)
            {
                problems.AddRange(e.Problems.Select(p => p with { Where = p.Where.Replace("A:", "B:", StringComparison.Ordinal) }));
            }
            if (problems.Count > 0)
            {
                throw new LinkageException(problems);
            }
            if (database is null)
            {
                throw new InvalidOperationException("LinkFiles needs the database to link against the registry.");
            }
            var registry = await RegistryPersons.LoadAsync(database, input.Scope ?? AccessScope.Nothing,
                [.. config.Fields.Select(f => (f.Kind, f.A))], cancellationToken);
            a = registry.Table;
            b = LinkageFiles.Read(input.PathB, LinkageFiles.Inspect(input.PathB), config, sideA: false);
        }
        else
        {
            var pathA = input.PathA ?? throw new ArgumentException("PathA is required without RegistryAsA.", nameof(input));
            same = string.Equals(Path.GetFullPath(pathA), Path.GetFullPath(input.PathB), StringComparison.Ordinal);
            var (shapeA, shapeB) = LinkageFiles.Validate(pathA, same ? null : input.PathB, config);
            a = LinkageFiles.Read(pathA, shapeA, config, sideA: true);
            b = same ? null : LinkageFiles.Read(input.PathB, shapeB, config, sideA: false);
        }
        var result = await Task.Run(() => LinkageEngine.Run(a, b, input.MinScore, cancellationToken), cancellationToken);
        var other = b ?? a;
        var pairs = result.Pairs.Select(p => new LinkedPair(a.Ids[p.A], other.Ids[p.B], p.Score)).ToList();
        return new Outcome(pairs, a.Count, other.Count, result.Candidates, result.MinScore, result.Model, config.Fields, result.PairsPerRule, same);
    }
}

using Tuntas.Access;
using Tuntas.Linkage;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas linkage run A.csv B.csv --config MAP.json [--out pairs.csv] [--min-score S] [--registry]</c> (docs/linkage.md):
/// writes <c>ID_A,ID_B,SKOR</c>, one line per linked pair, best first. Refusals (bad config, missing column, unknown
/// kind, files of different encodings or delimiters) print every problem and exit 2 before any work.
/// </summary>
public static class LinkageCommands
{
    public static Command Create(CliContext context)
    {
        var linkage = new Command("linkage", "Pencocokan rekaman antardaftar / record linkage between lists");
        linkage.Subcommands.Add(Run(context));
        return linkage;
    }

    public static int Refuse(CliContext context, LinkageException e) => Refusals.Print(context, e.Problems);

    private static Command Run(CliContext context)
    {
        var files = new Argument<FileInfo[]>("FILES") { Description = "A.csv B.csv (atau hanya B.csv dengan --registry) / A.csv B.csv, or B.csv with --registry", Arity = new ArgumentArity(1, 2) };
        var config = new Option<FileInfo>("--config") { Description = "Konfigurasi JSON: idA, idB, fields[kind,a,b,format] / JSON config", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Berkas CSV hasil; tanpa ini ke stdout / output CSV, else standard output" };
        var minScore = new Option<double?>("--min-score") { Description = "Skor minimum 0–1 (bawaan 0.9) / minimum match probability" };
        var registry = new Option<bool>("--registry") { Description = "A = data terpadu (kolom NIK, NAMA, TANGGAL_LAHIR, …) / side A is the registry" };
        var user = new Option<string?>("--user") { Description = "Nama petugas / operator" };
        var command = new Command("run", "Cocokkan dua berkas (atau satu berkas dengan dirinya) / link two files, or deduplicate one")
        {
            files, config, output, minScore, registry, user,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files)!;
            var useRegistry = parse.GetValue(registry);
            if (paths.Length != (useRegistry ? 1 : 2))
            {
                context.Error.WriteLine(useRegistry
                    ? "Dengan --registry sebutkan satu berkas (B) / with --registry give one file (B)."
                    : "Sebutkan dua berkas A dan B (sama untuk deduplikasi) / give two files A and B (the same one to deduplicate).");
                return 2;
            }
            var configFile = parse.GetValue(config)!;
            if (!configFile.Exists)
            {
                context.Error.WriteLine($"config: [LINKAGE_BERKAS] Berkas konfigurasi tidak ditemukan / config file not found: {configFile.FullName}");
                return 2;
            }
            try
            {
                var database = useRegistry ? await context.ReadyDatabaseAsync(cancellationToken) : null;
                var input = new LinkFiles.Input(useRegistry ? null : paths[0].FullName, paths[^1].FullName,
                    await File.ReadAllTextAsync(configFile.FullName, cancellationToken), parse.GetValue(minScore), useRegistry, AccessScope.Regency);
                var outcome = await new LinkFiles(database).RunAsync(input, cancellationToken);
                var file = parse.GetValue(output);
                await using (var fileWriter = file is null ? null : new StreamWriter(file.Create()))
                {
                    var target = fileWriter ?? context.Out;
                    await target.WriteLineAsync("ID_A,ID_B,SKOR");
                    foreach (var pair in outcome.Pairs)
                    {
                        await target.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{Data.Csv.Quote(pair.IdA)},{Data.Csv.Quote(pair.IdB)},{pair.Score:0.0000}"));
                    }
                    await target.FlushAsync(cancellationToken);
                }
                if (database is not null)
                {
                    // Linking against the registry reads every person's NIK and name: audited like an export (UU PDP).
                    await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Export, "linkage", null,
                        $"linkage run --registry {paths[^1].Name}: {outcome.Pairs.Count} pairs", cancellationToken);
                }
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{outcome.Pairs.Count:N0} pasangan (skor ≥ {outcome.MinScore:0.00}) dari {outcome.Candidates:N0} kandidat; A {outcome.RecordsA:N0}, B {outcome.RecordsB:N0} rekaman; λ {outcome.Model.Lambda:G3}, EM {outcome.Model.Iterations} iterasi / pairs linked"));
                return 0;
            }
            catch (LinkageException e)
            {
                return Refuse(context, e);
            }
        });
        return command;
    }
}

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
        var linkage = new Command("linkage", CliTexts.Both("Linkage.Command.Linkage"));
        linkage.Subcommands.Add(Run(context));
        return linkage;
    }

    public static int Refuse(CliContext context, LinkageException e) => Refusals.Print(context, e.Problems);

    private static Command Run(CliContext context)
    {
        var files = new Argument<FileInfo[]>("FILES") { Description = CliTexts.Both("Argument.Files"), Arity = new ArgumentArity(1, 2) };
        var config = new Option<FileInfo>("--config") { Description = CliTexts.Both("Option.Config"), Required = true };
        var output = new Option<FileInfo?>("--out") { Description = CliTexts.Both("Linkage.Option.Out") };
        var minScore = ScoreOptions.MinScore();
        var registry = new Option<bool>("--registry") { Description = CliTexts.Both("Option.Registry") };
        var user = new Option<string?>("--user") { Description = CliTexts.Both("Option.User") };
        var command = new Command("run", CliTexts.Both("Linkage.Command.Run"))
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
                    ? CliTexts.Both("Linkage.RegistryOneFile")
                    : CliTexts.Both("Linkage.TwoFiles"));
                return 2;
            }
            var configFile = parse.GetValue(config)!;
            if (!configFile.Exists)
            {
                return Refusals.Print(context, [CliTexts.Problem("Linkage.ConfigNotFound", "config", "LINKAGE_BERKAS", configFile.FullName)]);
            }
            try
            {
                var database = useRegistry ? await context.ReadyDatabaseAsync(cancellationToken) : null;
                // The registry's persons are side A: an account named by --user links against the persons of its own area,
                // as an export of the registry reads them, and a role that may not export or a name without an account is
                // refused (before, --user was only the name in the audit and every run read the whole regency).
                var scope = AccessScope.Regency;
                if (database is not null)
                {
                    var acting = await CliAccounts.ResolveAsync(database, context, parse.GetValue(user), Registry.RegistryPermissions.Export,
                        role => CliTexts.Problem("Registry.ExportNotAllowed", "user", "EXPORT_NOT_ALLOWED", role), unknownIsRefused: true, cancellationToken);
                    if (acting.Refusal is { } refusal)
                    {
                        return Refusals.Print(context, [refusal]);
                    }
                    scope = acting.Scope;
                }
                var input = new LinkFiles.Input(useRegistry ? null : paths[0].FullName, paths[^1].FullName,
                    await File.ReadAllTextAsync(configFile.FullName, cancellationToken), parse.GetValue(minScore), useRegistry, scope);
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
                context.Error.WriteLine(CliTexts.Both("Linkage.PairsLinked", outcome.Pairs.Count, outcome.MinScore, outcome.Candidates, outcome.RecordsA, outcome.RecordsB, outcome.Model.Lambda, outcome.Model.Iterations));
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

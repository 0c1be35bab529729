using System.Diagnostics;
using System.Text.Json;
using Tuntas.Access;
using Tuntas.Linkage;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas duplicates find [--json] [--out FILE] [--min-score S]</c> (docs/linkage.md): suspected duplicate persons in
/// the registry, best first. <c>--json</c> prints <c>{"pairs": [{"nikA", "nikB", "score", "fields": {…}}], "families":
/// [{"noKkA", "noKkB", "score", "sharedMembers", …}], "model": {…}}</c> (families that share suspected members; the
/// estimated weights); without it
/// a CSV (to <c>--out</c> or standard output). Full NIKs: the run is audited as an export (UU PDP).
/// </summary>
public static class DuplicateCommands
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var duplicates = new Command("duplicates", CliTexts.Both("Duplicates.Command.Duplicates"));
        duplicates.Subcommands.Add(Find(context));
        return duplicates;
    }

    private static Command Find(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Duplicates.Option.Json") };
        var output = new Option<FileInfo?>("--out") { Description = CliTexts.Both("Duplicates.Option.Out") };
        var minScore = ScoreOptions.MinScore();
        var user = new Option<string?>("--user") { Description = CliTexts.Both("Duplicates.Option.User") };
        var command = new Command("find", CliTexts.Both("Duplicates.Command.Find")) { json, output, minScore, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(minScore) is { } min && !LinkageEngine.IsMinScore(min))
            {
                return Refusals.Print(context, [CliTexts.Problem("Duplicates.MinScoreRange", "--min-score", "LINKAGE_SKOR")]);
            }
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            // Full NIKs and names: an account named by --user gets the pairs of its own area, as the Duplicates queue
            // gives it, and a role that may not review duplicates, or a name without an account, is refused (before,
            // --user was only the name in the audit, and a village operator's name got the whole regency's pairs).
            var acting = await CliAccounts.ResolveAsync(database, context, parse.GetValue(user), Registry.RegistryPermissions.ReviewDuplicates,
                role => CliTexts.Problem("Duplicates.NotAllowed", "user", "DUPLICATES_NOT_ALLOWED", role), unknownIsRefused: true, cancellationToken);
            if (acting.Refusal is { } refusal)
            {
                return Refusals.Print(context, [refusal]);
            }
            var watch = Stopwatch.StartNew();
            Blocking.Progress = line => context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,6:0.0} s] {line}"));
            var outcome = await new FindRegistryDuplicates(database).RunAsync(new(acting.Scope, parse.GetValue(minScore)), cancellationToken);
            var seconds = watch.Elapsed.TotalSeconds;
            var file = parse.GetValue(output);
            await using (var fileWriter = file is null ? null : new StreamWriter(file.Create()))
            {
                var target = fileWriter ?? context.Out;
                if (parse.GetValue(json))
                {
                    await target.WriteLineAsync(JsonSerializer.Serialize(new
                    {
                        pairs = outcome.Pairs.Select(p => new
                        {
                            nikA = p.NikA,
                            nikB = p.NikB,
                            score = p.Score,
                            fields = p.Fields.ToDictionary(f => f.Key, f => new { level = f.Value.Level, agrees = f.Value.Agrees, weight = f.Value.Weight }),
                            namaA = p.NamaA,
                            namaB = p.NamaB,
                            kodeDesaA = p.KodeDesaA,
                            kodeDesaB = p.KodeDesaB,
                            personIdA = p.PersonIdA,
                            personIdB = p.PersonIdB,
                        }),
                        families = outcome.FamilyPairs.Select(f => new
                        {
                            noKkA = f.NoKkA,
                            noKkB = f.NoKkB,
                            score = f.Score,
                            sharedMembers = f.SharedMembers,
                            kodeDesaA = f.KodeDesaA,
                            kodeDesaB = f.KodeDesaB,
                            familyIdA = f.FamilyIdA,
                            familyIdB = f.FamilyIdB,
                            members = f.Members.Select(m => new { personIdA = m.PersonIdA, personIdB = m.PersonIdB }),
                        }),
                        // The weights EM estimated on this registry (docs/linkage.md shows them): λ and m, u, log2(m/u) per level.
                        model = outcome.Model is not { } model ? null : new
                        {
                            lambda = model.Lambda,
                            iterations = model.Iterations,
                            fields = RegistryPersons.DuplicateFields.Select((field, f) => new
                            {
                                column = field.Column,
                                levels = Comparisons.Levels(field.Kind).Select((label, l) => new { level = label, m = model.M[f][l], u = model.U[f][l], weight = Math.Round(model.Weight(f, l), 2) }).Reverse(),
                            }),
                        },
                    }, _json));
                }
                else
                {
                    await target.WriteLineAsync("NIK_A,NIK_B,SKOR,NAMA_A,NAMA_B,KODE_DESA_A,KODE_DESA_B,SAMA,BERBEDA");
                    // Names come from every village's files: one written as a formula would run in the reviewer's spreadsheet.
                    foreach (var p in outcome.Pairs)
                    {
                        var agree = string.Join(' ', p.Fields.Where(f => f.Value.Agrees).Select(f => f.Key));
                        var differ = string.Join(' ', p.Fields.Where(f => !f.Value.Agrees && f.Value.Level != "missing").Select(f => $"{f.Key}({f.Value.Level})"));
                        await target.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{p.NikA},{p.NikB},{p.Score:0.0000},{Data.Csv.Quote(Data.TableExport.Defused(p.NamaA))},{Data.Csv.Quote(Data.TableExport.Defused(p.NamaB))},{p.KodeDesaA},{p.KodeDesaB},{Data.Csv.Quote(agree)},{Data.Csv.Quote(differ)}"));
                    }
                }
                await target.FlushAsync(cancellationToken);
            }
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Export, "duplikat", null,
                $"duplicates find: {outcome.Pairs.Count} pairs", cancellationToken);
            context.Error.WriteLine(CliTexts.Both("Duplicates.SuspectedPairs", outcome.Pairs.Count, outcome.MinScore, outcome.Persons, outcome.Candidates, outcome.ExcludedByDecision, seconds));
            return 0;
        });
        return command;
    }
}

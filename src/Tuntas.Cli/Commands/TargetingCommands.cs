using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Targeting;
using Tuntas.Targeting.Models;
using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Runs;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas targeting run|export|compare|quota|accuracy|rules|models</c> (docs/targeting.md). Refusals
/// (invalid rule, calibration sample too small, unknown run) print every issue and exit 2.
/// </summary>
public static class TargetingCommands
{
    private static readonly JsonSerializerOptions _json = new(RunTargeting.Json) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var targeting = new Command("targeting", CliTexts.Both("Targeting.Command.Targeting"));
        targeting.Subcommands.Add(Run(context));
        targeting.Subcommands.Add(Export(context));
        targeting.Subcommands.Add(Compare(context));
        targeting.Subcommands.Add(Quota(context));
        targeting.Subcommands.Add(Accuracy(context));
        targeting.Subcommands.Add(Rules(context));
        targeting.Subcommands.Add(Models(context));
        return targeting;
    }

    private static async Task<int> Guard(CliContext context, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (RefusedException e)
        {
            return Refusals.Print(context, e.Problems);
        }
    }

    private static Command Run(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Targeting.Option.Json") };
        var asOf = DateOptions.Optional("--as-of", CliTexts.Both("Option.AsOf"));
        var decile = new Option<string?>("--desil-model") { Description = CliTexts.Both("Option.DesilModel") };
        var user = new Option<string?>("--user") { Description = CliTexts.Both("Option.User") };
        var command = new Command("run", CliTexts.Both("Targeting.Command.Run")) { json, asOf, decile, user };
        command.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            var run = await new RunTargeting(database, context.Clock, context.Regency).RunAsync(
                new RunTargeting.Input(CliContext.Operator(parse.GetValue(user)), parse.GetValue(asOf), parse.GetValue(decile)), cancellationToken);
            var summary = JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new { run.Id, run.InputHash, run.RegistryHash, run.AsOf, run.DecileModel, run.DurationMs, Summary = summary }, _json));
            }
            context.Error.WriteLine(string.Create(CliTexts.Indonesian,
                $"Penargetan #{run.Id}: {summary.Families:N0} keluarga, {summary.Persons:N0} jiwa, {run.DurationMs:N0} ms; hash masukan {run.InputHash[..12]}"));
            foreach (var program in summary.Programs)
            {
                context.Error.WriteLine(string.Create(CliTexts.Indonesian,
                    $"  {program.Program,-8} layak {program.Families,9:N0} keluarga {program.Persons,10:N0} jiwa, belum pasti {program.Undetermined:N0}"));
            }
            foreach (var model in summary.Skipped ?? [])
            {
                context.Error.WriteLine(CliTexts.Both("Targeting.ModelSkipped", model.Code, model.Version, model.Problem, model.Message, model.MessageEn));
            }
            if (summary.AbsentIndicators is { Count: > 0 } absent)
            {
                context.Error.WriteLine(CliTexts.Both("Targeting.AbsentIndicators", string.Join(", ", absent)));
            }
            context.Error.WriteLine(parse.GetValue(decile) is { Length: > 0 } asked && asked != run.DecileModel
                ? CliTexts.Both("Targeting.DecilesFallback", run.DecileModel, asked)
                : CliTexts.Both("Targeting.DecilesFrom", run.DecileModel));
            if (summary.CoarseDeciles is { } coarse)
            {
                context.Error.WriteLine(CliTexts.Both("Targeting.CoarseDeciles", coarse.Values, coarse.LargestTiePersons, coarse.Persons));
            }
            if (summary.DecileRangeFamilies is { } ranged)
            {
                context.Error.WriteLine(CliTexts.Both("Targeting.DecileRange", ranged));
            }
            if (summary.WithoutDecile > 0)
            {
                context.Error.WriteLine(CliTexts.Both("Targeting.WithoutDecile", summary.WithoutDecile, run.DecileModel));
            }
            return 0;
        }));
        return command;
    }

    private static Command Export(CliContext context)
    {
        var run = new Argument<string>("RUN") { Description = CliTexts.Both("Argument.Run") };
        var output = new Option<FileInfo?>("--out") { Description = CliTexts.Both("Targeting.Export.Option.Out") };
        var command = new Command("export", CliTexts.Both("Targeting.Command.Export")) { run, output };
        command.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            var runId = await FindRun.IdByReferenceAsync(database, parse.GetValue(run)!, cancellationToken);
            var file = parse.GetValue(output);
            await using var stream = file is null ? Console.OpenStandardOutput() : file.Create();
            var rows = await new ExportRun(database).RunAsync(runId, stream, cancellationToken);
            await context.AuditAsync(database, null, Audit.AuditActions.Export, "penargetan", runId.ToString(CultureInfo.InvariantCulture),
                "targeting export " + (file?.Name ?? "stdout"), cancellationToken);
            context.Error.WriteLine(CliTexts.Both("Targeting.Exported", rows, runId));
            return 0;
        }));
        return command;
    }

    private static Command Compare(CliContext context)
    {
        var before = new Argument<string>("SEBELUM") { Description = CliTexts.Both("Argument.Sebelum") };
        var after = new Argument<string>("SESUDAH") { Description = CliTexts.Both("Argument.Sesudah") };
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Option.Json") };
        var command = new Command("compare", CliTexts.Both("Targeting.Command.Compare")) { before, after, json };
        command.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var a = await FindRun.ByReferenceAsync(db, parse.GetValue(before)!, cancellationToken);
            var b = await FindRun.ByReferenceAsync(db, parse.GetValue(after)!, cancellationToken);
            var outcome = await new CompareRuns(database).RunAsync(new CompareRuns.Input(a.Id, b.Id), cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(outcome, _json));
            }
            context.Error.WriteLine(outcome.SameInputs ? CliTexts.Both("Targeting.SameInputs") : CliTexts.Both("Targeting.InputChanges", string.Join("; ", outcome.InputChanges)));
            foreach (var p in outcome.Programs)
            {
                context.Error.WriteLine(string.Create(CliTexts.Indonesian, $"  {p.Program,-8} {p.EligibleBefore,9:N0} → {p.EligibleAfter,9:N0}  masuk {p.Entered:N0}, keluar {p.Left:N0}"));
            }
            return 0;
        }));
        return command;
    }

    private static Command Quota(CliContext context)
    {
        var run = new Argument<string>("RUN") { Description = CliTexts.Both("Argument.Run") };
        var program = new Option<string>("--program") { Description = CliTexts.Both("Targeting.Option.Program"), Required = true };
        var quota = new Option<int>("--quota") { Description = CliTexts.Both("Targeting.Quota.Option.Quota"), Required = true };
        var method = new Option<string>("--method") { Description = "proporsional | peringkat", DefaultValueFactory = _ => AllocateQuota.Proportional };
        var output = new Option<FileInfo?>("--out") { Description = CliTexts.Both("Targeting.Quota.Option.Out") };
        var command = new Command("quota", CliTexts.Both("Targeting.Command.Quota")) { run, program, quota, method, output };
        command.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var found = await FindRun.ByReferenceAsync(db, parse.GetValue(run)!, cancellationToken);
            var outcome = await new AllocateQuota(database).RunAsync(
                new AllocateQuota.Input(found.Id, parse.GetValue(program)!, parse.GetValue(quota), parse.GetValue(method)!), cancellationToken);
            if (parse.GetValue(output) is { } file)
            {
                await using var stream = file.Create();
                await RankedList.WriteAsync(outcome, stream, cancellationToken);
            }
            context.Error.WriteLine(string.Create(CliTexts.Indonesian,
                $"{outcome.Program}: kuota {outcome.Quota:N0}, layak {outcome.Eligible:N0}, dialokasikan {outcome.Allocated:N0} ke {outcome.Villages.Count(v => v.Allocated > 0)} desa ({outcome.Method})."));
            if (outcome.TiedAtCut is { } tie)
            {
                context.Error.WriteLine(CliTexts.Both("Targeting.QuotaTie", tie.Families, tie.Seats));
            }
            return 0;
        }));
        return command;
    }

    private static Command Accuracy(CliContext context)
    {
        var run = new Argument<string>("RUN") { Description = CliTexts.Both("Argument.Run") };
        var quota = new Option<double?>("--quota") { Description = CliTexts.Both("Targeting.Accuracy.Option.Quota") };
        var line = new Option<double?>("--poverty-line") { Description = CliTexts.Both("Targeting.Accuracy.Option.PovertyLine") };
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Option.Json") };
        var command = new Command("accuracy", CliTexts.Both("Targeting.Command.Accuracy")) { run, quota, line, json };
        command.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var found = await FindRun.ByReferenceAsync(db, parse.GetValue(run)!, cancellationToken);
            var outcome = await new MeasureAccuracy(database).RunAsync(new MeasureAccuracy.Input(found.Id, parse.GetValue(quota), parse.GetValue(line)), cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(outcome, _json));
            }
            if (outcome.FamiliesWithConsumption == 0)
            {
                // As the run page: a table of zeros would read as models that find nobody.
                context.Error.WriteLine(CliTexts.Both("Targeting.AccuracyNoConsumption", outcome.RunId));
                return 0;
            }
            context.Error.WriteLine(string.Create(CliTexts.Indonesian,
                $"Penargetan #{outcome.RunId}: kuota {outcome.Quota:P0}, garis kemiskinan Rp{outcome.PovertyLine:N0}, {outcome.FamiliesWithConsumption:N0} keluarga dengan pengeluaran, miskin {outcome.PoorShare:P1}"));
            MarkdownTable.Write(context.Error, "| Model | Galat inklusi | Galat eksklusi | Cakupan orang miskin |", "|---|---:|---:|---:|", outcome.Models, m =>
                $"| {m.Model} | {m.InclusionError:P1} | {m.ExclusionError:P1} | {m.Coverage:P1} |");
            return 0;
        }));
        return command;
    }

    private static Command Rules(CliContext context)
    {
        var rules = new Command("rules", CliTexts.Both("Targeting.Command.Rules"));
        var list = new Command("list", CliTexts.Both("Targeting.Command.RulesList"));
        list.SetAction((_, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            foreach (var (code, rule) in await CurrentRules.LoadAsync(db, cancellationToken))
            {
                context.Out.WriteLine($"{code}\tv{rule.Row.Version}\t{rule.Row.Name}");
            }
            return 0;
        }));
        var program = new Argument<string>("PROGRAM");
        var file = new Argument<FileInfo>("FILE") { Description = CliTexts.Both("Argument.File") };
        var name = new Option<string?>("--name") { Description = CliTexts.Both("Targeting.Option.Name") };
        var user = new Option<string?>("--user");
        var save = new Command("save", CliTexts.Both("Targeting.Command.RulesSave")) { program, file, name, user };
        save.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var code = parse.GetValue(program)!;
            var outcome = await new SaveEligibilityRule(db, context.Clock).RunAsync(new SaveEligibilityRule.Input(code,
                parse.GetValue(name) ?? code, await File.ReadAllTextAsync(parse.GetValue(file)!.FullName, cancellationToken),
                CliContext.Operator(parse.GetValue(user))), cancellationToken);
            if (outcome.Saved is null)
            {
                throw new TargetingException(outcome.Issues);
            }
            context.Error.WriteLine(CliTexts.Both("Targeting.Saved", outcome.Saved.ProgramCode, outcome.Saved.Version));
            return 0;
        }));
        var previewFile = new Argument<FileInfo>("FILE") { Description = CliTexts.Both("Argument.File") };
        var previewProgram = new Option<string?>("--program");
        var preview = new Command("preview", CliTexts.Both("Targeting.Command.Preview")) { previewFile, previewProgram };
        preview.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            var outcome = await new PreviewRule(database, new SnapshotCache(), context.Clock, context.Regency).RunAsync(new PreviewRule.Input(parse.GetValue(previewProgram),
                await File.ReadAllTextAsync(parse.GetValue(previewFile)!.FullName, cancellationToken)), cancellationToken);
            if (outcome.Issues.Count > 0)
            {
                throw new TargetingException(outcome.Issues);
            }
            context.Out.WriteLine(JsonSerializer.Serialize(outcome, _json));
            return 0;
        }));
        rules.Subcommands.Add(list);
        rules.Subcommands.Add(save);
        rules.Subcommands.Add(preview);
        return rules;
    }

    private static Command Models(CliContext context)
    {
        var models = new Command("models", CliTexts.Both("Targeting.Command.Models"));
        var list = new Command("list", CliTexts.Both("Targeting.Command.ModelsList"));
        list.SetAction((_, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var zone = context.Regency.Value;
            foreach (var m in await db.TargetingModels.AsNoTracking().OrderBy(m => m.Code).ThenBy(m => m.Version).ToListAsync(cancellationToken))
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Code}\tv{m.Version}\t{m.Kind}\t{m.Name}\t{m.CreatedBy}\t{zone.ToRegency(m.CreatedAt):yyyy-MM-dd}"));
            }
            return 0;
        }));
        var code = new Argument<string>("KODE");
        var show = new Command("show", CliTexts.Both("Targeting.Command.Show")) { code };
        show.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var wanted = ProgramCodes.Normalize(parse.GetValue(code)!);
            var model = await db.TargetingModels.AsNoTracking().Where(m => m.Code == wanted).OrderByDescending(m => m.Version).FirstOrDefaultAsync(cancellationToken)
                ?? throw new TargetingException([TargetingMessages.Issue("KODE", "RUN_NOT_FOUND", wanted)]);
            context.Out.WriteLine(model.Definition);
            return 0;
        }));
        var saveCode = new Argument<string>("KODE");
        var file = new Argument<FileInfo>("FILE");
        var user = new Option<string?>("--user");
        var save = new Command("save", CliTexts.Both("Targeting.Command.ModelsSave")) { saveCode, file, user };
        save.SetAction((parse, cancellationToken) => Guard(context, async () =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var outcome = await new SaveTargetingModel(db, context.Clock).RunAsync(new SaveTargetingModel.Input(parse.GetValue(saveCode)!,
                await File.ReadAllTextAsync(parse.GetValue(file)!.FullName, cancellationToken), CliContext.Operator(parse.GetValue(user))), cancellationToken);
            if (outcome.Saved is null)
            {
                throw new TargetingException(outcome.Issues);
            }
            context.Error.WriteLine(CliTexts.Both("Targeting.Saved", outcome.Saved.Code, outcome.Saved.Version));
            return 0;
        }));
        models.Subcommands.Add(list);
        models.Subcommands.Add(show);
        models.Subcommands.Add(save);
        return models;
    }
}

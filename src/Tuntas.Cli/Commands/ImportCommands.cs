using System.Text.Json;
using Spectre.Console;
using Tuntas.Data;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;

namespace Tuntas.Cli.Commands;

/// <summary><c>tuntas import families FILE [--dry-run] [--json]</c>, <c>tuntas import template</c> and <c>tuntas import villages</c>.</summary>
public static class ImportCommands
{
    public static Command Create(CliContext context)
    {
        var import = new Command("import", CliTexts.Both("Import.Command.Import"));
        import.Subcommands.Add(Families(context));
        import.Subcommands.Add(Template(context));
        import.Subcommands.Add(Villages(context));
        return import;
    }

    /// <summary>The extensions a folder's files are imported by: the registry's import formats.</summary>
    /// <summary>The files of a folder that are imported: the readable kinds, and the spreadsheets that are not (old Excel,
    /// binary Excel, OpenDocument), so that each of those is refused by name with how to save it, not passed over unseen
    /// among 200 villages' files.</summary>
    private static readonly string[] _importExtensions = [".csv", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"];

    private static Command Families(CliContext context)
    {
        // One file, several, or a folder: a regency operator receives one file from each village (docs/import-profiles.md,
        // "Many villages' files"). Each file is its own import — its own job, transaction and report — so a refused file
        // leaves the others imported.
        var files = new Argument<FileSystemInfo[]>("FILE") { Description = CliTexts.Both("Import.Argument.File"), Arity = ArgumentArity.OneOrMore };
        var dryRun = new Option<bool>("--dry-run") { Description = CliTexts.Both("Import.Option.DryRun") };
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Option.JsonReport") };
        var allowMoves = new Option<bool>("--allow-moves") { Description = CliTexts.Both("Import.Option.AllowMoves") };
        var user = new Option<string?>("--user") { Description = CliTexts.Both("Import.Option.User") };
        var plainProgress = new Option<bool>("--progress") { Description = CliTexts.Both("Import.Option.Progress") };
        var profile = new Option<string?>("--profile")
        {
            Description = CliTexts.Both("Import.Option.Profile"),
        };
        profile.AcceptOnlyFromAmong([.. ImportProfiles.Names]);
        var village = new Option<string?>("--village") { Description = CliTexts.Both("Import.Option.Village") };
        var preview = new Option<bool>("--preview")
        {
            Description = CliTexts.Both("Import.Option.Preview"),
        };
        var command = new Command("families", CliTexts.Both("Import.Command.Families"))
        {
            files, dryRun, json, allowMoves, user, plainProgress, profile, village, preview,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = new List<FileInfo>();
            var arguments = parse.GetValue(files)!;
            foreach (var given in arguments)
            {
                if (!given.Exists)
                {
                    context.Error.WriteLine(CliTexts.Both("FileNotFound", given.FullName));
                    return 1;
                }
                if (given is DirectoryInfo folder)
                {
                    // Not read, and said: villages' files sorted into kecamatan folders must not be missed unseen.
                    foreach (var inner in folder.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
                    {
                        context.Error.WriteLine(CliTexts.Both("Import.FolderSkipped", inner.FullName));
                    }
                    // Excel's lock files (~$name.xlsx) sit beside an open workbook: not a village's file.
                    var inFolder = folder.EnumerateFiles()
                        .Where(f => _importExtensions.Contains(f.Extension.ToLowerInvariant()) && !f.Name.StartsWith("~$", StringComparison.Ordinal))
                        .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
                    if (inFolder.Count == 0)
                    {
                        context.Error.WriteLine(CliTexts.Both("Import.FolderEmpty", folder.FullName));
                        return 1;
                    }
                    paths.AddRange(inFolder);
                }
                else
                {
                    paths.Add((FileInfo)given);
                }
            }
            var asJson = parse.GetValue(json);
            // One village for many files would put every village's people into it.
            if (paths.Count > 1 && !string.IsNullOrWhiteSpace(parse.GetValue(village)))
            {
                return Refusals.Print(context, [CliTexts.Problem("Import.VillageManyFiles", "village", "IMPORT_VILLAGE_MANY_FILES", paths.Count)]);
            }
            TuntasDatabase database;
            try
            {
                database = await context.ReadyDatabaseAsync(cancellationToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                context.Error.WriteLine(CliTexts.Both("Import.DatabaseUnavailable", e.Message));
                return 1;
            }
            // An account named by --user imports and previews within its own area, as it would through the back office.
            var acting = await CliAccounts.ResolveAsync(database, context, parse.GetValue(user), Registry.RegistryPermissions.Write,
                role => CliTexts.Problem("Import.NotAllowed", "user", "IMPORT_NOT_ALLOWED", role), unknownIsRefused: false, cancellationToken);
            if (acting.Refusal is { } refusal)
            {
                return Refusals.Print(context, [refusal]);
            }
            var scope = acting.Scope.IsRegencyWide ? null : acting.Scope.Regions![0];
            // A village operator who gives no --village imports into their own village, as through the back office
            // (an OpenSID or DTKS file carries no village of its own). Anyone else's file without one goes to the village
            // it is named after, if any (VillageInFileName).
            var fileVillage = string.IsNullOrWhiteSpace(parse.GetValue(village)) && scope is { Length: 13 } ownVillage ? ownVillage : parse.GetValue(village);
            var results = new List<(FileInfo File, ImportReport Report)>();
            var previews = new List<string>();
            var exitCode = 0;
            // One file named: its report or preview, as before. Several files or a folder: an array of them, in the order
            // read, even when the folder held one file, so that a script reads every run the same way.
            var many = arguments.Length > 1 || arguments.Any(a => a is DirectoryInfo);
            if (!parse.GetValue(preview))
            {
                // Earlier runs on this machine whose process was killed: their transaction rolled back; say so on their job.
                await ImportJobs.FailAbandonedAsync(database, context.Clock, cancellationToken);
            }
            for (var i = 0; i < paths.Count; i++)
            {
                var path = paths[i];
                if (paths.Count > 1)
                {
                    context.Error.WriteLine(CliTexts.Both("Import.FileHeading", path.Name, i + 1, paths.Count));
                }
                if (parse.GetValue(preview))
                {
                    PreviewImport.Outcome shown;
                    // As the back office shows it: the registry's part of what the import will write (a DTKS workbook's
                    // never-schooled persons, within --user's area) and a village's file of another kecamatan's NIKs.
                    await using (var db = database.CreateDb())
                    {
                        shown = await PreviewImport.RunAgainstRegistryAsync(new PreviewImport.Input(path.FullName, parse.GetValue(profile), fileVillage, RegionScope: scope,
                            SourceName: Registry.HistoryValues.MaskIdentifiers(path.Name), Today: context.Regency.Value.Today(context.Clock)), db, cancellationToken);
                    }
                    // Names are shown: a personal-data read, recorded like the back office's preview.
                    await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.ViewPersonalData, "impor", null,
                        $"pratinjau {Registry.HistoryValues.MaskIdentifiers(path.Name)}", CancellationToken.None);
                    if (asJson)
                    {
                        previews.Add(JsonSerializer.Serialize(shown, ImportReport.JsonOptions));
                    }
                    else
                    {
                        WritePreview(context.Out, shown);
                    }
                    exitCode = Math.Max(exitCode, shown.Problems.Count > 0 ? 2 : 0);
                    continue;
                }
                var input = new ImportFamilies.Input(path.FullName, Registry.HistoryValues.MaskIdentifiers(path.Name), parse.GetValue(dryRun), CliContext.Operator(parse.GetValue(user)),
                    AllowMoves: parse.GetValue(allowMoves), RegionScope: scope,
                    Profile: parse.GetValue(profile), Village: fileVillage);
                if (await ImportOneAsync(context, database, input, parse.GetValue(user), parse.GetValue(plainProgress), cancellationToken) is not { } report)
                {
                    if (paths.Count > 1)
                    {
                        context.Error.WriteLine(CliTexts.Both("Import.CancelledRest", results.Count, paths.Count));
                    }
                    return 130;
                }
                results.Add((path, report));
                exitCode = Math.Max(exitCode, report.ExitCode);
            }
            if (results.Count > 1)
            {
                WriteFilesSummary(context.Error, results);
            }
            List<string> reports = previews.Count > 0 ? previews : [.. results.Select(r => r.Report.ToJson())];
            if (asJson && reports.Count > 0)
            {
                context.Out.WriteLine(!many ? reports[0] : "[" + string.Join(",\n", reports) + "]");
            }
            return exitCode;
        });
        return command;
    }

    /// <summary>Imports one file as its own job; null when Ctrl+C stopped it (its transaction rolled back).</summary>
    private static async Task<ImportReport?> ImportOneAsync(CliContext context, TuntasDatabase database, ImportFamilies.Input input, string? user,
        bool plainProgress, CancellationToken cancellationToken)
    {
        var jobId = await ImportJobs.StartAsync(database, input, context.Clock, cancellationToken, ImportJobs.ThisProcess());
        input = input with { JobId = jobId };
        var import = new ImportFamilies(database, context.Clock, context.Regency);
        ImportReport report;
        try
        {
            if (context.Interactive)
            {
                report = await RunWithProgressBarAsync(context, import, input, cancellationToken);
            }
            else
            {
                var started = context.Clock.GetTimestamp();
                var last = (Phase: "", Seconds: -1.0);
                // At most one line a second, and one at each change of phase: a log, not a flood.
                var lines = plainProgress
                    ? new SynchronousProgress(p =>
                    {
                        var seconds = context.Clock.GetElapsedTime(started).TotalSeconds;
                        if (p.Phase != last.Phase || seconds - last.Seconds >= 1)
                        {
                            last = (p.Phase, seconds);
                            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.RowsDone}/{p.RowsTotal?.ToString(CultureInfo.InvariantCulture) ?? "?"} {seconds:0.0}s"));
                        }
                    })
                    : null;
                report = await import.RunAsync(input, lines, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the transaction rolled back; the job says so rather than "berjalan".
            await ImportJobs.FailAsync(database, jobId, ImportJobs.CancelledMessage, context.Clock);
            context.Error.WriteLine(CliTexts.Both("Import.Cancelled", ImportJobs.CancelledMessage, ImportJobs.CancelledMessageEn));
            return null;
        }
        await ImportJobs.FinishAsync(database, jobId, report, context.Clock, CancellationToken.None);
        if (!input.DryRun)
        {
            await context.AuditAsync(database, user, Audit.AuditActions.Import, "impor", jobId.ToString(CultureInfo.InvariantCulture),
                $"keluarga {input.SourceName}: {(report.Committed ? "disimpan" : "tidak disimpan")}", CancellationToken.None);
        }
        WriteSummary(context.Error, report);
        return report;
    }

    /// <summary>After several files: one line each (its village and what became of it; the counts are in its own section
    /// above) and the totals, so that the files a regency operator must send back to their villages are listed
    /// together, not scattered through the output.</summary>
    private static void WriteFilesSummary(TextWriter error, IReadOnlyList<(FileInfo File, ImportReport Report)> results)
    {
        error.WriteLine(CliTexts.Both("Import.FilesSummary", results.Count));
        foreach (var (file, report) in results)
        {
            var state = report.Failure is not null ? CliTexts.Both("Import.FileFailed")
                : report.Committed ? CliTexts.Both("Import.Committed")
                : report.ErrorCount > 0 ? CliTexts.Both("Import.Rejected")
                : CliTexts.Both("Import.DryRun");
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {file.Name}{(report.Village is { } v ? " (" + v + ")" : "")}: {state}"));
        }
        var (rejected, failed) = (results.Count(r => r.Report.Failure is null && r.Report.ErrorCount > 0), results.Count(r => r.Report.Failure is not null));
        // A dry run of a clean folder said "committed 0 of 208 files", which reads as a failure (a user's test): it says
        // how many files would import.
        error.WriteLine(results.Count > 0 && results.All(r => r.Report.DryRun)
            ? CliTexts.Both("Import.FilesTotalsDryRun", results.Count - rejected - failed, results.Count, rejected, failed)
            : CliTexts.Both("Import.FilesTotals", results.Count(r => r.Report.Committed), results.Count, rejected, failed));
    }

    private static async Task<ImportReport> RunWithProgressBarAsync(CliContext context, ImportFamilies import, ImportFamilies.Input input, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
        ImportReport? report = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var validate = progressContext.AddTask(CliTexts.Both("Import.Validating"), maxValue: 1);
                var write = progressContext.AddTask(CliTexts.Both("Import.Writing"), maxValue: 1, autoStart: false);
                var progress = new SynchronousProgress(p =>
                {
                    var task = p.Phase == "validasi" ? validate : write;
                    if (!task.IsStarted)
                    {
                        task.StartTask();
                    }
                    if (p.RowsTotal is > 0)
                    {
                        task.MaxValue = p.RowsTotal.Value;
                        task.Value = Math.Min(p.RowsDone, p.RowsTotal.Value);
                    }
                    if (p.Phase is "selesai")
                    {
                        validate.Value = validate.MaxValue;
                        write.Value = write.MaxValue;
                    }
                });
                report = await import.RunAsync(input, progress, cancellationToken);
                validate.Value = validate.MaxValue;
                if (report.Committed)
                {
                    write.Value = write.MaxValue;
                }
            });
        return report!;
    }

    /// <summary>IProgress that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    /// <summary>The preview as text: profile, mapping, columns not read, findings, the first rows (NIK masked).</summary>
    private static void WritePreview(TextWriter output, PreviewImport.Outcome preview)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(Profile(preview.Profile ?? "-", preview.Sheet));
        if (preview.FamilyOnly)
        {
            output.WriteLine(CliTexts.Both("Import.FamilyOnly"));
        }
        output.WriteLine(CliTexts.Both("Import.Mapping"));
        foreach (var column in preview.Mapping)
        {
            output.WriteLine($"  {column.FileColumn} -> {column.Field} ({column.Label})");
        }
        if (preview.Unknown is { Count: > 0 } unknown)
        {
            output.WriteLine(CliTexts.Both("Import.Unknown", string.Join(", ", unknown)));
        }
        output.WriteLine(CliTexts.Both("Import.NotRead", preview.Unmapped.Count == 0 ? "-" : string.Join(", ", preview.Unmapped)));
        foreach (var note in preview.Notes ?? [])
        {
            output.WriteLine(string.Create(c, $"PERINGATAN: {note.Message} / {note.MessageEn} [{note.Code}]"));
        }
        foreach (var problem in preview.Problems)
        {
            output.WriteLine(string.Create(c, $"GALAT baris {problem.Row}, kolom {problem.Column ?? "-"}: {problem.Message} / {problem.MessageEn} [{problem.Code}]"));
        }
        if (preview.Rows.Count > 0)
        {
            output.WriteLine(CliTexts.Both("Import.FirstRows"));
            output.WriteLine("  baris\t" + string.Join('\t', preview.Fields));
            foreach (var row in preview.Rows)
            {
                output.WriteLine(string.Create(c, $"  {row.Number}\t{string.Join('\t', row.Values)}"));
                foreach (var issue in row.Issues)
                {
                    output.WriteLine(string.Create(c, $"    GALAT kolom {issue.Column ?? "-"}: {issue.Message} [{issue.Code}]"));
                }
            }
        }
    }

    /// <summary>"Profil / profile: tuntas", with ", lembar / sheet "Data"" when the file is a workbook.</summary>
    private static string Profile(string profile, string? sheet) =>
        CliTexts.Both("Import.Profile", profile) + (sheet is null ? "" : ", " + CliTexts.Both("Import.Sheet", sheet));

    /// <summary>Warnings of one code printed in words after the errors; a first load of a regency may carry thousands
    /// (temporary NIKs), which belong in the JSON report.</summary>
    private const int WarningsPrintedPerCode = 3;

    /// <summary>A finding on one line, with the cell's value as the report has it (NIK and NO_KK masked, a temporary
    /// number whole: the operator needs it to find the row in OpenSID), so that the row can be found without --json.</summary>
    /// <summary>Row 0 is the file itself (an .xls, a workbook that cannot be opened): "baris 0, kolom -" told the operator
    /// nothing, so such a finding names the file.</summary>
    private static string Finding(string kind, ImportIssue issue) => string.Create(CultureInfo.InvariantCulture,
        $"{kind} {(issue.Row > 0 ? $"baris {issue.Row}, kolom {issue.Column ?? "-"}" : "berkas / file")}{(string.IsNullOrEmpty(issue.Value) ? "" : " = " + issue.Value)}: {issue.Message} / {issue.MessageEn} [{issue.Code}]");

    private static void WriteSummary(TextWriter error, ImportReport report)
    {
        var c = CultureInfo.InvariantCulture;
        if (report.Failure is not null)
        {
            error.WriteLine(report.Failure);
            return;
        }
        if (report.Profile is not null)
        {
            error.WriteLine(Profile(report.Profile, report.Sheet));
        }
        foreach (var issue in report.Errors.Take(50))
        {
            error.WriteLine(Finding("GALAT", issue));
        }
        if (report.ErrorCount > 50)
        {
            error.WriteLine(CliTexts.Both("Import.MoreErrors", report.ErrorCount - 50));
        }
        // Warnings do not stop an import, but some must be read before committing it (a village outside the regency, a
        // family moving village, a status a person recorded kept): the first few of every code in words, so a rare one
        // is not hidden behind a thousand temporary NIKs; then the count of each code, the rest in --json.
        var printed = 0;
        foreach (var issue in report.Warnings.GroupBy(w => w.Code).SelectMany(g => g.Take(WarningsPrintedPerCode)))
        {
            error.WriteLine(Finding("PERINGATAN", issue));
            printed++;
        }
        if (report.WarningCount > printed)
        {
            error.WriteLine(CliTexts.Both("Import.WarningsByCode",
                string.Join(", ", report.WarningCodes.Select(w => string.Create(c, $"{w.Key} {w.Value}")))));
        }
        var state = report.Committed ? CliTexts.Both("Import.Committed")
            : report.ErrorCount > 0 ? CliTexts.Both("Import.Rejected")
            : CliTexts.Both("Import.DryRun");
        error.WriteLine(state + ". " + CliTexts.Both("Import.Counts", report.Families.Added, report.Families.Updated, report.Families.Unchanged,
            report.Persons.Added, report.Persons.Updated, report.Persons.Unchanged, report.ErrorCount, report.WarningCount));
    }

    private static Command Template(CliContext context)
    {
        var output = new Option<FileInfo?>("--out") { Description = CliTexts.Both("Import.Template.Option.Out") };
        var command = new Command("template", CliTexts.Both("Import.Command.Template")) { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var header = string.Join(",", FamilyFileLayout.TemplateHeader);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, header + "\n", cancellationToken);
                context.Error.WriteLine(CliTexts.Both("Import.TemplateWritten", file.FullName));
            }
            else
            {
                context.Out.WriteLine(header);
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Which villages' data has come in (<see cref="VillageImports"/>), as the back office's <c>/Impor/Desa</c>: one line a
    /// village, or only those without data or whose latest file was refused. Without <c>--user</c> the whole regency and
    /// every job; with it, that account's area and its own jobs.
    /// </summary>
    private static Command Villages(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Option.JsonReport") };
        var user = new Option<string?>("--user") { Description = CliTexts.Both("Import.Villages.Option.User") };
        var only = new Option<string?>("--only") { Description = CliTexts.Both("Import.Villages.Option.Only") };
        only.AcceptOnlyFromAmong("without", "refused");
        var command = new Command("villages", CliTexts.Both("Import.Command.Villages")) { json, user, only };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            var userName = parse.GetValue(user);
            var acting = await CliAccounts.ResolveAsync(database, context, userName, Registry.RegistryPermissions.Write,
                role => CliTexts.Problem("Import.NotAllowed", "user", "IMPORT_NOT_ALLOWED", role), unknownIsRefused: true, cancellationToken);
            if (acting.Refusal is { } refusal)
            {
                return Refusals.Print(context, [refusal]);
            }
            // Jobs as the account sees them in the back office: all of them for a role that sees every import.
            var seesAll = acting.Role is not { } role || Registry.RegistryPermissions.SeeAllImports.Allows(role);
            await using var db = database.CreateDb();
            var outcome = await VillageImports.RunAsync(db, context.Regency.Value.Regency, acting.Scope, seesAll, userName ?? "", cancellationToken);
            var listed = parse.GetValue(only) switch
            {
                "without" => [.. outcome.Villages.Where(v => !v.HasData)],
                "refused" => [.. outcome.Villages.Where(v => v.LatestRefused)],
                _ => outcome.Villages,
            };
            if (parse.GetValue(json))
            {
                // The totals are the scope's, whatever the filter lists.
                context.Out.WriteLine(JsonSerializer.Serialize(new { outcome.WithData, outcome.WithoutData, outcome.LatestRefused, Villages = listed },
                    ImportReport.JsonOptions));
                return 0;
            }
            var c = CultureInfo.InvariantCulture;
            string Job(VillageImports.Job? job) => job is null ? "-" : string.Create(c, $"#{job.Id} {job.Status}{(job.DryRun ? " (uji)" : "")} {context.Regency.Value.ToRegency(job.At):yyyy-MM-dd HH:mm} {job.FileName}");
            context.Error.WriteLine(CliTexts.Both("Import.Villages.Header"));
            foreach (var v in listed)
            {
                var changed = v.LastChange is { } at ? context.Regency.Value.ToRegency(at).ToString("yyyy-MM-dd HH:mm", c) : "-";
                context.Out.WriteLine(string.Create(c, $"{v.Code}\t{v.Name}\t{v.DistrictName}\t{v.Families}\t{changed}\t{Job(v.LastCommitted)}\t{Job(v.Latest)}"));
            }
            context.Error.WriteLine(CliTexts.Both("Import.Villages.Summary", outcome.WithData, outcome.Villages.Count, outcome.WithoutData, outcome.LatestRefused));
            return 0;
        });
        return command;
    }
}

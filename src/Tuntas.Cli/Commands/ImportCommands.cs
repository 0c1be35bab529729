using System.Text.Json;
using Spectre.Console;
using Tuntas.Data;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;

namespace Tuntas.Cli.Commands;

/// <summary><c>tuntas import families FILE [--dry-run] [--json]</c> and <c>tuntas import template</c>.</summary>
public static class ImportCommands
{
    public static Command Create(CliContext context)
    {
        var import = new Command("import", CliTexts.Both("Import.Command.Import"));
        import.Subcommands.Add(Families(context));
        import.Subcommands.Add(Template(context));
        return import;
    }

    private static Command Families(CliContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = CliTexts.Both("Import.Argument.File") };
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
            file, dryRun, json, allowMoves, user, plainProgress, profile, village, preview,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var asJson = parse.GetValue(json);
            if (!path.Exists)
            {
                context.Error.WriteLine(CliTexts.Both("FileNotFound", path.FullName));
                return 1;
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
            // (an OpenSID or DTKS file carries no village of its own).
            var fileVillage = string.IsNullOrWhiteSpace(parse.GetValue(village)) && scope is { Length: 13 } ownVillage ? ownVillage : parse.GetValue(village);
            if (parse.GetValue(preview))
            {
                var shown = PreviewImport.Run(new PreviewImport.Input(path.FullName, parse.GetValue(profile), fileVillage, RegionScope: scope));
                // Names are shown: a personal-data read, recorded like the back office's preview.
                await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.ViewPersonalData, "impor", null,
                    $"pratinjau {path.Name}", CancellationToken.None);
                if (asJson)
                {
                    context.Out.WriteLine(JsonSerializer.Serialize(shown, ImportReport.JsonOptions));
                }
                else
                {
                    WritePreview(context.Out, shown);
                }
                return shown.Problems.Count > 0 ? 2 : 0;
            }
            var input = new ImportFamilies.Input(path.FullName, path.Name, parse.GetValue(dryRun), CliContext.Operator(parse.GetValue(user)),
                AllowMoves: parse.GetValue(allowMoves), RegionScope: scope,
                Profile: parse.GetValue(profile), Village: fileVillage);
            // Earlier runs on this machine whose process was killed: their transaction rolled back; say so on their job.
            await ImportJobs.FailAbandonedAsync(database, context.Clock, cancellationToken);
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
                    var lines = parse.GetValue(plainProgress)
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
                return 130;
            }
            await ImportJobs.FinishAsync(database, jobId, report, context.Clock, CancellationToken.None);
            if (!input.DryRun)
            {
                await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Import, "impor", jobId.ToString(CultureInfo.InvariantCulture),
                    $"keluarga {input.SourceName}: {(report.Committed ? "disimpan" : "tidak disimpan")}", CancellationToken.None);
            }
            WriteSummary(context.Error, report);
            if (asJson)
            {
                context.Out.WriteLine(report.ToJson());
            }
            return report.ExitCode;
        });
        return command;
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
            error.WriteLine(string.Create(c, $"GALAT baris {issue.Row}, kolom {issue.Column ?? "-"}: {issue.Message} [{issue.Code}]"));
        }
        if (report.ErrorCount > 50)
        {
            error.WriteLine(string.Create(c, $"… dan {report.ErrorCount - 50} galat lain (lihat --json)."));
        }
        // Warnings do not stop an import, but some must be read before committing it (a village outside the regency, a
        // family moving village, a status a person recorded kept): the first few of every code in words, so a rare one
        // is not hidden behind a thousand temporary NIKs; then the count of each code, the rest in --json.
        var printed = 0;
        foreach (var issue in report.Warnings.GroupBy(w => w.Code).SelectMany(g => g.Take(WarningsPrintedPerCode)))
        {
            error.WriteLine(string.Create(c, $"PERINGATAN baris {issue.Row}, kolom {issue.Column ?? "-"}: {issue.Message} [{issue.Code}]"));
            printed++;
        }
        if (report.WarningCount > printed)
        {
            error.WriteLine(string.Create(CliTexts.Indonesian, $"… peringatan per kode: {string.Join(", ", report.WarningCodes.Select(w => $"{w.Key} {w.Value:N0}"))} (lihat --json)."));
        }
        var state = report.Committed ? CliTexts.Both("Import.Committed")
            : report.ErrorCount > 0 ? CliTexts.Both("Import.Rejected")
            : CliTexts.Both("Import.DryRun");
        error.WriteLine(string.Create(c,
            $"{state}. Keluarga: +{report.Families.Added} ~{report.Families.Updated} ={report.Families.Unchanged}; " +
            $"anggota: +{report.Persons.Added} ~{report.Persons.Updated} ={report.Persons.Unchanged}; " +
            $"galat {report.ErrorCount}, peringatan {report.WarningCount}."));
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
}

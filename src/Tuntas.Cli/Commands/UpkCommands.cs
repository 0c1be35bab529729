using System.Text.Json;
using Tuntas.Access;
using Tuntas.P2kp.LoanBook;
using Tuntas.P2kp.Performance;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas upk import BOOK [--dry-run] [--json]</c>, <c>tuntas upk kinerja [--upk KODE] --per YYYY-MM-DD [--json]</c> and
/// <c>tuntas upk kelulusan [--upk KODE] [--json]</c>
/// (LOAN-BOOK-FORMAT.md §7, docs/p2kp.md). Machine output on standard output, human text on standard error.
/// </summary>
public static class UpkCommands
{
    public static Command Create(CliContext context)
    {
        var upk = new Command("upk", CliTexts.Both("Upk.Command.Upk"));
        upk.Subcommands.Add(Import(context));
        upk.Subcommands.Add(Kinerja(context));
        upk.Subcommands.Add(Kelulusan(context));
        UpkPlanningCommands.AddTo(upk, context);
        return upk;
    }

    private static Command Import(CliContext context)
    {
        var book = new Argument<string>("BOOK") { Description = CliTexts.Both("Upk.Argument.Book") };
        var dryRun = new Option<bool>("--dry-run") { Description = CliTexts.Both("Upk.Option.DryRun") };
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Option.JsonReport") };
        var user = new Option<string?>("--user");
        var command = new Command("import", CliTexts.Both("Upk.Command.Import")) { book, dryRun, json, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(book)!);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                context.Error.WriteLine(CliTexts.Both("FileNotFound", path));
                return 1;
            }
            LoanBookReport report;
            try
            {
                var database = await context.ReadyDatabaseAsync(cancellationToken);
                report = await new ImportLoanBook(database, context.Clock, context.Regency).RunAsync(
                    new ImportLoanBook.Input(path, Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar)), parse.GetValue(dryRun)), cancellationToken);
                if (report.Committed)
                {
                    await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Import, "upk", report.File,
                        string.Join(", ", report.Counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}"))), CancellationToken.None);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                report = new LoanBookReport { File = Path.GetFileName(path), DryRun = parse.GetValue(dryRun), Failure = e.Message };
            }
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(report.ToJson());
            }
            context.Error.WriteLine(string.Join(", ", report.Counts.Select(c => string.Create(CliTexts.Indonesian, $"{c.Key} {c.Value:N0}"))));
            foreach (var issue in report.Errors.Take(50))
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  galat {issue.Sheet} baris {issue.Row} {issue.Column} [{issue.Code}] {issue.Value}: {issue.Message}"));
            }
            if (report.Errors.Count > 50)
            {
                context.Error.WriteLine("  " + CliTexts.Both("Upk.MoreErrors", report.Errors.Count - 50));
            }
            context.Error.WriteLine(CliTexts.Both("Upk.Warnings", report.Warnings.Count));
            context.Error.WriteLine(report.Failure is not null ? report.Failure
                : report.Committed ? CliTexts.Both("Upk.Written")
                : report.Errors.Count > 0 ? CliTexts.Both("NothingWrittenErrors")
                : CliTexts.Both("Upk.CleanDryRun"));
            return report.ExitCode;
        });
        return command;
    }

    private static Command Kinerja(CliContext context)
    {
        var upk = new Option<string?>("--upk") { Description = CliTexts.Both("Upk.Option.Upk") };
        var per = new Option<string>("--per") { Description = CliTexts.Both("Upk.Option.Per"), Required = true };
        var json = new Option<bool>("--json");
        var command = new Command("kinerja", CliTexts.Both("Upk.Command.Kinerja")) { upk, per, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(per), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf))
            {
                context.Error.WriteLine(CliTexts.Both("Upk.PerFormat"));
                return 1;
            }
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            // The CLI runs on the server with regency-wide rights, as the other commands do.
            var outcome = await new UpkPerformance(db).RunAsync(new UpkPerformance.Input(asOf, parse.GetValue(upk), AccessScope.Regency), cancellationToken);
            if (parse.GetValue(upk) is { } kode && outcome.Upk.Count == 0)
            {
                context.Error.WriteLine(CliTexts.Both("Upk.NotFound", kode));
                return 1;
            }
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(outcome, LoanBookReport.JsonOptions));
                return 0;
            }
            MarkdownTable.Write(context.Out, "| UPK | RR | PAR | LAR | CCR | ROI | Outstanding | Pinjaman aktif | KSM aktif |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|", outcome.Upk.Append(outcome.Total), row =>
                $"| {row.Kode ?? "Total"} | {P(row.Rr, row.Nilai.Rr)} | {P(row.Par, row.Nilai.Par)} | {P(row.Lar, row.Nilai.Lar)} | {P(row.Ccr, row.Nilai.Ccr)} | {P(row.Roi, row.Nilai.Roi)} | {row.Outstanding:N0} | {row.PinjamanAktif:N0} | {row.KsmAktif:N0} |");
            return 0;
        });
        return command;
    }

    private static Command Kelulusan(CliContext context)
    {
        var upk = new Option<string?>("--upk") { Description = CliTexts.Both("Upk.Kelulusan.Option.Upk") };
        var json = new Option<bool>("--json");
        var command = new Command("kelulusan", CliTexts.Both("Upk.Command.Kelulusan")) { upk, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var outcome = await new Graduation(db, database).RunAsync(new Graduation.Input(parse.GetValue(upk), AccessScope.Regency), cancellationToken);
            if (outcome.Problem is { } problem)
            {
                return Refusals.Print(context, [problem with { Field = "--upk" }]);
            }
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(outcome, LoanBookReport.JsonOptions));
                return 0;
            }
            context.Error.WriteLine(outcome.LatestRun is { } run
                ? CliTexts.Both("Upk.LatestRun", run, outcome.LatestRunAsOf)
                : CliTexts.Both("Upk.NoRun"));
            MarkdownTable.Write(context.Out, "| UPK/KSM | Keluarga | Desil 1–4 saat bergabung | Desil 1–4 sekarang | Keluar desil 1–4 | % | Masuk desil 1–4 |", "|---|---:|---:|---:|---:|---:|---:|", outcome.Upk.Append(outcome.Total).Concat(outcome.Ksm), row =>
                $"| {row.Kode} | {row.Families:N0} | {row.PoorAtJoin:N0} | {row.PoorNow:N0} | {row.Left:N0} | {row.LeftPercent?.ToString("0.00", CliTexts.Indonesian) ?? "—"} | {row.Entered:N0} |");
            return 0;
        });
        return command;
    }

    private static string P(double? value, string? grade) =>
        value is { } v ? string.Create(CliTexts.Indonesian, $"{v:0.00} {grade}") : "—";
}

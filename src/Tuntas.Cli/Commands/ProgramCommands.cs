using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Imports;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas programs list|import-recipients|exit|overlap|errors|family|budget|realization</c> (docs/programs.md).
/// </summary>
public static class ProgramCommands
{
    private static readonly JsonSerializerOptions _json = new(RecipientMatchReport.Json);

    public static Command Create(CliContext context)
    {
        var programs = new Command("programs", CliTexts.Both("Programs.Command.Programs"));
        programs.Subcommands.Add(List(context));
        programs.Subcommands.Add(ImportRecipientsCommand(context));
        programs.Subcommands.Add(Exit(context));
        programs.Subcommands.Add(Overlap(context));
        programs.Subcommands.Add(Errors(context));
        programs.Subcommands.Add(Family(context));
        programs.Subcommands.Add(Budget(context));
        programs.Subcommands.Add(Realization(context));
        return programs;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", CliTexts.Both("Programs.Command.List"));
        command.SetAction(async (_, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            foreach (var p in await db.Programs.AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken))
            {
                context.Out.WriteLine(string.Create(CliTexts.Indonesian,
                    $"{p.Code}\t{p.Name}\t{p.OwnerName}\t{p.FundingSource}\t{p.TargetUnit}\t{(p.Amount is { } a ? a.ToString("N0", CliTexts.Indonesian) : "—")}/{p.Period}{(p.AmountVerified ? "" : " (belum terverifikasi)")}"));
            }
            return 0;
        });
        return command;
    }

    private static Command ImportRecipientsCommand(CliContext context)
    {
        var program = new Argument<string>("PROGRAM") { Description = CliTexts.Both("Argument.Program") };
        var file = new Argument<FileInfo>("FILE") { Description = CliTexts.Both("Programs.Argument.File") };
        var dryRun = new Option<bool>("--dry-run") { Description = CliTexts.Both("Option.DryRun") };
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Programs.Option.Json") };
        var user = new Option<string?>("--user");
        var period = new Option<string?>("--periode") { Description = CliTexts.Both("Programs.Option.Period") };
        var command = new Command("import-recipients", CliTexts.Both("Programs.Command.ImportRecipients")) { program, file, dryRun, json, user, period };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                context.Error.WriteLine(CliTexts.Both("FileNotFound", path.FullName));
                return 1;
            }
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            // An account named by --user matches and enrolls within its own area, as the program page would, and only
            // for a program it may manage (before, --user was only the name in the history: a kecamatan coordinator's
            // name enrolled across the regency and saw every recipient's registered name).
            var acting = await CliAccounts.ResolveAsync(database, context, parse.GetValue(user), ProgramPermissions.Manage,
                role => CliTexts.Problem("Programs.NotAllowed", "user", "PROGRAM_NOT_ALLOWED", role), unknownIsRefused: false, cancellationToken);
            if (acting.Refusal is null && acting.Role is { } role && await ProgramOwnerAsync(database, parse.GetValue(program)!, cancellationToken) is { } owner
                && !Access.ProgramOwnership.MayManage(role, acting.Organization, owner))
            {
                acting = acting with { Refusal = CliTexts.Problem("Programs.NotOwner", "user", "PROGRAM_NOT_ALLOWED", role, owner) };
            }
            if (acting.Refusal is { } refusal)
            {
                return Refusals.Print(context, [refusal]);
            }
            var report = await new ImportRecipients(database, context.Clock, context.Regency).RunAsync(new ImportRecipients.Input(parse.GetValue(program)!, path.FullName, Registry.HistoryValues.MaskIdentifiers(path.Name),
                parse.GetValue(dryRun), CliContext.Operator(parse.GetValue(user)), acting.Scope, Period: string.IsNullOrWhiteSpace(parse.GetValue(period)) ? null : parse.GetValue(period)!.Trim()), cancellationToken);
            if (report.Committed)
            {
                await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Import, "program", report.Program,
                    $"penerima {report.File}: {report.Enrolled} baru, {report.DisbursementsAdded} penyaluran", CancellationToken.None);
            }
            else if (report.RowCount > 0)
            {
                // A dry run (or a list refused for its errors) still matched the rows against the registry and prints
                // the registered names and KK of the matched recipients: a personal-data read, recorded once as the
                // program page's "Cocokkan saja" is (UU PDP 27/2022, docs/security.md).
                await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.ViewPersonalData, "program", report.Program,
                    $"pencocokan penerima {report.File}: {report.Matched} cocok", CancellationToken.None);
            }
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(report.ToJson());
            }
            context.Error.WriteLine(CliTexts.Both("Programs.RecipientsMatched", report.Program, report.File, report.RowCount, report.Matched, report.NameMismatch,
                report.KeyMismatch, report.ReEnrolled, report.NotFound, report.OutsideScope, report.NotLiving, report.Duplicates, report.AlreadyEnrolled, report.Errors));
            if (report.Period is { } given)
            {
                context.Error.WriteLine(CliTexts.Both("Programs.PeriodGiven", given, report.PeriodGiven));
            }
            context.Error.WriteLine(report.Failure is not null ? report.Failure
                : report.Committed ? CliTexts.Both("Programs.RecipientsWritten", report.Enrolled, report.DisbursementsAdded, report.EnrollmentsUpdated)
                : report.Errors > 0 ? CliTexts.Both("NothingWrittenErrors") : CliTexts.Both("Programs.NothingWrittenDryRun"));
            foreach (var row in report.Rows.Where(r => r.Status is "error").Take(20))
            {
                context.Error.WriteLine($"  {Where(row)}{(string.IsNullOrEmpty(row.Column) ? "" : ", kolom " + row.Column)}: {Both(row)}");
            }
            // What an operator corrects the list by: names that differ, NIKs not found (with "Maksud Anda …?"), died or
            // moved recipients and duplicates, identifiers masked as in the report.
            foreach (var row in report.Rows.Where(r => r.Status is not ("error" or "paymentDiffers")).Take(50))
            {
                context.Error.WriteLine($"  {Where(row)} [{row.Status}] {row.Nik ?? row.NoKk} {row.Nama}: {Both(row)}");
            }
            // Listed after every row's own status, so said apart: a long list's 50 lines above would hide them.
            if (report.PaymentsDiffering > 0)
            {
                context.Error.WriteLine(CliTexts.Both("Programs.PaymentsDiffering", report.PaymentsDiffering));
                foreach (var row in report.Rows.Where(r => r.Status is "paymentDiffers").Take(50))
                {
                    context.Error.WriteLine($"  {Where(row)} [{row.Status}] {row.Nik ?? row.NoKk} {row.Nama}: {Both(row)}");
                }
            }
            return report.ExitCode;
        });
        return command;
    }

    /// <summary>The owner of a program by its code, as the program page reads it (<see cref="ProgramCatalogue.FindAsync"/>),
    /// or null when there is no such program: the import then says so itself.</summary>
    private static async Task<string?> ProgramOwnerAsync(Data.TuntasDatabase database, string code, CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        return (await ProgramCatalogue.FindAsync(db, code, cancellationToken))?.OwnerName;
    }

    /// <summary>Row 0 is the file itself (an .xls, an unreadable workbook): "baris 0" told the operator nothing.</summary>
    private static string Where(RecipientRow row) => row.Row > 0 ? $"baris {row.Row}" : "berkas / file";

    /// <summary>The row's message in both languages and its code, as the family import prints its findings: the list
    /// may be corrected by someone who reads English only, and the code is what the manual and a search find.</summary>
    private static string Both(RecipientRow row) =>
        (string.IsNullOrEmpty(row.MessageEn) || row.MessageEn == row.Message ? row.Message : $"{row.Message} / {row.MessageEn}")
        + (string.IsNullOrEmpty(row.Code) ? "" : $" [{row.Code}]");

    private static Command Exit(CliContext context)
    {
        var id = new Argument<long>("KEPESERTAAN") { Description = CliTexts.Both("Argument.Kepesertaan") };
        var status = new Option<string>("--status") { Description = "ditangguhkan | keluar | terdaftar", DefaultValueFactory = _ => ProgramTerms.Exited };
        var reason = new Option<string?>("--reason") { Description = string.Join(" | ", ProgramTerms.ExitReasons.Select(r => r.Code)) };
        var date = DateOptions.Optional("--date");
        var note = new Option<string?>("--note");
        var user = new Option<string?>("--user");
        var command = new Command("exit", CliTexts.Both("Programs.Command.Exit")) { id, status, reason, date, note, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var outcome = await new ChangeEnrollment(db, context.Clock, context.Regency).RunAsync(new ChangeEnrollment.Input(parse.GetValue(id), parse.GetValue(status)!,
                parse.GetValue(reason), parse.GetValue(date), parse.GetValue(note), CliContext.Operator(parse.GetValue(user))), cancellationToken);
            context.Error.WriteLine(outcome.Enrollment is null ? $"{outcome.Problem} / {outcome.ProblemEn}" : $"Kepesertaan {outcome.Enrollment.Id}: {outcome.Enrollment.Status}");
            return outcome.Enrollment is null ? 2 : 0;
        });
        return command;
    }

    private static Command Overlap(CliContext context)
    {
        var json = new Option<bool>("--json");
        var command = new Command("overlap", CliTexts.Both("Programs.Command.Overlap")) { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            var outcome = await new OverlapMatrix(database).RunAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(outcome, _json));
                return 0;
            }
            var codes = outcome.Programs.Select(p => p.Code).ToList();
            context.Out.WriteLine("| | " + string.Join(" | ", codes) + " |");
            context.Out.WriteLine("|---|" + string.Concat(codes.Select(_ => "---:|")));
            for (var i = 0; i < codes.Count; i++)
            {
                context.Out.WriteLine($"| {codes[i]} | " + string.Join(" | ", outcome.Both[i].Select(v => v.ToString("N0", CliTexts.Indonesian))) + " |");
            }
            context.Error.WriteLine(string.Create(CliTexts.Indonesian,
                $"{outcome.FamiliesReceivingAny:N0} keluarga menerima bantuan, {outcome.FamiliesReceivingTwoOrMore:N0} menerima dua program atau lebih."));
            return 0;
        });
        return command;
    }

    private static Command Errors(CliContext context)
    {
        var run = new Argument<string>("RUN") { Description = CliTexts.Both("Argument.Run") };
        var program = new Option<string?>("--program");
        var region = new Option<string?>("--region") { Description = CliTexts.Both("Programs.Option.Region") };
        var output = new Option<FileInfo?>("--out") { Description = CliTexts.Both("Programs.Option.Out") };
        var json = new Option<bool>("--json");
        var command = new Command("errors", CliTexts.Both("Programs.Command.Errors")) { run, program, region, output, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var database = await context.ReadyDatabaseAsync(cancellationToken);
                await using var db = database.CreateDb();
                var found = await FindRun.ByReferenceAsync(db, parse.GetValue(run)!, cancellationToken);
                var regionText = parse.GetValue(region);
                var prefix = regionText is null ? null : Regions.RegionCode.ToDotted(regionText) ?? regionText;
                var outcome = await new TargetingErrorReport(database).RunAsync(new(found.Id, parse.GetValue(program), prefix), cancellationToken);
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(JsonSerializer.Serialize(new { outcome.RunId, outcome.Regency, outcome.Villages, outcome.Desil1Families, outcome.Desil1ReceivingNothing, Worklist = outcome.Worklist.Count }, _json));
                }
                MarkdownTable.Write(context.Error, "| Program | Penerima | Layak | Penerima tidak layak | Penerima desil 6–10 | Layak tidak menerima | Galat inklusi | Galat eksklusi |", "|---|---:|---:|---:|---:|---:|---:|---:|", outcome.Regency, c =>
                    $"| {c.Program} | {c.Recipients:N0} | {c.Eligible:N0} | {c.RecipientsNotEligible:N0} | {c.RecipientsDesil6To10:N0} | {c.EligibleNotReceiving:N0} | {c.InclusionRate:P1} | {c.ExclusionRate:P1} |");
                context.Error.WriteLine(string.Create(CliTexts.Indonesian,
                    $"Desil 1: {outcome.Desil1Families:N0} keluarga, {outcome.Desil1ReceivingNothing:N0} tidak menerima bantuan apa pun."));
                if (parse.GetValue(output) is { } file)
                {
                    await using var stream = file.Create();
                    var rows = await new ExportErrorWorklist(database).RunAsync(outcome.Worklist, stream,
                        file.Extension.Equals(".xlsx", StringComparison.OrdinalIgnoreCase), fullIdentifiers: false, cancellationToken);
                    await context.AuditAsync(database, null, Audit.AuditActions.Export, "penargetan", found.Id.ToString(CultureInfo.InvariantCulture),
                        $"daftar kerja galat sasaran {file.Name}: {rows} baris", cancellationToken);
                    context.Error.WriteLine(string.Create(CliTexts.Indonesian, $"{rows:N0} baris daftar kerja → {file.FullName}"));
                }
                return 0;
            }
            catch (RefusedException e)
            {
                return Refusals.Print(context, e.Problems);
            }
        });
        return command;
    }

    private static Command Family(CliContext context)
    {
        var noKk = new Argument<string>("NO_KK");
        var year = new Option<int?>("--year");
        var command = new Command("family", CliTexts.Both("Programs.Command.Family")) { noKk, year };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var error = NoKk.TryParse(parse.GetValue(noKk), out var value, out _);
            var family = error is null ? await db.Families.AsNoTracking().SingleOrDefaultAsync(f => f.NoKk == value, cancellationToken) : null;
            if (family is null)
            {
                context.Error.WriteLine(CliTexts.Both("Programs.FamilyNotFound"));
                return 2;
            }
            // The regency's year: on 1 January before 07:00 WIB, UTC is still in last year.
            var y = parse.GetValue(year) ?? context.Regency.Value.Today(context.Clock).Year;
            var outcome = await new FamilyAssistance(db).RunAsync(family.Id, y, cancellationToken);
            foreach (var l in outcome.Lines)
            {
                context.Out.WriteLine(string.Create(CliTexts.Indonesian,
                    $"{l.Program}\t{l.Status}\t{l.PersonName ?? "(keluarga)"}\t{l.StartedOn:yyyy-MM-dd}\tdisalurkan {y}: Rp{l.PaidInYear:N0}\tnilai setahun: {(l.YearlyValue is { } v ? "Rp" + v.ToString("N0", CliTexts.Indonesian) : "—")}{(l.DoubleReceipt ? "\tGANDA" : "")}"));
            }
            context.Error.WriteLine(string.Create(CliTexts.Indonesian, $"Total {y}: disalurkan Rp{outcome.PaidInYear:N0}; nilai setahun Rp{outcome.YearlyValue:N0}."));
            return 0;
        });
        return command;
    }

    private static Command Budget(CliContext context)
    {
        var program = new Argument<string>("PROGRAM");
        var year = new Argument<int>("TAHUN");
        var amount = new Argument<string>("ANGGARAN") { Description = CliTexts.Both("Programs.Argument.Amount") };
        var command = new Command("budget", CliTexts.Both("Programs.Command.Budget")) { program, year, amount };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var (budget, problem, problemEn) = await new SetBudget(db).RunAsync(parse.GetValue(program)!, parse.GetValue(year), parse.GetValue(amount)!, cancellationToken);
            context.Error.WriteLine(budget is null ? $"{problem} / {problemEn}" : string.Create(CliTexts.Indonesian, $"Anggaran {budget.Year}: Rp{budget.Amount:N0}"));
            return budget is null ? 2 : 0;
        });
        return command;
    }

    private static Command Realization(CliContext context)
    {
        var year = new Option<int?>("--year");
        var command = new Command("realization", CliTexts.Both("Programs.Command.Realization")) { year };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var outcome = await new BudgetRealization(db).RunAsync(parse.GetValue(year) ?? context.Regency.Value.Today(context.Clock).Year, cancellationToken);
            MarkdownTable.Write(context.Out, "| Program | Sumber dana | Anggaran | Realisasi | % | Penerima dibayar | Kepesertaan aktif |", "|---|---|---:|---:|---:|---:|---:|", outcome.Programs.Concat(outcome.BySource), l =>
                $"| {l.Program} | {l.FundingSource} | {(l.Budget is { } b ? b.ToString("N0", CliTexts.Indonesian) : "—")} | {l.Disbursed:N0} | {(l.Rate is { } r ? r.ToString("P1", CliTexts.Indonesian) : "—")} | {l.RecipientsPaid:N0} | {l.OpenEnrollments:N0} |");
            return 0;
        });
        return command;
    }
}

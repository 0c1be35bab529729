using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.Verivali;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas verivali open|progress|close|export</c> (docs/verivali.md): the regency's (Dinas Sosial's) steps of the
/// verification cycle, for a scheduled script or an operator at the server — the same use cases as the back office's
/// /Verivali pages and <c>/api/verivali</c>. Visits, reviews and the musdes stay in the back office, the API and ODK,
/// where the village's users are. The CLI acts with regency rights; each change and each export is audited.
/// </summary>
public static class VerivaliCommands
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var verivali = new Command("verivali", CliTexts.Both("Verivali.Command.Verivali"))
        {
            Open(context),
            Progress(context),
            Close(context),
            Export(context),
        };
        return verivali;
    }

    private static Option<string?> UserOption() => new("--user") { Description = CliTexts.Both("Option.User") };

    private static Command Open(CliContext context)
    {
        var name = new Argument<string>("NAMA") { Description = CliTexts.Both("Argument.Nama") };
        var user = UserOption();
        var later = new Option<bool>("--duplicates-later")
        {
            Description = CliTexts.Both("Option.DuplicatesLater"),
        };
        var command = new Command("open", CliTexts.Both("Verivali.Command.Open")) { name, user, later };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var actor = CliContext.Operator(parse.GetValue(user));
            var outcome = await new OpenPeriod(db, context.Clock, database, context.Regency).RunAsync(new OpenPeriod.Input(parse.GetValue(name) ?? "", actor), cancellationToken);
            if (outcome.Problem is { } code)
            {
                return Refusals.Print(context, [VerivaliProblems.Of(code)]);
            }
            var period = outcome.Period!;
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Change, "verivali", period.Id.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"buka periode verivali #{period.Id}: {outcome.Lines} baris"), cancellationToken);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{period.Id}\t{period.Name}\t{outcome.Lines}"));
            context.Error.WriteLine(CliTexts.Both("Verivali.PeriodOpened", period.Id, outcome.Lines));
            if (parse.GetValue(later))
            {
                return 0;
            }
            // The suspected duplicates, as the web host's worker would add them (minutes on a large regency).
            context.Error.WriteLine(CliTexts.Both("Verivali.SearchingDuplicates"));
            var duplicates = await new SearchDuplicatesAtOpening(database, context.Clock).RunAsync(period.Id, cancellationToken);
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Change, "verivali", period.Id.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"dugaan ganda ke daftar kerja periode #{period.Id}: {duplicates.Families} keluarga"), cancellationToken);
            context.Error.WriteLine(CliTexts.Both("Verivali.DuplicatesFound", duplicates.Families, duplicates.Status));
            return 0;
        });
        return command;
    }

    private static Command Progress(CliContext context)
    {
        var periodOption = new Option<long?>("--period") { Description = CliTexts.Both("Option.Period") };
        var json = new Option<bool>("--json") { Description = CliTexts.Both("Verivali.Option.Json") };
        var command = new Command("progress", CliTexts.Both("Verivali.Command.Progress")) { periodOption, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            if (await FindPeriodAsync(context, db, parse.GetValue(periodOption), cancellationToken) is not { } period)
            {
                return 2;
            }
            var rows = await new VillageProgress(db, context.Clock, context.Regency).RunAsync(period.Id, AccessScope.Regency, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    period = new { period.Id, period.Name, open = period.IsOpen },
                    villages = rows.Select(r => new
                    {
                        kodeDesa = r.KodeDesa,
                        desa = r.VillageName,
                        lines = r.Lines,
                        visited = r.Visited,
                        decided = r.Decided,
                        applied = r.Applied,
                        daysSinceMusdes = r.DaysSinceMusdes,
                    }),
                }, _json));
                return 0;
            }
            context.Out.WriteLine("KODE_DESA\tDESA\tBARIS\tDIKUNJUNGI\tDIPUTUSKAN\tDITERAPKAN\tHARI_SEJAK_MUSDES");
            foreach (var r in rows)
            {
                context.Out.WriteLine(string.Create(CliTexts.Indonesian,
                    $"{r.KodeDesa}\t{r.VillageName}\t{r.Lines}\t{r.VisitedShare:P0}\t{r.DecidedShare:P0}\t{r.AppliedShare:P0}\t{(r.DaysSinceMusdes is { } days ? days : "-")}"));
            }
            return 0;
        });
        return command;
    }

    private static Command Close(CliContext context)
    {
        var id = new Argument<long>("PERIODE") { Description = CliTexts.Both("Argument.Periode") };
        var user = UserOption();
        var command = new Command("close", CliTexts.Both("Verivali.Command.Close")) { id, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var periodId = parse.GetValue(id);
            if (await new ClosePeriod(db, context.Clock).RunAsync(periodId, CliContext.Operator(parse.GetValue(user)), cancellationToken) is { } problem)
            {
                return Refusals.Print(context, [problem]);
            }
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Change, "verivali", periodId.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"tutup periode verivali #{periodId}"), cancellationToken);
            context.Error.WriteLine(CliTexts.Both("Verivali.PeriodClosed", periodId));
            return 0;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var id = new Argument<long>("PERIODE") { Description = CliTexts.Both("Argument.Periode") };
        var output = new Option<FileInfo>("--out") { Description = CliTexts.Both("Verivali.Option.Out"), Required = true };
        var user = UserOption();
        var command = new Command("export", CliTexts.Both("Verivali.Command.Export")) { id, output, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var periodId = parse.GetValue(id);
            if (!await db.VerivaliPeriods.AnyAsync(p => p.Id == periodId, cancellationToken))
            {
                return Refusals.Print(context, [VerivaliProblems.Of("LINE_NOT_FOUND")]);
            }
            var file = parse.GetValue(output)!;
            var xlsx = string.Equals(file.Extension, ".xlsx", StringComparison.OrdinalIgnoreCase);
            int rows;
            // The ministry's upload needs whole NIKs: the file is written with them, and the export is audited (UU PDP 27/2022).
            await using (var stream = file.Create())
            {
                rows = await new ExportProposal(db).WriteAsync(periodId, AccessScope.Regency, fullIdentifiers: true, xlsx, stream, cancellationToken);
            }
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Export, "verivali", periodId.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"usulan verivali #{periodId}: {rows} baris, NIK lengkap, {file.Name}"), cancellationToken);
            context.Error.WriteLine(CliTexts.Both("Verivali.ProposalWritten", rows, file.FullName));
            return 0;
        });
        return command;
    }

    /// <summary>The period named, or the latest one; null after saying there is none.</summary>
    private static async Task<VerivaliPeriod?> FindPeriodAsync(CliContext context, TuntasDb db, long? id, CancellationToken cancellationToken)
    {
        var period = await db.VerivaliPeriods.AsNoTracking().Where(p => id == null || p.Id == id).OrderByDescending(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        if (period is null)
        {
            context.Error.WriteLine(CliTexts.Both("Verivali.NoPeriod"));
        }
        return period;
    }
}

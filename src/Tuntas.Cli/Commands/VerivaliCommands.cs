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
        var verivali = new Command("verivali", "Siklus verifikasi dan validasi / the verification cycle")
        {
            Open(context),
            Progress(context),
            Close(context),
            Export(context),
        };
        return verivali;
    }

    private static Option<string?> UserOption() => new("--user") { Description = "Nama petugas / operator" };

    private static Command Open(CliContext context)
    {
        var name = new Argument<string>("NAMA") { Description = "Nama periode, mis. \"Semester I 2027\" / period name" };
        var user = UserOption();
        var later = new Option<bool>("--duplicates-later")
        {
            Description = "Dugaan ganda dicari nanti oleh server web / leave the suspected-duplicates search to the web host's worker",
        };
        var command = new Command("open", "Buka periode dan susun daftar kerja semua desa / open a period and build every village's worklist") { name, user, later };
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
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Periode #{period.Id} dibuka, {outcome.Lines:N0} baris daftar kerja / period #{period.Id} opened, {outcome.Lines:N0} worklist lines"));
            if (parse.GetValue(later))
            {
                return 0;
            }
            // The suspected duplicates, as the web host's worker would add them (minutes on a large regency).
            context.Error.WriteLine("Mencari dugaan ganda … / searching suspected duplicates …");
            var duplicates = await new SearchDuplicatesAtOpening(database, context.Clock).RunAsync(period.Id, cancellationToken);
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Change, "verivali", period.Id.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"dugaan ganda ke daftar kerja periode #{period.Id}: {duplicates.Families} keluarga"), cancellationToken);
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Dugaan ganda: {duplicates.Families:N0} keluarga di daftar kerja ({duplicates.Status}) / suspected duplicates: {duplicates.Families:N0} families on the worklists"));
            return 0;
        });
        return command;
    }

    private static Command Progress(CliContext context)
    {
        var periodOption = new Option<long?>("--period") { Description = "Nomor periode; bawaan: yang terbaru / period id; default: the latest" };
        var json = new Option<bool>("--json") { Description = "JSON per desa / JSON per village" };
        var command = new Command("progress", "Kemajuan per desa: dikunjungi, diputuskan, diterapkan / progress per village") { periodOption, json };
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
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.KodeDesa}\t{r.VillageName}\t{r.Lines}\t{r.VisitedShare:P0}\t{r.DecidedShare:P0}\t{r.AppliedShare:P0}\t{(r.DaysSinceMusdes is { } days ? days : "-")}"));
            }
            return 0;
        });
        return command;
    }

    private static Command Close(CliContext context)
    {
        var id = new Argument<long>("PERIODE") { Description = "Nomor periode / period id" };
        var user = UserOption();
        var command = new Command("close", "Tutup periode (kabupaten) / close the period (regency)") { id, user };
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
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Periode #{periodId} ditutup / period #{periodId} closed"));
            return 0;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var id = new Argument<long>("PERIODE") { Description = "Nomor periode / period id" };
        var output = new Option<FileInfo>("--out") { Description = "Berkas usulan (.csv atau .xlsx) / proposal file (.csv or .xlsx)", Required = true };
        var user = UserOption();
        var command = new Command("export", "Ekspor usulan kabupaten (tambah, hapus, ubah) untuk diunggah ke sistem nasional / export the regency's proposal") { id, output, user };
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
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} baris ditulis ke / rows written to {file.FullName}"));
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
            context.Error.WriteLine("Belum ada periode verivali / no verification period yet");
        }
        return period;
    }
}

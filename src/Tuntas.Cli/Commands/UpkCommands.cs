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
        var upk = new Command("upk", "P2KP: buku pinjaman dan kinerja UPK / UPK loan books and performance");
        upk.Subcommands.Add(Import(context));
        upk.Subcommands.Add(Kinerja(context));
        upk.Subcommands.Add(Kelulusan(context));
        UpkPlanningCommands.AddTo(upk, context);
        return upk;
    }

    private static Command Import(CliContext context)
    {
        var book = new Argument<string>("BOOK") { Description = "Buku pinjaman: .xlsx, .zip berisi CSV, atau folder CSV / loan book" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Periksa saja, tidak menulis / check only, write nothing" };
        var json = new Option<bool>("--json") { Description = "Laporan JSON ke stdout / JSON report on standard output" };
        var user = new Option<string?>("--user");
        var command = new Command("import", "Impor buku pinjaman UPK / import a UPK loan book") { book, dryRun, json, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(book)!);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                context.Error.WriteLine($"Berkas tidak ditemukan / file not found: {path}");
                return 1;
            }
            LoanBookReport report;
            try
            {
                var database = await context.ReadyDatabaseAsync(cancellationToken);
                report = await new ImportLoanBook(database, context.Clock).RunAsync(
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
            context.Error.WriteLine(string.Join(", ", report.Counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:N0}"))));
            foreach (var issue in report.Errors.Take(50))
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  galat {issue.Sheet} baris {issue.Row} {issue.Column} [{issue.Code}] {issue.Value}: {issue.Message}"));
            }
            if (report.Errors.Count > 50)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … dan {report.Errors.Count - 50:N0} galat lain / more errors"));
            }
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Warnings.Count:N0} peringatan / warnings."));
            context.Error.WriteLine(report.Failure is not null ? report.Failure
                : report.Committed ? "Ditulis / written."
                : report.Errors.Count > 0 ? "Ada galat: tidak ada yang ditulis / errors: nothing written."
                : "Uji coba bersih: tidak ada yang ditulis / clean dry run: nothing written.");
            return report.ExitCode;
        });
        return command;
    }

    private static Command Kinerja(CliContext context)
    {
        var upk = new Option<string?>("--upk") { Description = "KODE_UPK; tanpa ini semua UPK / without it every UPK" };
        var per = new Option<string>("--per") { Description = "Tanggal YYYY-MM-DD / as of date", Required = true };
        var json = new Option<bool>("--json");
        var command = new Command("kinerja", "RR, PAR, LAR, CCR, ROI dan kolektibilitas per UPK / UPK performance") { upk, per, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(per), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf))
            {
                context.Error.WriteLine("--per harus YYYY-MM-DD / must be YYYY-MM-DD");
                return 1;
            }
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            // The CLI runs on the server with regency-wide rights, as the other commands do.
            var outcome = await new UpkPerformance(db).RunAsync(new UpkPerformance.Input(asOf, parse.GetValue(upk), AccessScope.Regency), cancellationToken);
            if (parse.GetValue(upk) is { } kode && outcome.Upk.Count == 0)
            {
                context.Error.WriteLine($"UPK {kode} tidak ada / not found");
                return 1;
            }
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(outcome, LoanBookReport.JsonOptions));
                return 0;
            }
            context.Out.WriteLine("| UPK | RR | PAR | LAR | CCR | ROI | Outstanding | Pinjaman aktif | KSM aktif |");
            context.Out.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in outcome.Upk.Append(outcome.Total))
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {row.Kode ?? "Total"} | {P(row.Rr, row.Nilai.Rr)} | {P(row.Par, row.Nilai.Par)} | {P(row.Lar, row.Nilai.Lar)} | {P(row.Ccr, row.Nilai.Ccr)} | {P(row.Roi, row.Nilai.Roi)} | {row.Outstanding:N0} | {row.PinjamanAktif:N0} | {row.KsmAktif:N0} |"));
            }
            return 0;
        });
        return command;
    }

    private static Command Kelulusan(CliContext context)
    {
        var upk = new Option<string?>("--upk") { Description = "KODE_UPK (juga per KSM); tanpa ini semua UPK / with it also per KSM; without it every UPK" };
        var json = new Option<bool>("--json");
        var command = new Command("kelulusan", "Desil keluarga anggota KSM saat bergabung dan sekarang / members' families' desil at joining and now") { upk, json };
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
                ? string.Create(CultureInfo.InvariantCulture, $"Putaran terbaru / latest run #{run} ({outcome.LatestRunAsOf:yyyy-MM-dd})")
                : "Belum ada putaran penargetan / no targeting run yet");
            context.Out.WriteLine("| UPK/KSM | Keluarga | Desil 1–4 saat bergabung | Desil 1–4 sekarang | Keluar desil 1–4 | % | Masuk desil 1–4 |");
            context.Out.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var row in outcome.Upk.Append(outcome.Total).Concat(outcome.Ksm))
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {row.Kode} | {row.Families:N0} | {row.PoorAtJoin:N0} | {row.PoorNow:N0} | {row.Left:N0} | {row.LeftPercent?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—"} | {row.Entered:N0} |"));
            }
            return 0;
        });
        return command;
    }

    private static string P(double? value, string? grade) =>
        value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.00} {grade}") : "—";
}

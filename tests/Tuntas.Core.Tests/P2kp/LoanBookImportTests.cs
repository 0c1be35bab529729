using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.P2kp.LoanBook;
using Tuntas.P2kp.Performance;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.P2kp;

public sealed class LoanBookImportTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));

    private static Task<LoanBookReport> ImportAsync(TestDatabase test, string path, bool dryRun = false) =>
        new ImportLoanBook(test.Database, _clock).RunAsync(new ImportLoanBook.Input(path, Path.GetFileName(path), dryRun), CancellationToken.None);

    private static async Task<UpkPerformance.Outcome> PerformanceAsync(TestDatabase test, string date, string? upk = null)
    {
        await using var db = test.Database.CreateDb();
        return await new UpkPerformance(db).RunAsync(new UpkPerformance.Input(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), upk, AccessScope.Regency), CancellationToken.None);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_worked_example_imported_gives_the_spec_indicators_on_both_dates(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var report = await ImportAsync(test, new LoanBookFiles().WriteFolder());
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => $"{e.Sheet} {e.Row} {e.Column} {e.Code}")));
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(4, report.Counts["PEMBAYARAN"]);
        Assert.Equal(7, report.Counts.Count);

        var july = await PerformanceAsync(test, "2026-07-31");
        var json = JsonSerializer.Serialize(july, LoanBookReport.JsonOptions);
        var upk = Assert.Single(july.Upk);
        Assert.Equal("UPK-3314-01", upk.Kode);
        Assert.Equal(75.0, upk.Rr);
        Assert.Equal(0.0, upk.Par);
        Assert.Equal(0.0, upk.Lar);
        Assert.Equal(125.0, upk.Ccr);
        Assert.Equal(4.8, upk.Roi);
        Assert.Equal(750_000, upk.Outstanding);
        Assert.Equal(1, upk.PinjamanAktif);
        Assert.Equal(1, upk.KsmAktif);
        Assert.Equal(1, upk.Kolektibilitas["2"]);
        Assert.Equal(new Grades("kurang", "memuaskan", "memuaskan", "memuaskan", "cukup"), upk.Nilai);
        Assert.Contains("\"pinjamanAktif\": 1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"kode\": null", json, StringComparison.Ordinal);
        Assert.Equal(75.0, july.Total.Rr);

        var august = (await PerformanceAsync(test, "2026-08-31")).Upk.Single();
        Assert.Equal(64.29, august.Rr);
        Assert.Equal(100.0, august.Par);
        Assert.Equal(100.0, august.Lar);
        Assert.Equal(4.2, august.Roi);
        Assert.Equal(1, august.Kolektibilitas["3"]);

        await using var db = test.Database.CreateDb();
        Assert.Equal(12, await db.UpkInstallments.CountAsync());
        Assert.Equal(5, await db.KsmMembers.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_book_twice_changes_nothing_and_other_upks_stay(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var other = new LoanBookFiles();
        other.Replace("UPK", 1, "UPK-3314-02,UPK Lain,33.14.01.2002,");
        other.Sheets["KSM"][1] = other.Sheets["KSM"][1].Replace("UPK-3314-01", "UPK-3314-02", StringComparison.Ordinal);
        other.Sheets["OPERASIONAL"] = ["KODE_UPK,BULAN,PENDAPATAN,BIAYA"];
        other.Sheets["MODAL"] = ["KODE_UPK,SUMBER,TANGGAL,JUMLAH"];
        var path = new LoanBookFiles().WriteFolder();
        // Twice alone (the book replaces every stored UPK), then beside another UPK (only its own UPK is replaced).
        Assert.True((await ImportAsync(test, path)).Committed);
        Assert.True((await ImportAsync(test, path)).Committed);
        var alone = JsonSerializer.Serialize(await PerformanceAsync(test, "2026-08-31", "UPK-3314-01"));
        Assert.True((await ImportAsync(test, other.WriteFolder())).Committed);
        Assert.Equal(alone, JsonSerializer.Serialize(await PerformanceAsync(test, "2026-08-31", "UPK-3314-01")));
        var first = JsonSerializer.Serialize(await PerformanceAsync(test, "2026-08-31"));
        Assert.True((await ImportAsync(test, path)).Committed);
        var second = JsonSerializer.Serialize(await PerformanceAsync(test, "2026-08-31"));
        Assert.Equal(first, second);
        await using var db = test.Database.CreateDb();
        Assert.Equal(2, await db.Upks.CountAsync());
        Assert.Equal(2, await db.UpkLoans.CountAsync());
        Assert.Equal(8, await db.UpkRepayments.CountAsync());
        Assert.Equal(24, await db.UpkInstallments.CountAsync());
    }

    /// <summary>Names are case-insensitive (§1): a folder of UPK.CSV is a book, as a ZIP of the same files was. A ZIP made
    /// by macOS Finder carries __MACOSX/ with a "._" twin of each file, a second top folder that hid the book's own.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_folder_of_upper_case_csv_names_and_a_finder_zip_are_read_as_books(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var folder = new LoanBookFiles().WriteFolder();
        foreach (var file in Directory.GetFiles(folder))
        {
            File.Move(file, Path.Combine(folder, Path.GetFileNameWithoutExtension(file).ToUpperInvariant() + ".CSV"));
        }
        var zip = Path.Combine(Path.GetTempPath(), "tuntas-upk-" + Guid.NewGuid().ToString("N") + ".zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var file in Directory.GetFiles(folder))
            {
                System.IO.Compression.ZipFileExtensions.CreateEntryFromFile(archive, file, "buku/" + Path.GetFileName(file));
                var twin = archive.CreateEntry("__MACOSX/buku/._" + Path.GetFileName(file));
                using var stream = twin.Open();
                stream.Write([0, 5, 22, 7, 0, 2, 0, 0]);
            }
        }

        var fromFolder = await ImportAsync(test, folder, dryRun: true);
        var fromZip = await ImportAsync(test, zip, dryRun: true);

        Assert.True((fromFolder.Errors.Count, fromFolder.Failure) == (0, null), string.Join("; ", fromFolder.Errors.Select(e => e.Code)));
        Assert.True((fromZip.Errors.Count, fromZip.Failure) == (0, null), string.Join("; ", fromZip.Errors.Select(e => e.Code)));
    }

    /// <summary>
    /// A book replaces everything under its UPK codes. A village operator's book that named a neighbour's UPK code under
    /// the operator's own desa had emptied the neighbour's UPK and moved it; one with a KSM of another desa put loans
    /// where that desa's operator could record repayments on them. Both are refused whole, naming the row.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operators_book_may_not_name_another_villages_stored_upk_or_a_ksm_of_another_village(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var neighbour = new LoanBookFiles();
        neighbour.Replace("UPK", 1, "UPK-3314-02,UPK Trobayan,33.14.01.2002,");
        neighbour.Sheets["KSM"][1] = neighbour.Sheets["KSM"][1].Replace("UPK-3314-01", "UPK-3314-02", StringComparison.Ordinal).Replace("3314012001", "3314012002", StringComparison.Ordinal);
        neighbour.Sheets["OPERASIONAL"] = ["KODE_UPK,BULAN,PENDAPATAN,BIAYA"];
        neighbour.Sheets["MODAL"] = ["KODE_UPK,SUMBER,TANGGAL,JUMLAH"];
        Assert.True((await ImportAsync(test, neighbour.WriteFolder())).Committed);
        var keden = Access.AccessScope.Within("33.14.01.2001");
        Task<LoanBookReport> AsOperator(LoanBookFiles book) =>
            new ImportLoanBook(test.Database, _clock).RunAsync(new ImportLoanBook.Input(book.WriteFolder(), "buku.zip", false, keden), CancellationToken.None);

        var takeover = new LoanBookFiles();
        takeover.Replace("UPK", 1, "upk-3314-02,UPK Keden,33.14.01.2001,");
        takeover.Sheets["KSM"][1] = takeover.Sheets["KSM"][1].Replace("UPK-3314-01", "upk-3314-02", StringComparison.Ordinal);
        takeover.Sheets["OPERASIONAL"] = ["KODE_UPK,BULAN,PENDAPATAN,BIAYA"];
        takeover.Sheets["MODAL"] = ["KODE_UPK,SUMBER,TANGGAL,JUMLAH"];
        var refusedTakeover = await AsOperator(takeover);
        var otherKsm = new LoanBookFiles();
        otherKsm.Sheets["KSM"][1] = otherKsm.Sheets["KSM"][1].Replace("3314012001", "3314012003", StringComparison.Ordinal);
        var refusedKsm = await AsOperator(otherKsm);
        var own = await AsOperator(new LoanBookFiles());

        Assert.False(refusedTakeover.Committed);
        var takeoverError = Assert.Single(refusedTakeover.Errors);
        Assert.Equal(("UPK", 2L, "KODE_UPK", "UPK_OUTSIDE_SCOPE"), (takeoverError.Sheet, takeoverError.Row, takeoverError.Column, takeoverError.Code));
        Assert.False(refusedKsm.Committed);
        var ksmError = Assert.Single(refusedKsm.Errors);
        Assert.Equal(("KSM", 2L, "KODE_DESA", "OUTSIDE_SCOPE"), (ksmError.Sheet, ksmError.Row, ksmError.Column, ksmError.Code));
        Assert.True(own.Committed, string.Join("; ", own.Errors.Select(e => e.Code)));
        await using var db = test.Database.CreateDb();
        var trobayan = await db.Upks.AsNoTracking().SingleAsync(u => u.Kode == "UPK-3314-02");
        Assert.Equal("33.14.01.2002", trobayan.KodeDesa);
        Assert.Equal(1, await db.UpkLoans.CountAsync(l => db.Ksms.Any(k => k.Id == l.KsmId && k.UpkId == trobayan.Id)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_bad_cell_is_reported_by_sheet_row_column_and_code_and_nothing_is_written(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var book = new LoanBookFiles()
            .Add("PINJAMAN", "P-002,KSM-9,2026-02-30,1.000.000,12.345,BULANAN,40,2026-01-01")
            .Add("PINJAMAN", "P-003,KSM-1,2026-03-01,500000,1,MENURUN,5,2026-03-01")
            .Add("PINJAMAN", "p-001,KSM-1,2026-03-01,500000,1,FLAT,5,2026-04-01")
            .Add("PINJAMAN", "P-004,KSM-1,2026-03-01,500000,-1,FLAT,5,2026-04-01")
            .Add("PINJAMAN", "P-005,KSM-1,2026-03-01,500000,1.5%,FLAT,5,2026-04-01")
            .Add("PEMBAYARAN", "P-001,2026-01-10,0,0")
            .Add("PEMBAYARAN", "P-001,2026-07-01,800000,0")
            .Add("PEMBAYARAN", "P-404,2026-07-01,1,0")
            .Add("ANGGOTA", "KSM-1,3314011503870099,Salah,ANGGOTA")
            .Add("ANGGOTA", "KSM-1,33140115038700,Pendek,ANGGOTA")
            .Add("OPERASIONAL", "UPK-3314-01,2026-07,1,1")
            .Add("MODAL", "UPK-X,CSR,2026-13-01,0")
            .Add("KSM", "KSM-2,UPK-3314-01,KSM Melati,33.14.01.9999,SOSIAL,,");
        var report = await ImportAsync(test, book.WriteFolder());

        Assert.False(report.Committed);
        Assert.Equal(2, report.ExitCode);
        void Has(string sheet, long row, string column, string code) =>
            Assert.Contains(report.Errors, e => e.Sheet == sheet && e.Row == row && e.Column == column && e.Code == code);
        Has("PINJAMAN", 3, "KODE_KSM", "UNKNOWN_KSM");
        Has("PINJAMAN", 3, "TANGGAL_CAIR", "DATE_FORMAT");
        Has("PINJAMAN", 3, "POKOK", "NOT_A_NUMBER");
        Has("PINJAMAN", 3, "JASA_PERSEN_BULAN", "OUT_OF_RANGE");
        Has("PINJAMAN", 3, "METODE", "INVALID_CODE");
        Has("PINJAMAN", 3, "JANGKA_BULAN", "OUT_OF_RANGE");
        Has("PINJAMAN", 4, "TANGGAL_ANGSURAN_PERTAMA", "DATE_ORDER");
        Has("PINJAMAN", 5, "NO_PINJAMAN", "DUPLICATE_KEY");
        // A negative rate is out of 0-10; "1.5%" is not a number, and the message says how a rate is written.
        Has("PINJAMAN", 6, "JASA_PERSEN_BULAN", "OUT_OF_RANGE");
        Has("PINJAMAN", 7, "JASA_PERSEN_BULAN", "NOT_A_NUMBER");
        Assert.Contains("titik desimal", report.Errors.Single(e => e.Sheet == "PINJAMAN" && e.Row == 7 && e.Column == "JASA_PERSEN_BULAN").Message, StringComparison.Ordinal);
        Has("PEMBAYARAN", 6, "TANGGAL_BAYAR", "PAYMENT_BEFORE_DISBURSEMENT");
        Has("PEMBAYARAN", 7, "POKOK", "OVERPAID");
        Has("PEMBAYARAN", 8, "NO_PINJAMAN", "UNKNOWN_LOAN");
        Has("ANGGOTA", 8, "NIK", "NIK_FORMAT");
        Has("OPERASIONAL", 9, "BULAN", "DUPLICATE_KEY");
        Has("MODAL", 3, "KODE_UPK", "UNKNOWN_UPK");
        Has("MODAL", 3, "TANGGAL", "DATE_FORMAT");
        Has("MODAL", 3, "JUMLAH", "OUT_OF_RANGE");
        Has("KSM", 3, "KODE_DESA", "UNKNOWN_DESA");
        // The date with its own error is not also compared with the disbursement.
        Assert.DoesNotContain(report.Errors, e => e.Sheet == "PINJAMAN" && e.Row == 3 && e.Code == "DATE_ORDER");
        Assert.All(report.Errors, e => Assert.False(string.IsNullOrEmpty(e.MessageEn)));
        Assert.Contains(report.Warnings, w => w.Code == "NIK_NOT_IN_REGISTRY");
        await using var db = test.Database.CreateDb();
        Assert.Equal(0, await db.Upks.CountAsync());
        Assert.Equal(0, await db.UpkLoans.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_book_without_its_required_sheets_and_columns_says_which(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var book = new LoanBookFiles();
        book.Sheets.Remove("PINJAMAN");
        book.Sheets.Remove("PEMBAYARAN");
        book.Sheets["KSM"][0] = "KODE_KSM,KODE_UPK,NAMA_KSM,JENIS,WARNA";
        var report = await ImportAsync(test, book.WriteFolder(), dryRun: true);
        Assert.Contains(report.Errors, e => e.Sheet == "PINJAMAN" && e.Row is null && e.Code == "SHEET_MISSING");
        Assert.Contains(report.Errors, e => e.Sheet == "KSM" && e.Row == 1 && e.Column == "KODE_DESA" && e.Code == "COLUMN_MISSING");
        Assert.Contains(report.Warnings, w => w.Sheet == "KSM" && w.Column == "WARNA" && w.Code == "UNKNOWN_COLUMN");
        Assert.Equal(0, report.Counts["PEMBAYARAN"]);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_dry_run_of_a_clean_book_writes_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var book = new LoanBookFiles();
        // Four members, and the chair named on the KSM row is listed as a plain member: warnings only.
        book.Sheets["ANGGOTA"].RemoveAt(5);
        book.Sheets["ANGGOTA"][1] = book.Sheets["ANGGOTA"][1].Replace("KETUA", "ANGGOTA", StringComparison.Ordinal);
        var report = await ImportAsync(test, book.WriteFolder(), dryRun: true);
        Assert.Empty(report.Errors);
        Assert.Contains(report.Warnings, w => w.Sheet == "KSM" && w.Row == 2 && w.Code == "KSM_SIZE");
        Assert.Contains(report.Warnings, w => w.Sheet == "KSM" && w.Row == 2 && w.Column == "NIK_KETUA" && w.Code == "KETUA_NOT_MEMBER");
        Assert.False(report.Committed);
        Assert.Equal(0, report.ExitCode);
        await using var db = test.Database.CreateDb();
        Assert.Equal(0, await db.Upks.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Indicators_on_a_generated_book_match_the_plain_sql_reference(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var asOf = new DateOnly(2026, 9, 30);
        var folder = Path.Combine(Path.GetTempPath(), "tuntas-upk-gen-" + Guid.NewGuid().ToString("N"));
        var counts = GenerateLoanBook.WriteCsvFolder(folder, new GenerateLoanBook.Options(4, 120, ["33.14.01.2001", "33.14.02.2001"], asOf, Seed: 7));
        var report = await ImportAsync(test, folder);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Take(5).Select(e => $"{e.Sheet} {e.Row} {e.Column} {e.Code} {e.Value}")));
        Assert.Equal(counts.Loans, report.Counts["PINJAMAN"]);

        foreach (var date in new[] { asOf, asOf.AddMonths(-5), asOf.AddMonths(-17) })
        {
            var ours = await PerformanceAsync(test, date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            var reference = await new UpkPerformanceSql(test.Database).RunAsync(date, CancellationToken.None);
            Assert.Equal(4, ours.Upk.Count);
            await using var db = test.Database.CreateDb();
            var ids = await db.Upks.ToDictionaryAsync(u => u.Kode, u => u.Id);
            foreach (var upk in ours.Upk)
            {
                var row = reference.Single(r => r.UpkId == ids[upk.Kode!]);
                var sums = upk.Detail!;
                Assert.Equal(row.Due, sums.Due);
                Assert.Equal(row.PaidUpToDue, sums.PaidUpToDue);
                Assert.Equal(row.Outstanding, upk.Outstanding);
                Assert.Equal(row.OutstandingAtRisk, sums.OutstandingAtRisk);
                Assert.Equal(row.ActiveLoans, upk.PinjamanAktif);
                Assert.Equal(row.ActiveKsm, upk.KsmAktif);
                Assert.Equal(row.KsmAtRisk, sums.KsmAtRisk.Count);
                Assert.Equal(row.Kolektibilitas, upk.Kolektibilitas.Values.Select(v => (long)v));
            }
        }
        // The generated book is realistic enough to exercise every grade band somewhere.
        var latest = await PerformanceAsync(test, "2026-09-30");
        Assert.True(latest.Total.Kolektibilitas.Values.Count(v => v > 0) >= 3);
    }
}

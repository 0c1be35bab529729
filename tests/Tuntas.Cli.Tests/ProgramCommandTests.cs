using System.Text;
using Microsoft.EntityFrameworkCore;
using Tuntas.Programs;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class ProgramCommandTests
{
    /// <summary>Without --json the operator still reads what to correct in the list: the names that differ and the NIKs
    /// not found, masked, with the "Maksud Anda …?" candidate.</summary>
    [Fact]
    public async Task Import_recipients_lists_the_rows_to_correct_on_the_terminal_masked()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1, children: 1).Family(2, children: 1);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv())).ExitCode);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var heads = file.Rows.Where(r => r["HUBUNGAN_KK"] == "1").ToList();
        var typo = heads[1]["NIK"][..15] + (heads[1]["NIK"][15] == '9' ? '8' : (char)(heads[1]["NIK"][15] + 1));
        var list = Path.Combine(Path.GetTempPath(), $"bnba-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(list, $"NIK,NAMA\n{heads[0]["NIK"]},Paijo Wiryo\n{typo},{heads[1]["NAMA"]}\n", new UTF8Encoding(false));

        var result = await CliRunner.RunAsync(test.Database, "programs", "import-recipients", "PKH", list, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        // The summary in both languages, each half with its counts.
        Assert.Contains("2 baris — cocok 0, nama berbeda 1, NIK dan nomor KK tidak sejalan 0,", result.Error, StringComparison.Ordinal);
        Assert.Contains("2 rows — matched 0, name differs 1, NIK and KK number disagree 0,", result.Error, StringComparison.Ordinal);
        Assert.Contains("baris 2 [nameMismatch]", result.Error, StringComparison.Ordinal);
        Assert.Contains("baris 3 [notFound]", result.Error, StringComparison.Ordinal);
        Assert.Contains("Maksud Anda", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(heads[0]["NIK"], result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(typo, result.Error, StringComparison.Ordinal);
        // Nothing was written, but the registered names were read: recorded once, as the program page's dry run is.
        await using var db = test.Database.CreateDb();
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Action == Tuntas.Audit.AuditActions.ViewPersonalData && e.SubjectType == "program" && e.SubjectId == "PKH"));
    }

    /// <summary>A SIKS-NG phase list without a month: refused with the hint, then paid in the month given by <c>--periode</c>,
    /// which the terminal says; a month that is not YYYY-MM is a failure (exit 1).</summary>
    [Fact]
    public async Task Import_recipients_pays_a_phase_list_in_the_month_given_by_periode()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1, children: 1);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv())).ExitCode);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var head = file.Rows.Single(r => r["HUBUNGAN_KK"] == "1");
        var list = Path.Combine(Path.GetTempPath(), $"tahap-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(list, $"NIK_KTP,NAMA_PENERIMA,TAHAP,NOMINAL\n{head["NIK"]},{head["NAMA"]},2,750000\n", new UTF8Encoding(false));

        var without = await CliRunner.RunAsync(test.Database, "programs", "import-recipients", "PKH", list);
        var wrong = await CliRunner.RunAsync(test.Database, "programs", "import-recipients", "PKH", list, "--periode", "05/2026");
        var given = await CliRunner.RunAsync(test.Database, "programs", "import-recipients", "PKH", list, "--periode", "2026-05");

        Assert.Equal(2, without.ExitCode);
        Assert.Contains("saat mengunggah", without.Error, StringComparison.Ordinal);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal(0, given.ExitCode);
        Assert.Contains("Periode 2026-05 dipakai untuk 1 baris tanpa PERIODE.", given.Error, StringComparison.Ordinal);
        await using var db = test.Database.CreateDb();
        var paid = await db.Disbursements.SingleAsync();
        Assert.Equal(("2026-05", (int?)2), (paid.Period, paid.Tahap));
    }

    /// <summary>
    /// <c>--user</c> acts within the account, as the program page does: a kecamatan's coordinator enrolls the recipients
    /// of its kecamatan only and reads no registered name of another, and an agency officer may not import into another
    /// agency's program. Before, --user was only the name in the history.
    /// </summary>
    [Fact]
    public async Task Import_recipients_with_user_enrolls_only_within_the_account_and_its_agency()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1, children: 1).Family(2, children: 1, village: "33.14.02.2001");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv())).ExitCode);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "camat.kalijambe", "--role", "koordinator-tkpkd", "--region", "33.14.01")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "dinas.lain", "--role", "petugas-opd", "--organization", "Dinas Lain")).ExitCode);
        var heads = file.Rows.Where(r => r["HUBUNGAN_KK"] == "1").ToList();
        var list = Path.Combine(Path.GetTempPath(), $"bnba-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(list, $"NIK,NAMA\n{heads[0]["NIK"]},{heads[0]["NAMA"]}\n{heads[1]["NIK"]},Siapa Saja\n", new UTF8Encoding(false));

        var camat = await CliRunner.RunAsync(test.Database, "programs", "import-recipients", "PKH", list, "--user", "camat.kalijambe");
        var otherAgency = await CliRunner.RunAsync(test.Database, "programs", "import-recipients", "PKH", list, "--user", "dinas.lain");

        Assert.Equal(0, camat.ExitCode);
        Assert.Contains("di luar wilayah Anda 1", camat.Error, StringComparison.Ordinal);
        Assert.Contains("baris 3 [outsideScope]", camat.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(heads[1]["NAMA"], camat.Error, StringComparison.Ordinal);
        await using (var db = test.Database.CreateDb())
        {
            var villages = await db.Enrollments.Join(db.Families, e => e.FamilyId, f => f.Id, (e, f) => f.KodeDesa).ToListAsync();
            Assert.Equal(["33.14.01.2001"], villages);
        }
        Assert.NotEqual(0, otherAgency.ExitCode);
        Assert.Contains("PROGRAM_NOT_ALLOWED", otherAgency.Error, StringComparison.Ordinal);
    }

    /// <summary>A user's test: the rows to correct were printed in Indonesian only, and a whole-file refusal (an .xls) as
    /// "baris 0 :". Each line now says it in both languages, as the family import does, and a file finding names the file.</summary>
    [Fact]
    public async Task Import_recipients_prints_each_row_to_correct_in_both_languages_and_a_file_finding_as_the_file()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1, children: 1);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv())).ExitCode);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var head = file.Rows.First(r => r["HUBUNGAN_KK"] == "1");
        var list = Path.Combine(Path.GetTempPath(), $"bnba-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(list, $"NIK,NAMA\n{head["NIK"]},Paijo Wiryo\n12345,SIAPA\n", new UTF8Encoding(false));

        var result = await CliRunner.RunAsync(test.Database, "programs", "import-recipients", "PKH", list, "--dry-run");

        Assert.Equal(2, result.ExitCode);
        var error = result.Error.Split('\n').Single(l => l.Contains("baris 3, kolom NIK", StringComparison.Ordinal));
        Assert.Contains(" / ", error, StringComparison.Ordinal);
        var mismatch = result.Error.Split('\n').Single(l => l.Contains("baris 2 [nameMismatch]", StringComparison.Ordinal));
        Assert.Contains(" / ", mismatch, StringComparison.Ordinal);

        var xls = Path.Combine(Path.GetTempPath(), $"bnba-{Guid.NewGuid():N}.xls");
        await File.WriteAllBytesAsync(xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]]);
        var old = await CliRunner.RunAsync(test.Database, "programs", "import-recipients", "PKH", xls, "--dry-run");

        Assert.Equal(2, old.ExitCode);
        Assert.DoesNotContain("baris 0", old.Error, StringComparison.Ordinal);
        Assert.Contains("berkas / file: ", old.Error, StringComparison.Ordinal);
        Assert.Contains("Save As", old.Error, StringComparison.Ordinal);
    }
}

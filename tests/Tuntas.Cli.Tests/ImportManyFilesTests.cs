using Microsoft.EntityFrameworkCore;
using Tuntas.Imports;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

/// <summary><c>tuntas import families</c> with several files or a folder: a regency operator's files from many villages,
/// each its own import (docs/import-profiles.md, "Many villages' files").</summary>
public sealed class ImportManyFilesTests
{
    private static string VillageFile(string folder, string name, int firstFamily)
    {
        var file = new OpenSidFileBuilder();
        file.Person(firstFamily, "Wagiman", "1", new DateOnly(1966, 6, 1), "1", "2", "3");
        file.Person(firstFamily, "Sarni", "2", new DateOnly(1970, 2, 14), "3", "2", "3");
        file.Person(firstFamily + 1, "Poniman", "1", new DateOnly(1981, 12, 5), "1", "2", "4");
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, file.ToCsv());
        return path;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_folder_of_village_files_is_imported_file_by_file_and_a_bad_file_leaves_the_others_imported(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var folder = Directory.CreateTempSubdirectory("tuntas-desa-").FullName;
        try
        {
            VillageFile(folder, "opensid-penduduk-3314012001.csv", 41);
            VillageFile(folder, "opensid-penduduk-3314012002.csv", 51);
            // Beside them, as in a real folder: Excel's lock file and a note, neither a village's file.
            await File.WriteAllTextAsync(Path.Combine(folder, "~$opensid-penduduk-3314012002.xlsx"), "lock");
            await File.WriteAllTextAsync(Path.Combine(folder, "catatan.txt"), "dari kecamatan");

            // A dry run of the folder says how many files would import, not "committed 0 of 2".
            var dry = await CliRunner.RunAsync(test.Database, "import", "families", folder, "--dry-run");
            Assert.Contains("Uji coba: 2 dari 2 berkas siap diimpor; ditolak 0; gagal 0", dry.Error, StringComparison.Ordinal);
            var result = await CliRunner.RunAsync(test.Database, "import", "families", folder);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Berkas 2 dari 2", result.Error, StringComparison.Ordinal);
            Assert.Contains("opensid-penduduk-3314012002.csv (33.14.01.2002)", result.Error, StringComparison.Ordinal);
            Assert.Contains("Tersimpan 2 dari 2 berkas", result.Error, StringComparison.Ordinal);
            await using (var db = test.Database.CreateDb())
            {
                Assert.Equal(2, await db.Families.CountAsync(f => f.KodeDesa == "33.14.01.2001"));
                Assert.Equal(2, await db.Families.CountAsync(f => f.KodeDesa == "33.14.01.2002"));
                Assert.Equal(2, await db.ImportJobs.CountAsync(j => j.Status == ImportJob.Committed));
            }

            // A file refused among good ones: the others are imported, the exit code says one was refused, and --json
            // gives one report per file.
            var third = VillageFile(folder, "opensid-penduduk-3314012003.csv", 61);
            var broken = Path.Combine(folder, "rusak.csv");
            await File.WriteAllTextAsync(broken, "x,y\n1,2\n");
            var mixed = await CliRunner.RunAsync(test.Database, "import", "families", third, broken, "--json");

            Assert.Equal(2, mixed.ExitCode);
            Assert.Contains("Tersimpan 1 dari 2 berkas; ditolak 1", mixed.Error, StringComparison.Ordinal);
            var reports = System.Text.Json.JsonDocument.Parse(mixed.Out).RootElement;
            Assert.Equal(2, reports.GetArrayLength());
            await using (var db = test.Database.CreateDb())
            {
                Assert.Equal(2, await db.Families.CountAsync(f => f.KodeDesa == "33.14.01.2003"));
            }

            // One village for many files would put them all into it: refused before anything is read.
            var one = await CliRunner.RunAsync(test.Database, "import", "families", folder, "--village", "33.14.01.2001", "--dry-run");
            Assert.Equal(2, one.ExitCode);
            Assert.Contains("IMPORT_VILLAGE_MANY_FILES", one.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A user's test: a folder's old Excel (.xls) and LibreOffice (.ods) files were passed over without a word
    /// ("2 of 2 files ready"), and those villages went missing unseen. Each is now refused by name with how to save it.</summary>
    [Fact]
    public async Task Spreadsheets_that_are_not_read_are_refused_by_name_not_passed_over_in_a_folder()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var folder = Directory.CreateTempSubdirectory("tuntas-desa-").FullName;
        try
        {
            VillageFile(folder, "opensid-penduduk-3314012001.csv", 41);
            // An Excel 97-2003 workbook begins with the OLE2 signature; an OpenDocument one is a ZIP whose first entry,
            // "mimetype", names it.
            await File.WriteAllBytesAsync(Path.Combine(folder, "penduduk-ngebung-3314012007.xls"),
                [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]]);
            using (var ods = System.IO.Compression.ZipFile.Open(Path.Combine(folder, "Kalimacan 3314012003.ods"), System.IO.Compression.ZipArchiveMode.Create))
            {
                using var mimetype = new StreamWriter(ods.CreateEntry("mimetype", System.IO.Compression.CompressionLevel.NoCompression).Open());
                mimetype.Write("application/vnd.oasis.opendocument.spreadsheet");
            }

            using (var xlsb = System.IO.Compression.ZipFile.Open(Path.Combine(folder, "sine-3314012009.xlsb"), System.IO.Compression.ZipArchiveMode.Create))
            {
                using var workbook = xlsb.CreateEntry("xl/workbook.bin").Open();
                workbook.Write([0x83, 0x01, 0x00]);
            }

            var dry = await CliRunner.RunAsync(test.Database, "import", "families", folder, "--dry-run");

            Assert.Equal(2, dry.ExitCode);
            Assert.Contains("Uji coba: 1 dari 4 berkas siap diimpor; ditolak 3", dry.Error, StringComparison.Ordinal);
            Assert.Contains("Excel Binary Workbook (.xlsb)", dry.Error, StringComparison.Ordinal);
            Assert.Contains("penduduk-ngebung-3314012007.xls", dry.Error, StringComparison.Ordinal);
            Assert.Contains("Excel 97–2003 (.xls)", dry.Error, StringComparison.Ordinal);
            Assert.Contains("Kalimacan 3314012003.ods", dry.Error, StringComparison.Ordinal);
            Assert.Contains("OpenDocument (.ods", dry.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_subfolder_is_named_as_passed_over_and_a_folder_of_one_file_gives_a_json_array()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var folder = Directory.CreateTempSubdirectory("tuntas-desa-").FullName;
        try
        {
            VillageFile(folder, "opensid-penduduk-3314012001.csv", 41);
            var kecamatan = Directory.CreateDirectory(Path.Combine(folder, "kec-gesi")).FullName;
            VillageFile(kecamatan, "opensid-penduduk-3314022001.csv", 51);

            var result = await CliRunner.RunAsync(test.Database, "import", "families", folder, "--json", "--dry-run");

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("kec-gesi dilewati", result.Error, StringComparison.Ordinal);
            Assert.Equal(System.Text.Json.JsonValueKind.Array, System.Text.Json.JsonDocument.Parse(result.Out).RootElement.ValueKind);
            // The previews of a folder, too: one array, not one object a line.
            var previews = await CliRunner.RunAsync(test.Database, "import", "families", folder, kecamatan, "--json", "--preview");
            Assert.Equal(0, previews.ExitCode);
            Assert.Equal(2, System.Text.Json.JsonDocument.Parse(previews.Out).RootElement.GetArrayLength());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_empty_folder_or_a_missing_file_is_said_and_nothing_is_imported()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var folder = Directory.CreateTempSubdirectory("tuntas-kosong-").FullName;
        try
        {
            var empty = await CliRunner.RunAsync(test.Database, "import", "families", folder);
            Assert.Equal(1, empty.ExitCode);
            Assert.Contains(".csv, .xlsx", empty.Error, StringComparison.Ordinal);
            var gone = await CliRunner.RunAsync(test.Database, "import", "families", Path.Combine(folder, "tidak-ada") + "/");
            Assert.Equal(1, gone.ExitCode);
            Assert.Contains("Berkas tidak ditemukan: ", gone.Error, StringComparison.Ordinal);
            var missing = await CliRunner.RunAsync(test.Database, "import", "families", Path.Combine(folder, "tidak-ada.csv"));
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("Berkas tidak ditemukan: ", missing.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Imports;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class ImportCommandTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_with_json_prints_the_report_on_stdout_and_exits_0(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = new ImportFileBuilder().Family(1, children: 2).Family(2).WriteCsv();

        var result = await CliRunner.RunAsync(test.Database, "import", "families", path, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.True(root.GetProperty("committed").GetBoolean());
        Assert.False(root.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, root.GetProperty("families").GetProperty("added").GetInt32());
        Assert.Equal(7, root.GetProperty("persons").GetProperty("added").GetInt32());
        Assert.Equal(64, root.GetProperty("sha256").GetString()!.Length);
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
        Assert.Contains("Tersimpan", result.Error);
    }

    /// <summary>A user's test: an old .xls was refused as "GALAT baris 0, kolom -": a finding of the whole file names the file.</summary>
    [Fact]
    public async Task An_xls_file_is_refused_as_a_finding_of_the_file_not_of_row_0()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var xls = Path.Combine(Path.GetTempPath(), $"desa-{Guid.NewGuid():N}.xls");
        await File.WriteAllBytesAsync(xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]]);

        var result = await CliRunner.RunAsync(test.Database, "import", "families", xls, "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("baris 0", result.Error, StringComparison.Ordinal);
        Assert.Contains("GALAT berkas / file: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("[FILE_XLS]", result.Error, StringComparison.Ordinal);
    }

    /// <summary>--user naming an account imports within that account's area, as the back office would; a role that may
    /// not write the registry is refused; a name with no account stays the operator named in the history.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_account_named_by_user_imports_only_within_its_area_and_a_role_without_the_right_is_refused(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "operator.gondang", "--role", "operator-desa", "--region", "33.14.01.2001")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "mitra.a", "--role", "mitra", "--organization", "Yayasan A")).ExitCode);
        var elsewhere = new ImportFileBuilder().Family(1, children: 1, village: "33.14.01.2002").WriteCsv();

        var asOperator = await CliRunner.RunAsync(test.Database, "import", "families", elsewhere, "--user", "operator.gondang");
        var asPartner = await CliRunner.RunAsync(test.Database, "import", "families", elsewhere, "--user", "mitra.a");
        var ownVillage = await CliRunner.RunAsync(test.Database, "import", "families", new ImportFileBuilder().Family(2).WriteCsv(), "--user", "operator.gondang");
        var byName = await CliRunner.RunAsync(test.Database, "import", "families", elsewhere, "--user", "Bu Sri (Dinsos)");

        Assert.Equal(2, asOperator.ExitCode);
        Assert.Contains("KODE_DESA_OUTSIDE_SCOPE", asOperator.Error + asOperator.Out, StringComparison.Ordinal);
        Assert.Equal(2, asPartner.ExitCode);
        Assert.Contains("[IMPORT_NOT_ALLOWED]", asPartner.Error, StringComparison.Ordinal);
        Assert.Equal(0, ownVillage.ExitCode);
        Assert.Equal(0, byName.ExitCode);
        await using var db = test.Database.CreateDb();
        Assert.Equal(["33.14.01.2001", "33.14.01.2002"], await db.Families.Select(f => f.KodeDesa).OrderBy(k => k).ToListAsync());
        Assert.True(await db.FamilyChanges.AnyAsync(c => c.ChangedBy == "Bu Sri (Dinsos)"));
    }

    /// <summary>A probe's finding: villages name files by the family ("KK 3314… Sutrisno.csv"), and the name was stored
    /// whole on the import job, the history's source file and the audit trail, and shown to roles that see NIK and NO_KK
    /// masked. Each 16-digit identifier in a file's name is masked before it is kept.</summary>
    [Fact]
    public async Task A_file_named_by_a_NO_KK_is_kept_under_its_name_with_the_number_masked()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var builder = new ImportFileBuilder().Family(1, children: 1);
        var noKk = builder.Rows[0]["NO_KK"];
        var path = Path.Combine(Directory.CreateTempSubdirectory("tuntas-kk-").FullName, $"KK {noKk} Sutrisno.csv");
        File.Copy(builder.WriteCsv(), path);

        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", path)).ExitCode);

        await using var db = test.Database.CreateDb();
        var kept = await db.ImportJobs.Select(j => j.FileName).SingleAsync();
        Assert.Equal($"KK {Tuntas.Registry.NoKk.Mask(noKk)} Sutrisno.csv", kept);
        Assert.DoesNotContain(await db.FamilyChanges.Select(c => c.SourceFile).Distinct().ToListAsync(), f => f != null && f.Contains(noKk, StringComparison.Ordinal));
        Assert.DoesNotContain(await db.AuditLog.Select(e => e.Detail).ToListAsync(), d => d != null && d.Contains(noKk, StringComparison.Ordinal));
    }

    /// <summary>A disabled account was taken as a mere name, and a mere name acts for the regency: a disabled village
    /// operator's --user imported into any village, and exported every village. It is refused by every command now.</summary>
    [Fact]
    public async Task A_disabled_account_named_by_user_is_refused_not_widened_to_the_regency()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", new ImportFileBuilder().Family(1).WriteCsv())).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "operator.gondang", "--role", "operator-desa", "--region", "33.14.01.2001")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "disable", "operator.gondang")).ExitCode);
        var elsewhere = new ImportFileBuilder().Family(2, children: 1, village: "33.14.01.2002").WriteCsv();

        var import = await CliRunner.RunAsync(test.Database, "import", "families", elsewhere, "--user", "operator.gondang");
        var villages = await CliRunner.RunAsync(test.Database, "import", "villages", "--user", "operator.gondang");
        // Names are stored trimmed and lower-cased, as signing in reads them: written otherwise, it is the same account.
        var capitalised = await CliRunner.RunAsync(test.Database, "import", "families", elsewhere, "--user", " Operator.Gondang ");

        Assert.NotEqual(0, import.ExitCode);
        Assert.Contains("[USER_DISABLED]", import.Error, StringComparison.Ordinal);
        Assert.Contains("dinonaktifkan", import.Error, StringComparison.Ordinal);
        Assert.Contains("is disabled", import.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, villages.ExitCode);
        Assert.Contains("[USER_DISABLED]", villages.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, capitalised.ExitCode);
        Assert.Contains("[USER_DISABLED]", capitalised.Error, StringComparison.Ordinal);
        await using var db = test.Database.CreateDb();
        Assert.Equal(["33.14.01.2001"], await db.Families.Select(f => f.KodeDesa).Distinct().ToListAsync());
    }

    /// <summary>An OpenSID file carries no village: a village operator who gives no --village imports into their own, as
    /// the back office does; the regency must give one.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operators_OpenSID_file_without_village_goes_to_their_own_village(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "operator.gondang", "--role", "operator-desa", "--region", "33.14.01.2001")).ExitCode);
        var file = OpenSidFileBuilder.Village().WriteCsv();

        var asRegency = await CliRunner.RunAsync(test.Database, "import", "families", file);
        var asOperator = await CliRunner.RunAsync(test.Database, "import", "families", file, "--user", "operator.gondang");

        Assert.Equal(2, asRegency.ExitCode);
        Assert.Contains("VILLAGE_REQUIRED", asRegency.Error + asRegency.Out, StringComparison.Ordinal);
        Assert.Equal(0, asOperator.ExitCode);
        await using var db = test.Database.CreateDb();
        Assert.Equal(["33.14.01.2001"], await db.Families.Select(f => f.KodeDesa).Distinct().ToListAsync());
    }

    /// <summary>
    /// Keden's OpenSID file (its NIKs issued in Kalijambe, 33.14.01) named after Karangwaru (33.14.02.2001): the CLI's
    /// preview refuses it as the back office's does and as the import would, where before it printed the rows as
    /// importable (the registry's half of the preview ran on the back office's path only).
    /// </summary>
    [Fact]
    public async Task Preview_of_a_village_file_whose_NIKs_say_another_kecamatan_refuses_it_as_the_import_would()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var named = Path.Combine(Directory.CreateTempSubdirectory("pratinjau-").FullName, "opensid-penduduk-3314022001.csv");
        File.Copy(OpenSidFileBuilder.Village().WriteCsv(), named);

        var result = await CliRunner.RunAsync(test.Database, "import", "families", named, "--preview");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("VILLAGE_FILE_NAME_NIK_KECAMATAN", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Preview_prints_the_profile_the_mapping_and_the_first_rows_masked_and_imports_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 2);
        file.Header = [.. file.Header, "CATATAN"];
        var nik = file.Rows[0]["NIK"];

        var result = await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv(), "--preview");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Profil / profile: tuntas", result.Out, StringComparison.Ordinal);
        Assert.Contains("  NIK -> NIK (NIK (16 angka))", result.Out, StringComparison.Ordinal);
        Assert.Contains("Kolom tidak dikenal, diabaikan (periksa ejaannya): CATATAN", result.Out, StringComparison.Ordinal);
        Assert.Contains("/ unknown columns, ignored (check their spelling): CATATAN", result.Out, StringComparison.Ordinal);
        Assert.Contains(Tuntas.Registry.Nik.Mask(nik), result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(nik, result.Out, StringComparison.Ordinal);
        await using var db = test.Database.CreateDb();
        Assert.Equal(0, await db.Families.CountAsync());
        Assert.Equal(0, await db.ImportJobs.CountAsync());
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Action == Tuntas.Audit.AuditActions.ViewPersonalData && e.SubjectType == "impor"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_with_errors_exits_2_writes_nothing_and_lists_row_column_and_code(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 2);
        file.Rows[1]["NIK"] = "33140112037";

        var result = await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv(), "--json");

        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Equal(3, error.GetProperty("row").GetInt32());
        Assert.Equal("NIK", error.GetProperty("column").GetString());
        Assert.Equal("NIK_FORMAT", error.GetProperty("code").GetString());
        Assert.Contains("baris 3", result.Error);
        await using var db = test.Database.CreateDb();
        Assert.Equal(0, await db.Families.CountAsync());
    }

    [Fact]
    public async Task A_dry_run_exits_0_and_writes_nothing()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var result = await CliRunner.RunAsync(test.Database, "import", "families", new ImportFileBuilder().Family(1).WriteCsv(), "--dry-run", "--json");
        Assert.Equal(0, result.ExitCode);
        await using var db = test.Database.CreateDb();
        Assert.Equal(0, await db.Families.CountAsync());
        Assert.Equal("tervalidasi", (await db.ImportJobs.SingleAsync()).Status);
    }

    /// <summary>A warning to read before committing is printed in words, not only in --json: a mistyped village code
    /// on a new village's file (another regency) and the temporary NIKs, a few of each code, then the counts.</summary>
    [Fact]
    public async Task A_dry_run_prints_the_warnings_of_every_code_in_words()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1, children: 1, village: "35.03.01.2001");
        for (var i = 2; i <= 6; i++)
        {
            file.Family(i, children: 0);
        }
        // Families 2–6 (ten rows) under temporary NO_KKs (0 + village + serial): NO_KK_SEMENTARA on each row.
        file.Rows.Where(r => r["NO_KK"] != ImportFileBuilder.NoKkFor(1)).ToList()
            .ForEach(r => r["NO_KK"] = "0" + r["KODE_DESA"].Replace(".", "", StringComparison.Ordinal) + "0000" + r["NO_KK"][^1]);

        var result = await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv(), "--dry-run");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("PERINGATAN baris 2, kolom KODE_DESA = 35.03.01.2001: 1 keluarga baru di desa 35.03.01.2001", result.Error, StringComparison.Ordinal);
        // The value as the report has it: a temporary number whole, so that the row can be found in the village's OpenSID.
        Assert.Contains("PERINGATAN baris 5, kolom NO_KK = 03314012001", result.Error, StringComparison.Ordinal);
        Assert.Contains("[VILLAGE_OUTSIDE_REGENCY]", result.Error, StringComparison.Ordinal);
        // Both languages on the line, as everything else the CLI prints.
        Assert.Contains(" / 1 new families in village 35.03.01.2001", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, result.Error.Split('\n').Count(l => l.StartsWith("PERINGATAN", StringComparison.Ordinal) && l.EndsWith("[NO_KK_SEMENTARA]", StringComparison.Ordinal)));
        Assert.Contains("… peringatan per kode (lihat --json) / warnings by code (see --json): NO_KK_SEMENTARA 10, VILLAGE_OUTSIDE_REGENCY 1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_exits_1()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var result = await CliRunner.RunAsync(test.Database, "import", "families", "/nonexistent/keluarga.csv");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("tidak ditemukan", result.Error);
    }

    /// <summary>The villages' checklist from the shell: a line a village (tab-separated, data on stdout only), the villages
    /// without data, and the JSON a script reads.</summary>
    [Fact]
    public async Task Import_villages_lists_which_villages_have_sent_their_data()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1).Family(2, village: "33.14.01.2002");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv())).ExitCode);

        var all = await CliRunner.RunAsync(test.Database, "import", "villages");
        var without = await CliRunner.RunAsync(test.Database, "import", "villages", "--only", "without");
        var json = await CliRunner.RunAsync(test.Database, "import", "villages", "--json");

        Assert.Equal(0, all.ExitCode);
        var lines = all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var gondang = lines.Single(l => l.StartsWith("33.14.01.2001\t", StringComparison.Ordinal)).Split('\t');
        Assert.Equal("1", gondang[3]);
        Assert.Contains($"2 dari {lines.Length} desa punya keluarga terdaftar", all.Error, StringComparison.Ordinal);
        Assert.Equal(lines.Length - 2, without.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("33.14.01.2001\t", without.Out, StringComparison.Ordinal);
        using var parsed = System.Text.Json.JsonDocument.Parse(json.Out);
        Assert.Equal(2, parsed.RootElement.GetProperty("withData").GetInt32());
        // Filtered, the totals are still the regency's.
        using var filtered = System.Text.Json.JsonDocument.Parse((await CliRunner.RunAsync(test.Database, "import", "villages", "--only", "without", "--json")).Out);
        Assert.Equal((2, lines.Length - 2), (filtered.RootElement.GetProperty("withData").GetInt32(), filtered.RootElement.GetProperty("villages").GetArrayLength()));

        // --user: a village operator sees their village and only their own jobs; the regency's import of the village's
        // OpenSID file (a job that knows its village) is not theirs. Without --user, the regency sees it.
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", OpenSidFileBuilder.Village().WriteCsv(), "--village", "33.14.01.2001")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "operator.gondang", "--role", "operator-desa", "--region", "33.14.01.2001")).ExitCode);
        var asRegency = await CliRunner.RunAsync(test.Database, "import", "villages");
        var asOperator = await CliRunner.RunAsync(test.Database, "import", "villages", "--user", "operator.gondang");
        Assert.Equal(0, asOperator.ExitCode);
        Assert.Contains(" selesai ", asRegency.Out.Split('\n').Single(l => l.StartsWith("33.14.01.2001\t", StringComparison.Ordinal)).Split('\t')[5], StringComparison.Ordinal);
        var own = Assert.Single(asOperator.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split('\t');
        Assert.Equal(("33.14.01.2001", "-"), (own[0], own[5]));
        var unknown = await CliRunner.RunAsync(test.Database, "import", "villages", "--user", "operator.tidak.ada");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("USER_UNKNOWN", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_template_has_every_column_of_the_format()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var result = await CliRunner.RunAsync(test.Database, "import", "template");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("KODE_DESA,NO_KK,", result.Out);
        Assert.Contains(",NIK,NAMA,JENIS_KELAMIN,", result.Out);
    }

    /// <summary>The issue: killing the import midway leaves the database as it was. A real process, killed with SIGKILL.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Killing_the_import_process_midway_leaves_the_database_as_it_was(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var first = await CliRunner.RunAsync(test.Database, "import", "families", new ImportFileBuilder().Family(1).WriteCsv());
        Assert.Equal(0, first.ExitCode);
        var big = new ImportFileBuilder();
        for (var i = 10; i < 30_010; i++)
        {
            big.Family(i, children: 2, village: "33.14.07.2001");
        }
        var path = big.WriteCsv();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tuntas.dll"), "import", "families", path, "--progress"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["Database__Provider"] = test.Database.Provider.ToString();
        start.Environment["ConnectionStrings__Tuntas"] = test.Database.ConnectionString;
        using var process = Process.Start(start)!;
        var writing = false;
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("menulis", StringComparison.Ordinal))
            {
                writing = true;
                process.Kill(entireProcessTree: true);
                break;
            }
        }
        await process.WaitForExitAsync();
        Assert.True(writing, "the import never reached its writing phase");
        Assert.NotEqual(0, process.ExitCode);

        await using var db = test.Database.CreateDb();
        Assert.Equal(1, await db.Families.CountAsync());
        Assert.Equal(3, await db.Persons.CountAsync());
        // The killed run's job still says "berjalan": nobody could tell it otherwise.
        var killed = await db.ImportJobs.AsNoTracking().OrderByDescending(j => j.Id).FirstAsync();
        Assert.Equal(ImportJob.Running, killed.Status);
        // And the registry still imports cleanly afterwards; that run finds the dead process and marks its job failed.
        var again = await CliRunner.RunAsync(test.Database, "import", "families", path);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(30_001, await db.Families.CountAsync());
        var marked = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == killed.Id);
        Assert.Equal(ImportJob.Failed, marked.Status);
        Assert.Contains(ImportJobs.AbandonedMessage, marked.ReportJson, StringComparison.Ordinal);
        Assert.NotNull(marked.FinishedAt);
    }

    [Fact]
    public async Task Demo_with_the_same_seed_writes_byte_identical_files()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var a = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".csv");
        var b = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".csv");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "demo", "--families", "500", "--seed", "9", "--out", a)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "demo", "--families", "500", "--seed", "9", "--out", b)).ExitCode);
        Assert.Equal(await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Demo_into_the_database_goes_through_the_import(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var result = await CliRunner.RunAsync(test.Database, "demo", "--families", "300", "--seed", "3");
        Assert.Equal(0, result.ExitCode);
        await using var db = test.Database.CreateDb();
        Assert.Equal(300, await db.Families.CountAsync());
        Assert.Equal(300, await db.FamilyChanges.CountAsync(c => c.Field == "KELUARGA_BARU" && c.ChangedBy == "demo"));
    }

    [Fact]
    public async Task An_unknown_regency_is_refused_with_a_message()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var result = await CliRunner.RunAsync(test.Database, "demo", "--regency", "99.99", "--families", "10", "--out", Path.GetTempFileName());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("99.99", result.Error);
    }

    [Fact]
    public async Task Users_add_then_list()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var added = await CliRunner.RunAsync(test.Database, "users", "add", "operator1", "--role", "operator-desa", "--region", "33.14.01.2001");
        Assert.Equal(0, added.ExitCode);
        Assert.True(added.Out.Trim().Length >= 10);
        var listed = await CliRunner.RunAsync(test.Database, "users", "list");
        Assert.Contains("operator1\toperator-desa\t33.14.01.2001", listed.Out);
        var wrongRole = await CliRunner.RunAsync(test.Database, "users", "add", "x", "--role", "raja");
        Assert.Equal(2, wrongRole.ExitCode);
    }

    /// <summary>The registry's own DTKS export writes 415 = 23 and no 412 for "tidak/belum sekolah" (1) and "belum tamat SD"
    /// (2) alike; the import keeps the registry's 1. The preview showed 2 for both: it now reads the village's
    /// never-schooled persons first, within --user's area, and shows what the import writes.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Preview_of_a_DTKS_workbook_shows_the_registrys_never_schooled_as_the_import_keeps_them(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var village = new OpenSidFileBuilder();
        village.Person(1, "Karto Dimejo", "1", new DateOnly(1950, 6, 1), "1", "2", "1");
        village.Person(1, "Sainem", "2", new DateOnly(1955, 3, 4), "3", "2", "2");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", village.WriteCsv(), "--village", "3314012001")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "operator.gondang", "--role", "operator-desa", "--region", "33.14.01.2001")).ExitCode);
        var workbook = Path.Combine(Directory.CreateTempSubdirectory("tuntas-dtks-").FullName, "regsosek.xlsx");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "registry", "export", "--format", "dtks", "--village", "3314012001", "--out", workbook)).ExitCode);

        var regency = await CliRunner.RunAsync(test.Database, "import", "families", workbook, "--village", "3314012001", "--preview", "--json");
        var villageOperator = await CliRunner.RunAsync(test.Database, "import", "families", workbook, "--user", "operator.gondang", "--preview", "--json");

        static Dictionary<string, string> Pendidikan(CliRunner.Result result)
        {
            Assert.True(result.ExitCode == 0, result.Error + result.Out);
            using var json = JsonDocument.Parse(result.Out);
            var fields = json.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetString()).ToList();
            return json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("values"))
                .ToDictionary(v => v[fields.IndexOf("NAMA")].GetString()!, v => v[fields.IndexOf("PENDIDIKAN")].GetString()!);
        }
        var shown = Pendidikan(regency);
        Assert.Equal(("1", "2"), (shown["Karto Dimejo"], shown["Sainem"]));
        Assert.Equal(shown, Pendidikan(villageOperator));
        var imported = await CliRunner.RunAsync(test.Database, "import", "families", workbook, "--village", "3314012001", "--json");
        Assert.True(imported.ExitCode == 0, imported.Error + imported.Out);
        await using var db = test.Database.CreateDb();
        Assert.Equal(shown, await db.Persons.ToDictionaryAsync(p => p.Nama, p => p.Pendidikan.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}

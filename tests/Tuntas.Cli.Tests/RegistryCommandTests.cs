using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class RegistryCommandTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Registry_export_writes_OpenSIDs_file_that_imports_back_and_keeps_a_village_operator_to_their_village(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var first = await CliRunner.RunAsync(test.Database, "import", "families", OpenSidFileBuilder.Village().WriteCsv(), "--village", "3314012001");
        Assert.True(first.ExitCode == 0, first.Error);
        var other = new OpenSidFileBuilder();
        other.Person(50, "Karyo", "1", new DateOnly(1970, 3, 3), "1", "2", "3");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", other.WriteCsv(), "--village", "33.14.02.2001")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "operator.gondang", "--role", "operator-desa", "--region", "33.14.01.2001")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "mitra.a", "--role", "mitra", "--organization", "Yayasan A")).ExitCode);
        var directory = Directory.CreateTempSubdirectory("tuntas-export-").FullName;

        var village = Path.Combine(directory, "gondang.xlsx");
        var exported = await CliRunner.RunAsync(test.Database, "registry", "export", "--format", "opensid", "--village", "3314012001", "--out", village);
        var own = Path.Combine(directory, "own.zip");
        var operatorRun = await CliRunner.RunAsync(test.Database, "registry", "export", "--format", "opensid", "--out", own, "--user", "operator.gondang");
        var outside = await CliRunner.RunAsync(test.Database, "registry", "export", "--format", "dtks", "--village", "33.14.02.2001",
            "--out", Path.Combine(directory, "x.xlsx"), "--user", "operator.gondang");
        var partner = await CliRunner.RunAsync(test.Database, "registry", "export", "--format", "dtks", "--out", Path.Combine(directory, "y.xlsx"), "--user", "mitra.a");
        var dtks = await CliRunner.RunAsync(test.Database, "registry", "export", "--format", "dtks", "--out", Path.Combine(directory, "all.xlsx"));
        // A mistyped name must not widen to the regency: the file would carry every NIK.
        var mistyped = await CliRunner.RunAsync(test.Database, "registry", "export", "--format", "dtks", "--out", Path.Combine(directory, "typo.xlsx"), "--user", "operator.gondnag");
        // A village code nobody has (one digit off), a village of another regency, and an --out name that does not say
        // what is written: refused, no file with a header and no row reported as written.
        Task<CliRunner.Result> OpenSidAsync(string? village, string file) => CliRunner.RunAsync(test.Database,
            ["registry", "export", "--format", "opensid", .. village is null ? Array.Empty<string>() : ["--village", village], "--out", Path.Combine(directory, file)]);
        var unknownVillage = await OpenSidAsync("33.14.01.9999", "unknown.xlsx");
        var otherRegency = await OpenSidAsync("3315012001", "grobogan.xlsx");
        var zipAsXlsx = await OpenSidAsync(null, "semua.xlsx");
        var text = await OpenSidAsync("3314012001", "x.txt");
        var csvZip = await OpenSidAsync(null, "semua.csv.zip");

        Assert.Equal(0, exported.ExitCode);
        Assert.StartsWith("1\t3\t10\t", exported.Out, StringComparison.Ordinal);
        // Both halves of the summary carry the numbers and the file.
        Assert.Contains("3 keluarga, 10 orang dari 1 desa ditulis ke " + village, exported.Error, StringComparison.Ordinal);
        Assert.Contains("3 families, 10 persons written to " + village + " (villages: 1)", exported.Error, StringComparison.Ordinal);
        Assert.Equal(0, operatorRun.ExitCode);
        using (var zip = ZipFile.OpenRead(own))
        {
            Assert.Equal("opensid-penduduk-3314012001.xlsx", Assert.Single(zip.Entries).FullName);
        }
        Refused(outside, "VILLAGE_OUT_OF_SCOPE");
        Refused(partner, "EXPORT_NOT_ALLOWED");
        Assert.Equal(0, dtks.ExitCode);
        Assert.StartsWith("2\t4\t11\t", dtks.Out, StringComparison.Ordinal);
        Refused(mistyped, "USER_UNKNOWN");
        Assert.False(File.Exists(Path.Combine(directory, "typo.xlsx")));
        Refused(unknownVillage, "VILLAGE_UNKNOWN");
        Refused(otherRegency, "VILLAGE_NO_FAMILIES");
        Refused(zipAsXlsx, "EXPORT_OUT_ZIP");
        Refused(text, "EXPORT_OUT_FILE");
        Assert.All(new[] { "unknown.xlsx", "grobogan.xlsx", "semua.xlsx", "x.txt" }, name => Assert.False(File.Exists(Path.Combine(directory, name)), name));
        // Every export was written under a temporary name and moved into place after its audit entry: none is left.
        Assert.Empty(Directory.GetFiles(directory, "*.sebagian"));
        Assert.Equal(0, csvZip.ExitCode);
        using (var zip = ZipFile.OpenRead(Path.Combine(directory, "semua.csv.zip")))
        {
            Assert.Equal(["opensid-penduduk-3314012001.csv", "opensid-penduduk-3314022001.csv"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(4, await db.AuditLog.CountAsync(e => e.Action == "ekspor" && e.Origin == "cli"));
        }

        await using var copy = await TestDatabase.CreateAsync(provider);
        var imported = await CliRunner.RunAsync(copy.Database, "import", "families", village, "--village", "3314012001");
        Assert.Equal(0, imported.ExitCode);
        await using (var source = test.Database.CreateDb())
        await using (var target = copy.Database.CreateDb())
        {
            async Task<List<string>> PersonsAsync(Data.TuntasDb db) => [.. (await db.Persons.AsNoTracking()
                .Join(db.Families.Where(f => f.KodeDesa == "33.14.01.2001"), p => p.FamilyId, f => f.Id, (p, f) => new { f.NoKk, p.Nik, p.Nama, p.StatusHidup, p.NikSementara })
                .ToListAsync()).Select(x => $"{x.NoKk} {x.Nik} {x.Nama} {x.StatusHidup} {x.NikSementara}").Order(StringComparer.Ordinal)];
            Assert.Equal(await PersonsAsync(source), await PersonsAsync(target));
        }
    }

    /// <summary>Refused with exit code 2 and the code on standard error.</summary>
    private static void Refused(CliRunner.Result result, string code)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"[{code}]", result.Error, StringComparison.Ordinal);
    }
}

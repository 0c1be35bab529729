using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class LinkageCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tuntas-linkage-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task Linkage_run_writes_id_pairs_with_scores_and_refuses_an_unknown_kind_with_exit_2()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite", loadRegions: false);
        var a = Write("a.csv", ["id,nama,lahir", .. Enumerable.Range(1, 60).Select(i => $"a{i},{Names(i)},{1950 + i}-0{1 + (i % 9)}-1{i % 10}")]);
        var b = Write("b.csv", ["id,nama,lahir", .. Enumerable.Range(1, 60).Select(i => $"b{i},{(i % 2 == 0 ? "Hj. " : "")}{Names(i)},{1950 + i}-0{1 + (i % 9)}-1{i % 10}")]);
        var config = Write("map.json", """{"idA": "id", "idB": "id", "fields": [{"kind": "fullName", "a": "nama", "b": "nama"}, {"kind": "birthDate", "a": "lahir", "b": "lahir"}]}""");
        var output = Path.Combine(_folder, "pairs.csv");

        var result = await CliRunner.RunAsync(test.Database, "linkage", "run", a, b, "--config", config, "--out", output, "--min-score", "0.5");
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = File.ReadAllLines(output);
        Assert.Equal("ID_A,ID_B,SKOR", lines[0]);
        Assert.Contains("a7,b7,", lines[1..].Select(l => l[..(l.LastIndexOf(',') + 1)]));
        Assert.All(lines[1..], l => Assert.Equal(l.Split(',')[0][1..], l.Split(',')[1][1..]));

        var bad = Write("bad.json", """{"idA": "id", "idB": "id", "fields": [{"kind": "nama", "a": "nama", "b": "nama"}]}""");
        var refused = await CliRunner.RunAsync(test.Database, "linkage", "run", a, b, "--config", bad);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("LINKAGE_JENIS_TIDAK_DIKENAL", refused.Error, StringComparison.Ordinal);
        Assert.Empty(refused.Out);
    }

    /// <summary>
    /// With --registry the registry's persons are side A: an account named by --user links against its own area's only;
    /// a role that may not export the registry (a partner) and a name without an account are refused. Before, --user was only the
    /// name in the audit, and every run read the whole regency.
    /// </summary>
    [Fact]
    public async Task Linkage_run_against_the_registry_for_an_account_links_only_the_persons_of_its_area()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1, children: 1).Family(2, children: 1, village: "33.14.02.2001");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file.WriteCsv())).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "camat.kalijambe", "--role", "koordinator-tkpkd", "--region", "33.14.01")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "mitra.a", "--role", "mitra", "--organization", "Yayasan A")).ExitCode);
        var b = Write("b.csv", ["id,nama,lahir", .. file.Rows.Select((r, i) => $"b{i},{r["NAMA"]},{r["TANGGAL_LAHIR"]}")]);
        var config = Write("map.json", """{"idA": "NIK", "idB": "id", "fields": [{"kind": "fullName", "a": "NAMA", "b": "nama"}, {"kind": "birthDate", "a": "TANGGAL_LAHIR", "b": "lahir"}]}""");
        string[] Run(string output, params string[] more) => [.. new[] { "linkage", "run", "--registry", b, "--config", config, "--out", output, "--min-score", "0.5" }, .. more];

        var regency = await CliRunner.RunAsync(test.Database, Run(Path.Combine(_folder, "kabupaten.csv")));
        var camat = await CliRunner.RunAsync(test.Database, Run(Path.Combine(_folder, "camat.csv"), "--user", "camat.kalijambe"));
        var partner = await CliRunner.RunAsync(test.Database, Run(Path.Combine(_folder, "mitra.csv"), "--user", "mitra.a"));
        var unknown = await CliRunner.RunAsync(test.Database, Run(Path.Combine(_folder, "siapa.csv"), "--user", "siapa.saja"));

        Assert.True(regency.ExitCode == 0 && camat.ExitCode == 0, regency.Error + camat.Error);
        var inKalijambe = file.Rows.Where(r => r["KODE_DESA"] == "33.14.01.2001").Select(r => r["NIK"]).ToHashSet();
        var all = File.ReadAllLines(Path.Combine(_folder, "kabupaten.csv"))[1..].Select(l => l.Split(',')[0]).ToList();
        var own = File.ReadAllLines(Path.Combine(_folder, "camat.csv"))[1..].Select(l => l.Split(',')[0]).ToList();
        Assert.Contains(all, nik => !inKalijambe.Contains(nik));
        Assert.NotEmpty(own);
        Assert.All(own, nik => Assert.Contains(nik, inKalijambe));
        Assert.Contains("EXPORT_NOT_ALLOWED", partner.Error, StringComparison.Ordinal);
        Assert.Contains("USER_UNKNOWN", unknown.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "mitra.csv")));
    }

    private static string Names(int i) => $"{new[] { "Siti", "Agus", "Budi", "Dewi", "Eko", "Joko" }[i % 6]} {new[] { "Aminah", "Santoso", "Rahayu", "Wibowo", "Utami", "Hidayat", "Purnomo" }[i % 7]} {new[] { "Putra", "Sari", "Wati", "Jaya", "Ningsih" }[i % 5]}";
}

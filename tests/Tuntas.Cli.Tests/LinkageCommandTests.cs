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

    private static string Names(int i) => $"{new[] { "Siti", "Agus", "Budi", "Dewi", "Eko", "Joko" }[i % 6]} {new[] { "Aminah", "Santoso", "Rahayu", "Wibowo", "Utami", "Hidayat", "Purnomo" }[i % 7]} {new[] { "Putra", "Sari", "Wati", "Jaya", "Ningsih" }[i % 5]}";
}

using System.Text.Json;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class DuplicatesCommandTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Duplicates_find_lists_the_person_pairs_and_the_two_kks_of_one_household_as_a_family_pair(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (file, nikWife, nikChild) = DuplicateRegistry.Write();
        var import = await CliRunner.RunAsync(test.Database, "import", "families", file);
        Assert.True(import.ExitCode == 0, import.Error + import.Out);

        var result = await CliRunner.RunAsync(test.Database, "duplicates", "find", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var root = JsonDocument.Parse(result.Out).RootElement;
        var pairs = root.GetProperty("pairs").EnumerateArray().ToList();
        var niks = pairs.Select(p => (p.GetProperty("nikA").GetString(), p.GetProperty("nikB").GetString())).ToList();
        Assert.Contains(niks, n => n.Item1 == nikWife || n.Item2 == nikWife);
        Assert.Contains(niks, n => n.Item1 == nikChild || n.Item2 == nikChild);
        Assert.All(pairs, p => Assert.InRange(p.GetProperty("score").GetDouble(), 0.9, 1.0));
        Assert.Equal("one digit wrong or two swapped", pairs[0].GetProperty("fields").GetProperty("NIK").GetProperty("level").GetString());
        // The two KKs: one family pair sharing both members, listed first.
        var family = root.GetProperty("families").EnumerateArray().First();
        Assert.Equal(2, family.GetProperty("sharedMembers").GetInt32());
        Assert.Equal(2, family.GetProperty("members").GetArrayLength());
        Assert.NotEqual(family.GetProperty("noKkA").GetString(), family.GetProperty("noKkB").GetString());
    }

    /// <summary>--user was only the name written in the audit: a village operator's name got the whole regency's pairs,
    /// full NIKs and names. Now the account's area applies, as in the Duplicates queue: a role that may not review
    /// duplicates and a name without an account are refused, a kecamatan's coordinator gets its kecamatan's pairs.</summary>
    [Fact]
    public async Task Duplicates_find_for_an_account_named_by_user_lists_only_the_pairs_of_its_area()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var (file, nikWife, _) = DuplicateRegistry.Write();
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "operator.gondang", "--role", "operator-desa", "--region", "33.14.01.2001")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "koordinator.kecamatan", "--role", "koordinator-tkpkd", "--region", "33.14.02")).ExitCode);

        var village = await CliRunner.RunAsync(test.Database, "duplicates", "find", "--json", "--user", "operator.gondang");
        var unknown = await CliRunner.RunAsync(test.Database, "duplicates", "find", "--json", "--user", "operator.tidak.ada");
        var otherKecamatan = await CliRunner.RunAsync(test.Database, "duplicates", "find", "--json", "--user", "koordinator.kecamatan");
        var regency = await CliRunner.RunAsync(test.Database, "duplicates", "find", "--json");

        Assert.NotEqual(0, village.ExitCode);
        Assert.Contains("[DUPLICATES_NOT_ALLOWED]", village.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(nikWife, village.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("USER_UNKNOWN", unknown.Error, StringComparison.Ordinal);
        Assert.True(otherKecamatan.ExitCode == 0, otherKecamatan.Error);
        Assert.Empty(JsonDocument.Parse(otherKecamatan.Out).RootElement.GetProperty("pairs").EnumerateArray());
        Assert.Contains(nikWife, regency.Out, StringComparison.Ordinal);
    }

    /// <summary>Names come from every village's import files; the CSV is opened in a spreadsheet by the reviewer. A name
    /// written as a formula is written as text (OWASP CSV injection), as every other export does.</summary>
    [Fact]
    public async Task Duplicates_find_csv_writes_a_name_that_looks_like_a_formula_as_text()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var (file, _, _) = DuplicateRegistry.Write();
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        var name = Array.IndexOf(header, "NAMA");
        // The wife's second registration: "Hj. …" becomes "=Hj. …", still alike.
        var last = lines.Length - 2;
        var cells = lines[last].Split(',');
        Assert.StartsWith("Hj. ", cells[name], StringComparison.Ordinal);
        cells[name] = "@" + cells[name];
        lines[last] = string.Join(',', cells);
        File.WriteAllLines(file, lines);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file)).ExitCode);

        var result = await CliRunner.RunAsync(test.Database, "duplicates", "find");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(",'@Hj. ", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(",@Hj. ", result.Out, StringComparison.Ordinal);
    }

    /// <summary>NaN compares false with both bounds, so a check written as "refuse below 0 or above 1" let it through. A
    /// decimal comma was read as a thousands separator: "0,000" became 0 and listed every pair.</summary>
    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1.5")]
    [InlineData("0,000")]
    [InlineData("0,95")]
    [InlineData("sembilan")]
    public async Task Duplicates_find_refuses_a_minimum_score_outside_0_to_1_with_exit_2(string minScore)
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");

        var result = await CliRunner.RunAsync(test.Database, "duplicates", "find", "--min-score", minScore);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--min-score: [LINKAGE_SKOR] Skor minimum harus angka dari 0 sampai 1 dengan titik desimal, mis. 0.95.", result.Error, StringComparison.Ordinal);
    }
}

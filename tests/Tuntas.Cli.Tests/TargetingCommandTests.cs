using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class TargetingCommandTests
{
    /// <summary>A registry from one village's OpenSID file: the run names the model its deciles came from and says they
    /// are coarse, and accuracy, which needs consumption data, says it cannot be measured instead of a table of zeros.</summary>
    [Fact]
    public async Task A_run_on_an_OpenSID_registry_says_its_deciles_are_coarse_and_accuracy_needs_consumption()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var imported = await CliRunner.RunAsync(test.Database, "import", "families", OpenSidFileBuilder.Village().WriteCsv(), "--village", "3314012001");
        Assert.True(imported.ExitCode == 0, imported.Error);

        var run = await CliRunner.RunAsync(test.Database, "targeting", "run");
        var accuracy = await CliRunner.RunAsync(test.Database, "targeting", "accuracy", "latest");
        var notANumber = await CliRunner.RunAsync(test.Database, "targeting", "accuracy", "latest", "--quota", "NaN");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("desil dari model skor / deciles from the model skor", run.Error, StringComparison.Ordinal);
        Assert.Contains("desil kasar", run.Error, StringComparison.Ordinal);
        Assert.Contains("desil rentang", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, accuracy.ExitCode);
        Assert.Contains("ketepatan sasaran belum bisa diukur", accuracy.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("| Model |", accuracy.Error, StringComparison.Ordinal);
        Assert.Equal(2, notANumber.ExitCode);
        Assert.Contains("[MODEL_NUMBER]", notANumber.Error, StringComparison.Ordinal);
    }

    /// <summary>Every date option reads one format, yyyy-MM-dd, whatever the machine's culture, and a date that does not
    /// exist or is written otherwise is refused in both languages naming the option, without repeating what was typed.</summary>
    [Theory]
    [InlineData("--as-of", "2027-02-30", "targeting", "run", "--as-of", "2027-02-30")]
    [InlineData("--as-of", "15/01/2026", "targeting", "run", "--as-of", "15/01/2026")]
    [InlineData("--date", "2027-02-30", "programs", "exit", "1", "--date", "2027-02-30")]
    [InlineData("--until", "2027-13-01", "users", "agreements", "add", "PKS/1", "--organization", "PT A", "--purpose", "uji", "--until", "2027-13-01")]
    [InlineData("--from", "1 Jan 2027", "users", "agreements", "add", "PKS/1", "--organization", "PT A", "--purpose", "uji", "--from", "1 Jan 2027", "--until", "2027-06-30")]
    public async Task A_date_option_refuses_an_impossible_or_otherwise_written_date_in_both_languages(string option, string typed, params string[] args)
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");

        var result = await CliRunner.RunAsync(test.Database, args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{option} harus tanggal yang ada, ditulis yyyy-MM-dd (mis. 2027-02-28) / {option} must be a real date written yyyy-MM-dd (e.g. 2027-02-28)",
            result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(typed, result.Error, StringComparison.Ordinal);
    }
}

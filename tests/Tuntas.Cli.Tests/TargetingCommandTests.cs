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
        Assert.Equal(0, accuracy.ExitCode);
        Assert.Contains("ketepatan sasaran belum bisa diukur", accuracy.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("| Model |", accuracy.Error, StringComparison.Ordinal);
        Assert.Equal(2, notANumber.ExitCode);
        Assert.Contains("[MODEL_NUMBER]", notANumber.Error, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class VerivaliCommandTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_regency_opens_follows_closes_and_exports_a_period_from_the_cli(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1).Family(2).Family(3, village: "33.14.01.2002").WriteCsv();
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file)).ExitCode);

        var none = await CliRunner.RunAsync(test.Database, "verivali", "progress");
        Assert.Equal(2, none.ExitCode);

        var opened = await CliRunner.RunAsync(test.Database, "verivali", "open", "Semester I 2027", "--user", "dinsos");
        Assert.Equal(0, opened.ExitCode);
        var columns = opened.Out.Trim().Split('\t');
        var periodId = columns[0];
        // Three families never verified: each is on its village's worklist; then the duplicates search ran.
        Assert.Equal("3", columns[2]);
        Assert.True(opened.Error.Contains("Dugaan ganda: ", StringComparison.Ordinal), opened.Error);

        var again = await CliRunner.RunAsync(test.Database, "verivali", "open", "Semester II 2027");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("[PERIOD_OPEN]", again.Error, StringComparison.Ordinal);

        var progress = await CliRunner.RunAsync(test.Database, "verivali", "progress", "--json");
        Assert.Equal(0, progress.ExitCode);
        var villages = JsonDocument.Parse(progress.Out).RootElement.GetProperty("villages").EnumerateArray()
            .ToDictionary(v => v.GetProperty("kodeDesa").GetString()!, v => v.GetProperty("lines").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["33.14.01.2001"] = 2, ["33.14.01.2002"] = 1 }, villages);

        var proposal = Path.Combine(Path.GetTempPath(), "usulan-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            var exported = await CliRunner.RunAsync(test.Database, "verivali", "export", periodId, "--out", proposal);
            Assert.Equal(0, exported.ExitCode);
            // Nothing is decided yet: the proposal has its header and no line.
            Assert.Single(File.ReadAllLines(proposal), line => line.Length > 0);
        }
        finally
        {
            File.Delete(proposal);
        }

        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "verivali", "close", periodId)).ExitCode);
        var closedTwice = await CliRunner.RunAsync(test.Database, "verivali", "close", periodId);
        Assert.Equal(2, closedTwice.ExitCode);
        Assert.Contains("[PERIOD_CLOSED]", closedTwice.Error, StringComparison.Ordinal);

        await using var db = test.Database.CreateDb();
        var trail = await db.AuditLog.Where(e => e.SubjectType == "verivali").OrderBy(e => e.Id).Select(e => e.Action + " " + e.Actor).ToListAsync();
        // Opened (and its duplicates search), exported, closed.
        Assert.Equal(["ubah dinsos", "ubah dinsos", "ekspor cli:" + Environment.UserName, "ubah cli:" + Environment.UserName], trail);
    }
}

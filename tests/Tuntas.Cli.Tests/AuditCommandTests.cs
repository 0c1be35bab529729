using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class AuditCommandTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Audit_verify_passes_on_an_intact_trail_and_exits_non_zero_after_an_edit(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = new ImportFileBuilder().Family(1).Family(2).WriteCsv();
        var first = await CliRunner.RunAsync(test.Database, "import", "families", path);
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", path)).ExitCode);

        var intact = await CliRunner.RunAsync(test.Database, "audit", "verify");
        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("2 entri", intact.Out, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync(test.Database, "audit", "list");
        Assert.Contains("impor", list.Out, StringComparison.Ordinal);

        await using (var db = test.Database.CreateDb())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_log SET actor = 'orang-lain' WHERE id = 1");
        }
        var broken = await CliRunner.RunAsync(test.Database, "audit", "verify");
        Assert.Equal(3, broken.ExitCode);
        Assert.Contains("#1 [diubah]", broken.Error, StringComparison.Ordinal);
    }
}

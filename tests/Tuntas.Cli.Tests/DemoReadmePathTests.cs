using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

/// <summary>
/// The README's demo path as a test: a demo install (the demo registry, seed 1 as the web app's first run makes it),
/// then <c>tuntas demo --families 200 --out x.csv</c> and its import — which must add 200 families with no error, not
/// collide with the demo residents' NIKs.
/// </summary>
public sealed class DemoReadmePathTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_generated_file_imports_into_a_demo_install_with_no_error(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "demo", "--families", "3000")).ExitCode);
        var file = Path.Combine(Path.GetTempPath(), "tuntas-demo-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "demo", "--families", "200", "--out", file)).ExitCode);

            var import = await CliRunner.RunAsync(test.Database, "import", "families", file);

            Assert.True(import.ExitCode == 0, import.Out + import.Error);
            await using var db = test.Database.CreateDb();
            Assert.Equal(3200, await db.Families.CountAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary><c>--faults</c> produces the faults it names, by the import's own codes.</summary>
    [Fact]
    public async Task A_faults_file_imported_into_a_demo_install_reports_the_faults_it_names_and_no_other()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "demo", "--families", "3000")).ExitCode);
        var file = Path.Combine(Path.GetTempPath(), "tuntas-faults-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            var generated = await CliRunner.RunAsync(test.Database, "demo", "--families", "400", "--faults", "0.1", "--out", file);
            Assert.Equal(0, generated.ExitCode);

            var import = await CliRunner.RunAsync(test.Database, "import", "families", file, "--dry-run", "--json");

            var codes = System.Text.RegularExpressions.Regex.Matches(import.Out + import.Error, "\"code\":\\s*\"([A-Z_]+)\"").Select(m => m.Groups[1].Value)
                .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
            // The generator names its faults by the import's codes ("FAMILY_NO_HEAD 10, FAMILY_CONFLICT 9, …"); the import
            // reports exactly those, and nothing else — no collision with the demo residents.
            var named = System.Text.RegularExpressions.Regex.Matches(generated.Error, @"\b([A-Z]+_[A-Z_]+) (\d+)")
                .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(named["DUPLICATE_PERSON"] > 0 && named["FAMILY_NO_HEAD"] > 0 && named["FAMILY_CONFLICT"] > 0 && named["NIK_BIRTHDATE_MISMATCH"] > 0, generated.Error);
            named.Remove("DUPLICATE_PERSON"); // a second NIK is lawful at import; `tuntas duplicates find` finds these
            // Likely duplicates are advice to the operator, counted against the whole registry (docs/linkage.md), not faults.
            codes.Remove("DUPLICATE_SUSPECT");
            Assert.Equal(named.OrderBy(n => n.Key), codes.OrderBy(c => c.Key));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

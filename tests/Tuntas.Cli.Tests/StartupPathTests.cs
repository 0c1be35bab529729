using Microsoft.EntityFrameworkCore;
using Tuntas.Imports;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

/// <summary>
/// Everyday commands skip EF (docs/cli-startup.md): the rows they write and read by plain statements must be the ones the
/// back office reads through EF.
/// </summary>
public sealed class StartupPathTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_dry_run_records_its_job_as_the_back_office_reads_it(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = new ImportFileBuilder().Family(1).Family(2).WriteCsv();
        var result = await CliRunner.RunAsync(test.Database, "import", "families", path, "--dry-run", "--user", "operator.uji");
        Assert.Equal(0, result.ExitCode);

        await using var db = test.Database.CreateDb();
        var job = await db.ImportJobs.AsNoTracking().SingleAsync();
        Assert.Equal(ImportJob.Validated, job.Status);
        Assert.True(job.DryRun);
        Assert.Equal(Path.GetFileName(path), job.FileName);
        Assert.Equal("operator.uji", job.CreatedBy);
        Assert.StartsWith("cli:", job.Runner, StringComparison.Ordinal);
        Assert.True(job.RowsDone > 0);
        Assert.Equal(job.RowsDone, job.RowsTotal);
        Assert.Equal(64, job.Sha256!.Length);
        Assert.Contains("\"dryRun\": true", job.ReportJson, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(job.FinishedAt!.Value, job.CreatedAt, DateTime.UtcNow.AddMinutes(1));
        Assert.False(job.ScopeRegency);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Users_are_listed_by_name_with_role_region_organization_and_state(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "zaenal", "--role", "operator-desa", "--region", "33.14.01.2001")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "csr.b", "--role", "mitra", "--organization", "PT B")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "disable", "csr.b")).ExitCode);

        var listed = await CliRunner.RunAsync(test.Database, "users", "list");

        Assert.Equal(0, listed.ExitCode);
        var lines = listed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["csr.b\tmitra\t-\tPT B\tnonaktif", "zaenal\toperator-desa\t33.14.01.2001\t-\taktif"], lines);
    }
}

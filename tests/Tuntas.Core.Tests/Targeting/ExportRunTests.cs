using System.Globalization;
using System.Text;
using Tuntas.Demo;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Targeting;

/// <summary>The export writes each row straight from the reader; its bytes must stay those of the rows it describes.</summary>
public sealed class ExportRunTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_export_writes_every_result_row_as_the_run_results_read_it(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 400, Seed: 5), null, CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var run = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new RunTargeting.Input("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);

        var expected = new StringBuilder(string.Join(',', ExportRun.Header)).Append(Environment.NewLine);
        var c = CultureInfo.InvariantCulture;
        await foreach (var r in RunResults.ReadAsync(test.Database, run.Id, CancellationToken.None))
        {
            expected.Append(string.Join(',', r.NoKk, r.KodeDesa, r.SkorPmt is { } pmt ? Math.Round(pmt).ToString(c) : "", r.Desil?.ToString(c),
                r.KriteriaBps?.ToString(c), r.MiskinBps?.ToString(c), r.ProgramEligible, r.SkorIndeks?.ToString(c), r.KriteriaTidakDiketahui?.ToString(c),
                r.ProgramUndetermined, r.Members.ToString(c))).Append(Environment.NewLine);
        }
        using var stream = new MemoryStream();
        var rows = await new ExportRun(test.Database).RunAsync(run.Id, stream, CancellationToken.None);

        Assert.Equal(400, rows);
        var written = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(expected.ToString(), written);
        Assert.Contains(",,", written, StringComparison.Ordinal); // some undetermined values, written empty
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_run_is_found_by_id_or_latest_and_an_unknown_one_is_refused(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await Assert.ThrowsAsync<TargetingException>(() => FindRun.IdByReferenceAsync(test.Database, "latest", CancellationToken.None));
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 50, Seed: 5), null, CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var first = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new RunTargeting.Input("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);
        var second = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new RunTargeting.Input("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);

        Assert.Equal(second.Id, await FindRun.IdByReferenceAsync(test.Database, " terbaru ", CancellationToken.None));
        Assert.Equal(first.Id, await FindRun.IdByReferenceAsync(test.Database, first.Id.ToString(CultureInfo.InvariantCulture), CancellationToken.None));
        await Assert.ThrowsAsync<TargetingException>(() => FindRun.IdByReferenceAsync(test.Database, "99999", CancellationToken.None));
        await Assert.ThrowsAsync<TargetingException>(() => FindRun.IdByReferenceAsync(test.Database, "kemarin", CancellationToken.None));
    }
}

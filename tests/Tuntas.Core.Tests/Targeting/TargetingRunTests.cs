using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tuntas.Demo;
using Tuntas.Regions;
using Tuntas.Targeting;
using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Targeting;

public sealed class TargetingRunTests
{
    private static readonly DateOnly _asOf = new(2026, 11, 23);

    private static async Task<TestDatabase> DemoRegistryAsync(string provider, int families = 1500)
    {
        var test = await TestDatabase.CreateAsync(provider);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: families, Seed: 3), null, CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        return test;
    }

    private static Task<TargetingRun> RunAsync(TestDatabase test) =>
        new RunTargeting(test.Database, TimeProvider.System).RunAsync(new RunTargeting.Input("uji", _asOf), CancellationToken.None);

    private static async Task<string> ExportAsync(TestDatabase test, long run)
    {
        using var stream = new MemoryStream();
        await new ExportRun(test.Database).RunAsync(run, stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>At 06:30 WIB on 11 March (23:30 UTC on the 10th) a run without a reference date counts ages on the regency's
    /// today, not UTC's: a member born on 11 March is a year older than UTC's date says.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_run_without_a_reference_date_is_as_of_the_regencys_today(string provider)
    {
        await using var test = await DemoRegistryAsync(provider, families: 200);
        var morning = new Tuntas.Core.Tests.Imports.FixedClock(new DateTimeOffset(2026, 3, 10, 23, 30, 0, TimeSpan.Zero));

        var run = await new RunTargeting(test.Database, morning, Options.Create(RegencyOptions.Default)).RunAsync(new RunTargeting.Input("uji"), CancellationToken.None);

        Assert.Equal(new DateOnly(2026, 3, 11), run.AsOf);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Same_inputs_give_the_same_hash_and_the_same_results(string provider)
    {
        await using var test = await DemoRegistryAsync(provider);
        var first = await RunAsync(test);
        var second = await RunAsync(test);
        Assert.Equal(first.InputHash, second.InputHash);
        var a = await ExportAsync(test, first.Id);
        Assert.Equal(a, await ExportAsync(test, second.Id));
        Assert.StartsWith("NO_KK,KODE_DESA,SKOR_PMT,DESIL,KRITERIA_BPS,MISKIN_BPS,PROGRAM_ELIGIBLE", a, StringComparison.Ordinal);
        Assert.Equal(1501, a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var compare = await new CompareRuns(test.Database).RunAsync(new(first.Id, second.Id), CancellationToken.None);
        Assert.True(compare.SameInputs);
        Assert.All(compare.Programs, p => Assert.Equal(0, p.Entered + p.Left));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_run_stores_deciles_eligibility_and_village_counts_that_agree(string provider)
    {
        await using var test = await DemoRegistryAsync(provider);
        var run = await RunAsync(test);
        var summary = JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;
        Assert.Equal(1500, summary.Families);
        Assert.Equal(summary.Persons, summary.Deciles.Sum(d => d.Persons));
        // Person-weighted deciles: each holds about a tenth of the persons.
        Assert.All(summary.Deciles, d => Assert.InRange(d.Persons, summary.Persons * 0.07, summary.Persons * 0.13));
        Assert.Equal(10, summary.Programs.Count);
        var bpnt = summary.Programs.Single(p => p.Program == "BPNT");
        // BPNT is desil ≤ 4: exactly the families in deciles 1–4.
        Assert.Equal(summary.Deciles.Where(d => d.Desil <= 4).Sum(d => d.Families), bpnt.Families);

        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT SUM(value) FROM targeting_run_counts WHERE run_id = {run.Id} AND measure = 'layak:BPNT'";
        Assert.Equal(bpnt.Families, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));

        var fit = JsonSerializer.Deserialize<RunInputs>(run.Inputs, RunTargeting.Json)!.Fit!;
        Assert.InRange(fit.RSquared, 0.3, 1);
        Assert.Equal(1500, fit.SampleSize);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_preview_counts_what_the_rule_will_select_and_a_changed_rule_shows_in_the_comparison(string provider)
    {
        await using var test = await DemoRegistryAsync(provider);
        var first = await RunAsync(test);
        const string narrower = """{"all": [{"<=": [{"field": "desil"}, 2]}, {">=": [{"field": "jumlah_anggota"}, 1]}]}""";
        var preview = await new PreviewRule(test.Database, new SnapshotCache(), TimeProvider.System)
            .RunAsync(new PreviewRule.Input("BPNT", narrower), CancellationToken.None);
        Assert.Empty(preview.Issues);
        Assert.Equal(preview.Families, preview.Districts.Sum(d => d.Families));

        await using (var db = test.Database.CreateDb())
        {
            var saved = await new SaveEligibilityRule(db, TimeProvider.System).RunAsync(new("BPNT", "BPNT desil 1–2", narrower, "uji"), CancellationToken.None);
            Assert.Equal(2, saved.Saved!.Version);
        }
        var second = await RunAsync(test);
        Assert.NotEqual(first.InputHash, second.InputHash);
        var summary = JsonSerializer.Deserialize<RunSummary>(second.Summary, RunTargeting.Json)!;
        Assert.Equal(preview.Families, summary.Programs.Single(p => p.Program == "BPNT").Families);

        var compare = await new CompareRuns(test.Database).RunAsync(new(first.Id, second.Id), CancellationToken.None);
        var bpnt = compare.Programs.Single(p => p.Program == "BPNT");
        Assert.True(bpnt.Left > 0);
        Assert.Equal(0, bpnt.Entered);
        Assert.All(bpnt.Changes, c => Assert.Contains("aturan / rule BPNT v1 → v2", c.Reasons));
        Assert.Contains("aturan / rule BPNT: v1 → v2", compare.InputChanges);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_rule_that_refers_to_itself_through_another_is_refused_and_nothing_is_saved(string provider)
    {
        await using var test = await DemoRegistryAsync(provider, families: 50);
        await using var db = test.Database.CreateDb();
        // RTLHKAB already refers to BSPS; making BSPS refer to RTLHKAB closes the loop.
        var outcome = await new SaveEligibilityRule(db, TimeProvider.System).RunAsync(
            new("BSPS", "lingkar", """{"eligible": "RTLHKAB"}""", "uji"), CancellationToken.None);
        Assert.Null(outcome.Saved);
        var issue = Assert.Single(outcome.Issues);
        Assert.Equal("SELF_REFERENCE", issue.Code);
        Assert.Contains("BSPS → RTLHKAB → BSPS", issue.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.EligibilityRules.CountAsync(r => r.ProgramCode == "BSPS"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_calibration_sample_too_small_or_collinear_is_reported_and_the_run_goes_on_without_it(string provider)
    {
        await using var test = await DemoRegistryAsync(provider, families: 100);
        await using (var db = test.Database.CreateDb())
        {
            var pmt = SeedTargetingDefaults.Read("PMT.json");
            var saved = await new Tuntas.Targeting.Models.SaveTargetingModel(db, TimeProvider.System).RunAsync(new("PMT", pmt, "uji"), CancellationToken.None);
            Assert.NotNull(saved.Saved);
        }
        var small = await RunAsync(test);
        Assert.Equal("SAMPLE_TOO_SMALL", Assert.Single(JsonSerializer.Deserialize<RunSummary>(small.Summary, RunTargeting.Json)!.Skipped!).Problem);
        Assert.Equal("skor", small.DecileModel);

        await using var big = await DemoRegistryAsync(provider, families: 600);
        await using (var db = big.Database.CreateDb())
        {
            const string collinear = """
                {"jenis": "regresi", "nama": "kolinear", "garisKemiskinan": 453663, "variabel": [
                  {"kode": "anggota", "nilai": {"field": "jumlah_anggota"}},
                  {"kode": "anggota_lagi", "nilai": {"*": [{"field": "jumlah_anggota"}, 2]}}]}
                """;
            await new Tuntas.Targeting.Models.SaveTargetingModel(db, TimeProvider.System).RunAsync(new("PMT", collinear, "uji"), CancellationToken.None);
        }
        var run = await RunAsync(big);
        var summary = JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;
        var skipped = Assert.Single(summary.Skipped!);
        Assert.Equal(("PMT", "COLLINEAR"), (skipped.Code, skipped.Problem));
        Assert.Contains("anggota_lagi", skipped.Message, StringComparison.Ordinal);
        Assert.Equal(600, summary.Deciles.Sum(d => d.Families) + summary.WithoutDecile);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Missing_data_is_reported_per_criterion_never_counted_as_met_or_not(string provider)
    {
        await using var test = await DemoRegistryAsync(provider, families: 400);
        await using (var connection = await test.Database.OpenConnectionAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE families SET daging_per_minggu = NULL, makan_per_hari = NULL";
            await command.ExecuteNonQueryAsync();
        }
        var run = await RunAsync(test);
        var summary = JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;
        Assert.Equal(400, summary.Criteria!.UnknownByCriterion[7]);   // K08 meat
        Assert.Equal(400, summary.Criteria.UnknownByCriterion[9]);    // K10 meals
        Assert.Equal(0, summary.Criteria.MetByCriterion[7]);
        Assert.Equal(400, summary.Criteria.WithUnknownCriteria);
        Assert.Equal(400, summary.Criteria.Poor + summary.Criteria.NotPoor + summary.Criteria.Undetermined);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_quota_is_spread_over_villages_without_exceeding_their_eligible_families(string provider)
    {
        await using var test = await DemoRegistryAsync(provider);
        var run = await RunAsync(test);
        var outcome = await new AllocateQuota(test.Database).RunAsync(new(run.Id, "PKH", 100), CancellationToken.None);
        Assert.Equal(Math.Min(100, outcome.Eligible), outcome.Allocated);
        Assert.All(outcome.Villages, v => Assert.InRange(v.Allocated, 0, v.Eligible));
        Assert.Equal(outcome.Allocated, outcome.Families.Count(f => f.Selected));
        var again = await new AllocateQuota(test.Database).RunAsync(new(run.Id, "PKH", 100), CancellationToken.None);
        Assert.Equal(outcome.Families.Where(f => f.Selected).Select(f => f.NoKk), again.Families.Where(f => f.Selected).Select(f => f.NoKk));

        var accuracy = await new MeasureAccuracy(test.Database).RunAsync(new(run.Id, 0.2), CancellationToken.None);
        Assert.Equal(4, accuracy.Models.Count);
        Assert.All(accuracy.Models, m => Assert.InRange(m.Coverage, 0, 1));
    }
}

public sealed class SnapshotCacheTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_cached_snapshot_is_reloaded_after_an_import_changes_the_registry(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 200, Seed: 5), null, CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var cache = new SnapshotCache();
        var preview = new PreviewRule(test.Database, cache, TimeProvider.System);
        var everyone = await preview.RunAsync(new PreviewRule.Input(null, """{">=": [{"field": "jumlah_anggota"}, 1]}"""), CancellationToken.None);
        Assert.Equal(200, everyone.Families);
        // The preview's day before any run: the regency's today.
        var today = RegencyOptions.Default.Today(TimeProvider.System);
        var first = await cache.SnapshotAsync(test.Database, today, CancellationToken.None);
        Assert.Same(first, await cache.SnapshotAsync(test.Database, today, CancellationToken.None));

        var file = new ImportFileBuilder().Family(90001).Family(90002).WriteCsv();
        var report = await new Tuntas.Imports.ImportFamilies(test.Database, TimeProvider.System)
            .RunAsync(new(file, "tambahan.csv", false, "uji"), null, CancellationToken.None);
        Assert.True(report.Committed, report.ToJson());
        var after = await preview.RunAsync(new PreviewRule.Input(null, """{">=": [{"field": "jumlah_anggota"}, 1]}"""), CancellationToken.None);
        Assert.Equal(202, after.Families);
    }
}

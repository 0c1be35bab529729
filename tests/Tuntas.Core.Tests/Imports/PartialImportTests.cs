using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Imports;
using Tuntas.Targeting;
using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Imports;

/// <summary>A file updates only the columns it carries; housing and asset columns may be left out (docs/import-profiles.md).</summary>
public sealed class PartialImportTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));

    /// <summary>What a village's population system knows: address and persons, no REGSOSEK housing answers.</summary>
    private static readonly string[] _populationColumns =
        ["KODE_DESA", "NO_KK", "ALAMAT", "RT", "RW", "NIK", "NAMA", "JENIS_KELAMIN", "TEMPAT_LAHIR", "TANGGAL_LAHIR",
         "HUBUNGAN_KK", "STATUS_KAWIN", "PENDIDIKAN", "PEKERJAAN", "DISABILITAS"];

    /// <summary>What a DTKS/REGSOSEK list knows: the housing and assets, the persons, but not the address.</summary>
    private static readonly string[] _housingColumns =
        ["KODE_DESA", "NO_KK", "STATUS_BANGUNAN", "LUAS_LANTAI", "JENIS_LANTAI", "JENIS_DINDING", "JENIS_ATAP",
         "SUMBER_AIR_MINUM", "SUMBER_PENERANGAN", "DAYA_LISTRIK", "BAHAN_BAKAR_MASAK", "FASILITAS_BAB", "ASET_TV",
         "ASET_SEPEDA_MOTOR", "NIK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "HUBUNGAN_KK", "STATUS_KAWIN", "PENDIDIKAN",
         "DISABILITAS", "BEKERJA", "PENGHASILAN"];

    private static Task<ImportReport> ImportAsync(TestDatabase test, string path) =>
        new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(path, Path.GetFileName(path), false, "operator-kab"), null, CancellationToken.None);

    private static ImportFileBuilder Families()
    {
        var file = new ImportFileBuilder()
            .Family(1, children: 2, familyFields: f => f["ALAMAT"] = "Dukuh Ngablak")
            .Family(2, wife: false, children: 0, familyFields: f => f["ALAMAT"] = "Dukuh Tegalrejo");
        file.Rows[0]["NAMA"] = "Sukijo Wiryo Sumarto";
        file.Rows[1]["NAMA"] = "Sri Lestari";
        return file;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_family_without_housing_columns_is_imported_with_those_fields_unknown(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = Families();
        file.Header = _populationColumns;

        var report = await ImportAsync(test, file.WriteCsv());

        Assert.True(report.Committed, report.Failure + string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Code}")));
        Assert.Equal(2, report.Families.Added);
        await using var db = test.Database.CreateDb();
        var family = await db.Families.SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(1));
        Assert.Equal("Dukuh Ngablak", family.Alamat);
        Assert.Null(family.StatusBangunan);
        Assert.Null(family.LuasLantai);
        Assert.Null(family.FasilitasBab);
        Assert.Null(family.AsetTv);
        Assert.Null(family.DesilNasional);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Population_then_housing_fills_both_and_neither_blanks_the_other(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var population = Families();
        population.Header = _populationColumns;
        var populationPath = population.WriteCsv();
        var housing = new ImportFileBuilder { Header = _housingColumns };
        foreach (var row in population.Rows)
        {
            housing.Rows.Add(new Dictionary<string, string>(row, StringComparer.Ordinal));
        }
        await ImportAsync(test, populationPath);

        var second = await ImportAsync(test, housing.WriteCsv());

        Assert.True(second.Committed, second.Failure + string.Join("\n", second.Errors.Select(e => $"{e.Row} {e.Column} {e.Code}")));
        Assert.Equal((0, 2, 0), (second.Families.Added, second.Families.Updated, second.Families.Unchanged));
        // BEKERJA (and the head's PENGHASILAN) are new for every member.
        Assert.Equal(5, second.Persons.Updated);
        await using (var db = test.Database.CreateDb())
        {
            var family = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(1));
            Assert.Equal(("Dukuh Ngablak", "001", 8, 36.0, true), (family.Alamat, family.Rt, family.JenisLantai, family.LuasLantai, family.AsetTv));
            var head = family.Persons.Single(p => p.HubunganKk == 1);
            Assert.Equal(("Sragen", "Buruh Tani", 900000L), (head.TempatLahir, head.Pekerjaan, head.Penghasilan));
            var history = await db.FamilyChanges.Where(c => c.FamilyId == family.Id && c.Field == "ALAMAT").CountAsync();
            Assert.Equal(0, history);
        }

        var again = await ImportAsync(test, populationPath);

        Assert.True(again.Committed);
        Assert.Equal((0, 0, 2), (again.Families.Added, again.Families.Updated, again.Families.Unchanged));
        Assert.Equal(0, again.Persons.Updated);
        await using (var db = test.Database.CreateDb())
        {
            var family = await db.Families.SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(1));
            Assert.Equal((8, 10), (family.JenisLantai, family.BahanBakarMasak));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_changed_cell_in_a_partial_file_updates_that_column_only(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var full = Families();
        await ImportAsync(test, full.WriteCsv());
        var population = Families();
        population.Header = _populationColumns;
        for (var i = 0; i < population.Rows.Count; i++)
        {
            population.Rows[i]["NIK"] = full.Rows[i]["NIK"];
            population.Rows[i]["RT"] = "7";
        }

        var report = await ImportAsync(test, population.WriteCsv());

        Assert.True(report.Committed, report.Failure + string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Code}")));
        Assert.Equal(2, report.Families.Updated);
        await using var db = test.Database.CreateDb();
        var family = await db.Families.SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(1));
        Assert.Equal(("007", 8, 2), (family.Rt, family.JenisLantai, family.DesilNasional));
        var changes = await db.FamilyChanges.Where(c => c.FamilyId == family.Id && c.PersonId == null && c.Field != "KELUARGA_BARU")
            .Select(c => c.Field).ToListAsync();
        Assert.Equal(["RT"], changes);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_of_family_columns_only_updates_existing_families_and_refuses_a_new_one(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var population = Families();
        population.Header = _populationColumns;
        await ImportAsync(test, population.WriteCsv());
        var housing = new ImportFileBuilder { Header = ["KODE_DESA", "NO_KK", "STATUS_BANGUNAN", "JENIS_LANTAI", "ASET_TV"] };
        foreach (var serial in new[] { 1, 2, 3 })
        {
            housing.Rows.Add(new(StringComparer.Ordinal)
            {
                ["KODE_DESA"] = "33.14.01.2001",
                ["NO_KK"] = ImportFileBuilder.NoKkFor(serial),
                ["STATUS_BANGUNAN"] = "1",
                ["JENIS_LANTAI"] = serial.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ASET_TV"] = "0",
            });
        }

        var refused = await ImportAsync(test, housing.WriteCsv());

        var error = Assert.Single(refused.Errors);
        Assert.Equal(("FAMILY_NO_MEMBERS", 4L, "NO_KK"), (error.Code, error.Row, error.Column));
        Assert.Contains("members", error.MessageEn, StringComparison.Ordinal);
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(0, await db.Families.CountAsync(f => f.StatusBangunan != null));
        }

        housing.Rows.RemoveAt(2);
        var report = await ImportAsync(test, housing.WriteCsv());

        Assert.True(report.Committed, report.Failure + string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Code}")));
        Assert.Equal((0, 2, 0), (report.Families.Added, report.Families.Updated, report.Families.Unchanged));
        Assert.Equal((0, 0, 0), (report.Persons.Added, report.Persons.Updated, report.Persons.Unchanged));
        Assert.Empty(report.Warnings);
        await using (var db = test.Database.CreateDb())
        {
            var family = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(2));
            Assert.Equal((1, 2, false, "Dukuh Tegalrejo"), (family.StatusBangunan, family.JenisLantai, family.AsetTv, family.Alamat));
            Assert.Single(family.Persons);
        }
        var again = await ImportAsync(test, housing.WriteCsv());
        Assert.Equal((0, 0, 2), (again.Families.Added, again.Families.Updated, again.Families.Unchanged));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Targeting_without_a_consumption_sample_skips_the_regression_and_still_ranks_and_selects(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (run, summary) = await SixtyFamiliesTargetedAsync(test, 500, "PENGELUARAN_PERKAPITA", "DESIL_NASIONAL");

        var skipped = Assert.Single(summary.Skipped!);
        Assert.Equal(("regresi", "SAMPLE_TOO_SMALL"), (skipped.Kind, skipped.Problem));
        Assert.NotEqual("regresi", run.DecileModel);
        Assert.NotNull(summary.Criteria);
        Assert.Equal(60, summary.Deciles.Sum(d => d.Families) + summary.WithoutDecile);
        Assert.True(summary.Deciles.Sum(d => d.Families) > 0);
        Assert.NotEmpty(summary.Programs);
    }

    /// <summary>OpenSID's population file and DTKS carry no savings, meals-a-day or treatment question: a registry built
    /// from them has no answer to three of the index's indicators for any family. They are left out of the index and
    /// named in the run (before, each counted as every family's unknown, one more than the index allows: no family got
    /// an index, so none a decile, and no program found anyone eligible).</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Indicators_no_family_has_data_for_are_left_out_of_the_index_and_the_families_still_get_deciles(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (run, summary) = await SixtyFamiliesTargetedAsync(test, 700,
            "PENGELUARAN_PERKAPITA", "DESIL_NASIONAL", "TABUNGAN_500RB", "MAKAN_PER_HARI", "MAMPU_BEROBAT", "DAGING_PER_MINGGU", "PAKAIAN_PER_TAHUN");

        Assert.NotNull(summary.AbsentIndicators);
        Assert.NotEmpty(summary.AbsentIndicators);
        Assert.True(summary.Deciles.Sum(d => d.Families) >= 50, $"{summary.WithoutDecile} of 60 without a decile (model {run.DecileModel})");
        Assert.Contains(summary.Programs, p => p.Families > 0);

        // The index left tells few values apart (floor and TV here): families of one value share one decile, whatever
        // the order they were registered in, and the run says the deciles are coarse.
        Assert.Equal("skor", run.DecileModel);
        var byScore = new Dictionary<double, HashSet<int>>();
        await using (var connection = await test.Database.OpenConnectionAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT skor_indeks, desil FROM targeting_results WHERE run_id = {run.Id} AND desil IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                byScore.TryAdd(reader.GetDouble(0), []);
                byScore[reader.GetDouble(0)].Add(reader.GetInt32(1));
            }
        }
        Assert.All(byScore, s => Assert.True(s.Value.Count == 1, $"index {s.Key}: deciles {string.Join(", ", s.Value)}"));
        var coarse = Assert.IsType<Deciles.Spread>(summary.CoarseDeciles);
        Assert.Equal(byScore.Count, coarse.Values);
        Assert.True(coarse.LargestTiePersons * 10 > coarse.Persons);
    }

    /// <summary>A quota by rank that ends inside a group of families the models rank equal gives the group's seats to its
    /// villages in proportion, not to the lower NO_KKs (which favoured the lower kecamatan codes), and says so.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_quota_ending_among_equals_spreads_their_seats_over_their_villages(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder();
        for (var i = 1; i <= 60; i++)
        {
            // Twenty poorer families (earth floor), ten in each of two kecamatan, the lower one first by NO_KK; forty
            // richer. The index tells only the floor apart: one group of twenty equals below the quota's end, all within
            // deciles 1-4 (a third of the persons).
            var poorer = i <= 20;
            file.Family(900 + i, children: 1, village: (i - 1) % 20 < 10 ? "33.14.01.2001" : "33.14.02.2001", familyFields: f =>
            {
                foreach (var column in new[] { "PENGELUARAN_PERKAPITA", "DESIL_NASIONAL", "TABUNGAN_500RB", "MAKAN_PER_HARI", "MAMPU_BEROBAT" })
                {
                    f[column] = "";
                }
                f["JENIS_LANTAI"] = poorer ? "7" : "1";
            });
        }
        var imported = await ImportAsync(test, file.WriteCsv());
        Assert.True(imported.Committed, imported.Failure + string.Join("\n", imported.Errors.Select(e => $"{e.Row} {e.Column} {e.Code}")));
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var run = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new RunTargeting.Input("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);

        var outcome = await new AllocateQuota(test.Database).RunAsync(new(run.Id, "BPNT", 10, AllocateQuota.ByRank), CancellationToken.None);

        Assert.Equal(20, outcome.Eligible);
        Assert.Equal(new AllocateQuota.Tie(20, 10), outcome.TiedAtCut);
        Assert.Equal([("33.14.01.2001", 5), ("33.14.02.2001", 5)], outcome.Villages.Select(v => (v.KodeDesa, v.Allocated)));
        Assert.Equal(10, outcome.Families.Count(f => f.Selected));
        // A quota that takes the whole group has no tie at its end.
        Assert.Null((await new AllocateQuota(test.Database).RunAsync(new(run.Id, "BPNT", 20, AllocateQuota.ByRank), CancellationToken.None)).TiedAtCut);
    }

    /// <summary>
    /// An index that tells only the floor apart puts half the regency's persons in one group of equals. Their middle
    /// falls in decile 3, and "desil ≤ 4" made every one of them eligible for BPNT, PKH and PBI-JK: half the regency,
    /// from one question. The group spans deciles 1-5; a cut inside it cannot say which of them are in the poorest
    /// four tenths, so the run and a rule's preview call them undetermined (belum pasti) and say why; a cut the whole
    /// span is on one side of still decides.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_program_cut_inside_the_deciles_a_group_of_equals_spans_leaves_the_group_undetermined(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder();
        for (var i = 1; i <= 60; i++)
        {
            var poorer = i <= 30;
            file.Family(1300 + i, children: 1, familyFields: f =>
            {
                foreach (var column in new[] { "PENGELUARAN_PERKAPITA", "DESIL_NASIONAL", "TABUNGAN_500RB", "MAKAN_PER_HARI", "MAMPU_BEROBAT" })
                {
                    f[column] = "";
                }
                f["JENIS_LANTAI"] = poorer ? "7" : "1";
            });
        }
        Assert.True((await ImportAsync(test, file.WriteCsv())).Committed);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var run = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new RunTargeting.Input("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);
        var summary = JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;

        var bpnt = summary.Programs.Single(p => p.Program == "BPNT");
        Assert.Equal((0, 30), (bpnt.Families, bpnt.Undetermined));
        Assert.Equal(60, summary.DecileRangeFamilies);
        var spans = new List<(int Desil, int Lowest, int Highest, string Undetermined)>();
        await using (var connection = await test.Database.OpenConnectionAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT desil, desil_terendah, desil_tertinggi, program_undetermined FROM targeting_results WHERE run_id = {run.Id}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                spans.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3)));
            }
        }
        Assert.Equal([(3, 1, 5), (8, 6, 10)], spans.Select(x => (x.Desil, x.Lowest, x.Highest)).Distinct().Order());
        Assert.All(spans.Where(x => x.Desil == 3), x => Assert.Contains("BPNT", x.Undetermined, StringComparison.Ordinal));

        // The preview of a rule reads the same spans back: a cut inside one is undetermined, one beside it decides, and a
        // list holds only where it holds for the whole span.
        var preview = new PreviewRule(test.Database, new SnapshotCache(), TimeProvider.System);
        async Task<(int Families, int Undetermined)> Count(string rule) =>
            await preview.RunAsync(new PreviewRule.Input(null, rule), CancellationToken.None) is var o ? (o.Families, o.Undetermined) : default;
        Assert.Equal((0, 30), await Count("""{ "<=": [{ "field": "desil" }, 4] }"""));
        Assert.Equal((0, 30), await Count("""{ ">=": [4, { "field": "desil" }] }"""));
        Assert.Equal((30, 0), await Count("""{ "<=": [{ "field": "desil" }, 5] }"""));
        Assert.Equal((30, 0), await Count("""{ ">": [{ "field": "desil" }, 5] }"""));
        Assert.Equal((0, 30), await Count("""{ "=": [{ "field": "desil" }, 3] }"""));
        Assert.Equal((30, 30), await Count("""{ "!=": [{ "field": "desil" }, 3] }"""));
        Assert.Equal((60, 0), await Count("""{ "!=": [{ "field": "desil" }, 7.5] }"""));
        Assert.Equal((30, 0), await Count("""{ "in": [{ "field": "desil" }, [1, 2, 3, 4, 5]] }"""));
        Assert.Equal((0, 30), await Count("""{ "in": [{ "field": "desil" }, [1, 2, 3]] }"""));
    }

    /// <summary>Sixty families with the given columns empty in every row (floor and TV varied), imported, then a targeting
    /// run with the default models and rules.</summary>
    private static async Task<(TargetingRun Run, RunSummary Summary)> SixtyFamiliesTargetedAsync(TestDatabase test, int firstSerial, params string[] emptyColumns)
    {
        var file = new ImportFileBuilder();
        for (var i = 1; i <= 60; i++)
        {
            var serial = i;
            file.Family(firstSerial + i, children: i % 4, familyFields: f =>
            {
                foreach (var column in emptyColumns)
                {
                    f[column] = "";
                }
                f["JENIS_LANTAI"] = (1 + (serial % 9)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                f["ASET_TV"] = (serial % 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            });
        }
        var imported = await ImportAsync(test, file.WriteCsv());
        Assert.True(imported.Committed, imported.Failure + string.Join("\n", imported.Errors.Select(e => $"{e.Row} {e.Column} {e.Code}")));
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var run = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new RunTargeting.Input("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);
        return (run, JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!);
    }
}

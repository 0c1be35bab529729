using System.Globalization;
using Tuntas.Demo;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Core.Tests.Demo;

/// <summary>One 20,000-family Sragen file shared by the tests that only read it (generation takes about a second).</summary>
public sealed class SragenDemoFile
{
    public GenerateDemoRegistry.Outcome Outcome { get; }
    public DemoRows Rows { get; }

    public SragenDemoFile()
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        Outcome = new GenerateDemoRegistry().RunAsync(new(Families: 20_000, Seed: 7), writer, CancellationToken.None).GetAwaiter().GetResult();
        Rows = DemoRows.Parse(writer.ToString());
    }
}

public sealed class DemoRows
{
    public required string[] Header { get; init; }
    public required List<string[]> Rows { get; init; }

    public int Col(string name) => Array.IndexOf(Header, name) is var i and >= 0 ? i : throw new KeyNotFoundException(name);

    public static DemoRows Parse(string text)
    {
        Assert.DoesNotContain('\r', text);
        var lines = text.Split('\n');
        Assert.Equal("", lines[^1]); // ends with a newline
        var header = lines[0].Split(',');
        var rows = new List<string[]>(lines.Length);
        for (var i = 1; i < lines.Length - 1; i++)
        {
            var fields = lines[i].Split(',');
            Assert.Equal(header.Length, fields.Length);
            rows.Add(fields);
        }
        return new DemoRows { Header = header, Rows = rows };
    }

    /// <summary>Rows grouped by NO_KK in file order.</summary>
    public List<List<string[]>> Families()
    {
        var kk = Col("NO_KK");
        var families = new List<List<string[]>>();
        foreach (var row in Rows)
        {
            if (families.Count == 0 || families[^1][0][kk] != row[kk])
            {
                families.Add([]);
            }
            families[^1].Add(row);
        }
        return families;
    }
}

public sealed class GenerateDemoRegistryTests(SragenDemoFile file) : IClassFixture<SragenDemoFile>
{
    private const double SragenLine2024 = 453663;
    private static readonly DateOnly _today = GenerateDemoRegistry.ReferenceDate(2024);

    private static async Task<(string Text, GenerateDemoRegistry.Outcome Outcome)> GenerateAsync(GenerateDemoRegistry.Input input)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var outcome = await new GenerateDemoRegistry().RunAsync(input, writer, CancellationToken.None);
        return (writer.ToString(), outcome);
    }

    [Fact]
    public async Task Same_seed_gives_byte_identical_output()
    {
        var (a, _) = await GenerateAsync(new(Families: 1500, Seed: 42, FaultRate: 0.02));
        var (b, _) = await GenerateAsync(new(Families: 1500, Seed: 42, FaultRate: 0.02));
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Different_seed_gives_different_output()
    {
        var (a, _) = await GenerateAsync(new(Families: 500, Seed: 1));
        var (b, _) = await GenerateAsync(new(Families: 500, Seed: 2));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Header_is_the_spec_columns_family_first()
    {
        Assert.Equal(GenerateDemoRegistry.Columns, file.Rows.Header);
        Assert.Equal("KODE_DESA", file.Rows.Header[0]);
        Assert.Equal("PENGELUARAN_PERKAPITA", file.Rows.Header[37]);
        Assert.Equal("NIK", file.Rows.Header[38]);
        Assert.Equal("HAMIL", file.Rows.Header[^1]);
    }

    [Fact]
    public void Families_live_in_real_villages_of_the_regency_and_all_208_appear()
    {
        var villages = LoadRegions.ReadShippedRegions()
            .Where(r => r.Level == Region.Village && r.Code.StartsWith("33.14.", StringComparison.Ordinal))
            .Select(r => r.Code).ToHashSet();
        Assert.Equal(208, villages.Count);
        var desa = file.Rows.Col("KODE_DESA");
        var seen = file.Rows.Rows.Select(r => r[desa]).ToHashSet();
        Assert.Subset(villages, seen);
        Assert.Equal(208, seen.Count);
        Assert.Equal(208, file.Outcome.Villages);
        // Families are ordered by village code.
        var order = file.Rows.Rows.Select(r => r[desa]).ToList();
        Assert.True(order.Zip(order.Skip(1)).All(p => string.CompareOrdinal(p.First, p.Second) <= 0));
        // Village sizes vary (lognormal weights).
        var sizes = file.Rows.Families().GroupBy(f => f[0][desa]).Select(g => g.Count()).ToList();
        Assert.True(sizes.Max() > 2 * sizes.Min());
    }

    [Fact]
    public void Person_weighted_poverty_rate_equals_bps_p0_within_five_hundredths_of_a_point()
    {
        Assert.Equal(2024, file.Outcome.Year);
        Assert.Equal(SragenLine2024, file.Outcome.PovertyLine);
        Assert.Equal(12.41, file.Outcome.TargetP0);
        var consumption = file.Rows.Col("PENGELUARAN_PERKAPITA");
        var poor = file.Rows.Rows.Count(r => long.Parse(r[consumption], CultureInfo.InvariantCulture) < SragenLine2024);
        var p0 = 100.0 * poor / file.Rows.Rows.Count;
        Assert.InRange(p0, 12.36, 12.46);
        Assert.InRange(file.Outcome.AchievedP0, 12.36, 12.46);
        Assert.Equal(file.Rows.Rows.Count, file.Outcome.Persons);
        Assert.Equal(20_000, file.Rows.Families().Count);
    }

    [Fact]
    public void Nik_and_no_kk_are_consistent_with_village_birth_date_and_sex()
    {
        var r = file.Rows;
        var (desa, nikCol, sexCol, birthCol, kkCol) = (r.Col("KODE_DESA"), r.Col("NIK"), r.Col("JENIS_KELAMIN"), r.Col("TANGGAL_LAHIR"), r.Col("NO_KK"));
        var niks = new HashSet<string>();
        foreach (var row in r.Rows)
        {
            Assert.Null(Nik.TryParse(row[nikCol], _today, out var parsed));
            Assert.False(parsed.Temporary);
            var district = row[desa][..8].Replace(".", "", StringComparison.Ordinal);
            Assert.StartsWith(district, row[nikCol], StringComparison.Ordinal);
            var birth = DateOnly.ParseExact(row[birthCol], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(birth, parsed.BirthDate);
            Assert.Equal(int.Parse(row[sexCol], CultureInfo.InvariantCulture), parsed.Sex);
            Assert.True(niks.Add(row[nikCol]), $"duplicate NIK {row[nikCol]}");
            Assert.Null(NoKk.TryParse(row[kkCol], out _, out var temporary));
            Assert.False(temporary);
            Assert.StartsWith(district, row[kkCol], StringComparison.Ordinal);
        }
        var kks = new HashSet<string>();
        foreach (var family in r.Families())
        {
            var kk = family[0][kkCol];
            Assert.True(kks.Add(kk), $"NO_KK {kk} appears in two places");
            var registered = DateOnly.ParseExact(kk.Substring(6, 6), "ddMMyy", CultureInfo.InvariantCulture);
            var head = family.Single(m => m[r.Col("HUBUNGAN_KK")] == "1");
            var headBirth = DateOnly.ParseExact(head[birthCol], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.True(registered >= headBirth.AddYears(17) && registered <= _today, $"NO_KK {kk} date vs head born {headBirth}");
        }
    }

    [Fact]
    public void Every_family_has_one_head_and_members_are_consistent()
    {
        var r = file.Rows;
        int C(string name) => r.Col(name);
        int I(string[] row, string name) => int.Parse(row[C(name)], CultureInfo.InvariantCulture);
        DateOnly Birth(string[] row) => DateOnly.ParseExact(row[C("TANGGAL_LAHIR")], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var family in r.Families())
        {
            Assert.Single(family, m => m[C("HUBUNGAN_KK")] == "1");
            var headBirth = Birth(family.Single(m => m[C("HUBUNGAN_KK")] == "1"));
            foreach (var m in family)
            {
                var birth = Birth(m);
                Assert.InRange(birth, new DateOnly(1900, 1, 1), _today);
                Assert.InRange(I(m, "HUBUNGAN_KK"), 1, 11);
                Assert.InRange(I(m, "STATUS_KAWIN"), 1, 4);
                Assert.InRange(I(m, "PENDIDIKAN"), 1, 10);
                Assert.InRange(I(m, "STATUS_SEKOLAH"), 0, 2);
                Assert.InRange(I(m, "DISABILITAS"), 0, 6);
                Assert.False(string.IsNullOrWhiteSpace(m[C("NAMA")]));
                if (m[C("HAMIL")] == "1")
                {
                    Assert.Equal("2", m[C("JENIS_KELAMIN")]);
                    Assert.Equal("2", m[C("STATUS_KAWIN")]);
                }
                if (m[C("HUBUNGAN_KK")] is "2" or "3")
                {
                    Assert.Equal("2", m[C("STATUS_KAWIN")]);
                }
                if (m[C("HUBUNGAN_KK")] == "4")
                {
                    Assert.True(birth > headBirth.AddYears(15), "a child is at least 16 years younger than the head");
                }
                if (birth > _today.AddYears(-5))
                {
                    Assert.Equal("1", m[C("PENDIDIKAN")]);
                    Assert.Equal("1", m[C("STATUS_KAWIN")]);
                }
            }
            foreach (var column in r.Header.Take(38))
            {
                var c = C(column);
                Assert.All(family, m => Assert.Equal(family[0][c], m[c]));
            }
        }
        var mean = (double)r.Rows.Count / r.Families().Count;
        Assert.InRange(mean, 3.1, 3.45);
    }

    [Fact]
    public void Indicators_correlate_with_consumption_the_way_they_do_in_reality()
    {
        var r = file.Rows;
        var families = r.Families();
        double Mean(Func<List<string[]>, bool> where) => families.Where(where)
            .Average(f => Math.Log(double.Parse(f[0][r.Col("PENGELUARAN_PERKAPITA")], CultureInfo.InvariantCulture)));
        var floor = r.Col("JENIS_LANTAI");
        Assert.True(Mean(f => f[0][floor] == "8") < Mean(f => f[0][floor] == "2") - 0.2, "earth floors are poorer than ceramic");
        var fuel = r.Col("BAHAN_BAKAR_MASAK");
        Assert.True(Mean(f => f[0][fuel] == "10") < Mean(f => f[0][fuel] is "2" or "3"), "firewood is poorer than LPG 5.5/12 kg");
        var car = r.Col("ASET_MOBIL");
        Assert.True(Mean(f => f[0][car] == "1") > Mean(f => f[0][car] == "0") + 0.2, "car owners are richer");

        // Head education correlates positively with log consumption.
        var heads = families.Select(f => f.Single(m => m[r.Col("HUBUNGAN_KK")] == "1")).ToList();
        var education = heads.Select(h => double.Parse(h[r.Col("PENDIDIKAN")], CultureInfo.InvariantCulture)).ToArray();
        var logc = heads.Select(h => Math.Log(double.Parse(h[r.Col("PENGELUARAN_PERKAPITA")], CultureInfo.InvariantCulture))).ToArray();
        Assert.InRange(Correlation(education, logc), 0.15, 0.8);

        // Earth floors are a minority (Central Java ≈ 5–10 %); firewood 10–20 %.
        Assert.InRange(families.Count(f => f[0][floor] == "8") / (double)families.Count, 0.04, 0.11);
        Assert.InRange(families.Count(f => f[0][fuel] == "10") / (double)families.Count, 0.10, 0.20);

        // DESIL_NASIONAL: mostly present, ordered with consumption, lower deciles more common than uniform.
        var desil = r.Col("DESIL_NASIONAL");
        var withDesil = families.Where(f => f[0][desil].Length > 0).ToList();
        Assert.InRange(withDesil.Count / (double)families.Count, 0.86, 0.94);
        var d = withDesil.Select(f => double.Parse(f[0][desil], CultureInfo.InvariantCulture)).ToArray();
        var c = withDesil.Select(f => Math.Log(double.Parse(f[0][r.Col("PENGELUARAN_PERKAPITA")], CultureInfo.InvariantCulture))).ToArray();
        Assert.InRange(Correlation(d, c), 0.5, 0.8);
        Assert.True(d.Count(x => x <= 4) > 0.4 * d.Length);
    }

    private static double Correlation(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    [Fact]
    public async Task Fault_rate_injects_duplicates_wrong_nik_dates_conflicts_and_missing_heads()
    {
        var (text, outcome) = await GenerateAsync(new(Families: 4000, Seed: 3, FaultRate: 0.05));
        var r = DemoRows.Parse(text);
        Assert.InRange(outcome.FaultsInjected, 120, 280);
        var families = r.Families();
        var missingHeads = families.Count(f => !f.Any(m => m[r.Col("HUBUNGAN_KK")] == "1"));
        var conflicts = families.Count(f => f.Select(m => m[r.Col("JENIS_LANTAI")]).Distinct().Count() > 1);
        var planted = outcome.Planted.Where(p => p.Same).ToList();
        var duplicateNiks = planted.Select(p => p.NikB).ToHashSet();
        var wrongDates = r.Rows.Count(m =>
        {
            Nik.TryParse(m[r.Col("NIK")], _today, out var parsed);
            return !duplicateNiks.Contains(m[r.Col("NIK")]) && !parsed.Temporary &&
                parsed.BirthDate != DateOnly.ParseExact(m[r.Col("TANGGAL_LAHIR")], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        });
        // Duplicates: a member of the family just before registered again ("famili lain", role 9) with a NIK pattern
        // (one digit wrong, two swapped, temporary, new, from a swapped day and month) and a name pattern.
        var rows = r.Rows.ToDictionary(m => m[r.Col("NIK")]);
        Assert.All(planted, p =>
        {
            Assert.NotEqual(p.NikA, p.NikB);
            Assert.Equal("9", rows[p.NikB][r.Col("HUBUNGAN_KK")]);
            Assert.Equal(rows[p.NikA][r.Col("JENIS_KELAMIN")], rows[p.NikB][r.Col("JENIS_KELAMIN")]);
        });
        var duplicates = planted.Count;
        foreach (var pattern in new[] { "nik-satu-digit", "nik-tertukar", "nik-sementara", "nik-baru", "tanggal-tertukar", "gelar-haji", "bin" })
        {
            Assert.True(planted.Any(p => p.Pattern.Contains(pattern, StringComparison.Ordinal)), pattern + ": " + string.Join(", ", planted.Select(p => p.Pattern)));
        }
        // Few people (the young) are named Muhammad; the pattern itself: any other spelling of it.
        var (muhammad, label) = Tuntas.Demo.IndonesianNames.DuplicateName("Muhammad Rizky", 1, 20, new Random(5));
        Assert.Equal("muhammad", label);
        Assert.EndsWith(" Rizky", muhammad, StringComparison.Ordinal);
        Assert.NotEqual("Muhammad Rizky", muhammad);
        // Look-alikes of different persons: twins, a son named after his father, two Siti Aminah of one village.
        var lookAlikes = outcome.Planted.Where(p => !p.Same).ToList();
        Assert.Contains(lookAlikes, p => p.Pattern == "kembar" && rows[p.NikA][r.Col("TANGGAL_LAHIR")] == rows[p.NikB][r.Col("TANGGAL_LAHIR")]);
        Assert.Contains(lookAlikes, p => p.Pattern == "anak-senama-ayah" && rows[p.NikA][r.Col("NAMA")] == rows[p.NikB][r.Col("NAMA")]);
        Assert.Contains(lookAlikes, p => p.Pattern == "siti-aminah-beda-usia" && rows[p.NikA][r.Col("KODE_DESA")] == rows[p.NikB][r.Col("KODE_DESA")]);
        Assert.True(missingHeads > 0, "missing heads");
        Assert.True(conflicts > 0, "conflicting family fields");
        Assert.True(wrongDates > 0, "NIK dates that differ from TANGGAL_LAHIR");
        Assert.True(duplicates > 0, "duplicate persons with spelling variants");
        Assert.Equal(outcome.FaultsInjected, missingHeads + conflicts + wrongDates + duplicates, 0.2 * outcome.FaultsInjected);
        Assert.Equal(r.Rows.Select(m => m[r.Col("NIK")]).Count(), r.Rows.Select(m => m[r.Col("NIK")]).Distinct().Count());
    }

    [Fact]
    public async Task Unknown_regency_throws_a_bilingual_argument_exception()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => GenerateAsync(new(RegencyCode: "99.99", Families: 10)));
        Assert.Contains("tidak dikenal", e.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown regency", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => GenerateAsync(new(RegencyCode: "33.14.01", Families: 10)));
    }

    [Fact]
    public async Task Zero_families_or_a_regency_without_poverty_statistics_throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => GenerateAsync(new(Families: 0)));
        // Kabupaten Cilacap (33.01) is a real regency but has no P0/GK in the shipped statistics.
        var e = await Assert.ThrowsAsync<ArgumentException>(() => GenerateAsync(new(RegencyCode: "33.01", Families: 10)));
        Assert.Contains("poverty statistics", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => GenerateAsync(new(Families: 10, Year: 2019)));
    }

    [Fact]
    public async Task Other_regencies_default_to_their_latest_year_with_both_figures()
    {
        var (_, trenggalek) = await GenerateAsync(new(RegencyCode: "3503", Families: 300));
        Assert.Equal(2025, trenggalek.Year);
        Assert.Equal(450334, trenggalek.PovertyLine);
        Assert.Equal(10.29, trenggalek.TargetP0);
        var (_, trenggalek2023) = await GenerateAsync(new(RegencyCode: "35.03", Families: 300, Year: 2023));
        Assert.Equal(411527, trenggalek2023.PovertyLine);
        Assert.Equal(10.63, trenggalek2023.TargetP0);
        var (_, sukoharjo) = await GenerateAsync(new(RegencyCode: "33.11", Families: 300));
        Assert.Equal(2025, sukoharjo.Year);
        Assert.Equal(167, sukoharjo.Villages);
    }
}

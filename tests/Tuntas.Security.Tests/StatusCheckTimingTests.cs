using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Web.Tests;
using Xunit.Abstractions;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// The status check must not tell by its timing whether a NIK exists (OWASP ASVS 2.2.1 / 3.5; a probe guessed right
/// 58–72 % from 8 requests): a known NIK with a wrong name and an unknown NIK are answered alike, and — measured here
/// through the whole app, many requests interleaved in random order so drift on a shared machine falls on both — in
/// times whose distributions a Mann-Whitney U test cannot tell apart. The bound is generous (|z| &lt; 4, where the
/// probe saw z = −6.8 and the code before the fix gives far more here), so it fails when one path does extra work,
/// not on noise. The one timing test of the suite: the issue asks for it, and it compares, never thresholds, times.
/// </summary>
public sealed class StatusCheckTimingTests(ITestOutputHelper output)
{
    private const int Samples = 400;
    private const double Bound = 4.0;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_known_nik_with_a_wrong_name_takes_as_long_as_an_unknown_nik(string provider)
    {
        await using var app = await CreateAsync(provider, new Dictionary<string, string>
        {
            ["Tuntas:Public:ClientPerMinute"] = "1000000",
            ["Tuntas:Public:NikPerHour"] = "1000000",
            ["Tuntas:Public:PrefixPerHour"] = "1000000",
        });
        // Families before and after the one asked about, so whatever stands in for an unknown NIK is someone else.
        await app.SeedFamilyAsync(Keden, new SeededMember("Parmin", 1, new DateOnly(1960, 1, 1), 1), new SeededMember("Tumini", 2, new DateOnly(1962, 2, 2), 2));
        var known = await app.SeedFamilyAsync(Keden, [new SeededMember("Sri Lestari Wulandari", 2, new DateOnly(1981, 5, 6), 1),
            .. Enumerable.Range(0, 11).Select(i => new SeededMember("Anak " + i, 1 + (i % 2), new DateOnly(2005 + i, 7, 8), 3))]);
        // A family in every program, each member enrolled: a path that reads the family's enrollments for a known NIK
        // (as the check did before) does measurably more work than one that does not.
        await using (var db = app.Database.CreateDb())
        {
            var programs = await db.Programs.Select(p => p.Id).ToListAsync();
            foreach (var program in programs)
            {
                foreach (var person in known.Persons)
                {
                    db.Enrollments.Add(new Enrollment
                    {
                        ProgramId = program,
                        FamilyId = known.Id,
                        PersonId = person.Id,
                        Status = ProgramTerms.Enrolled,
                        StartedOn = new DateOnly(2026, 1, 1),
                        CreatedBy = "uji",
                        CreatedAt = DateTime.UtcNow,
                        UpdatedAt = DateTime.UtcNow,
                    });
                }
            }
            await db.SaveChangesAsync();
            Assert.True(programs.Count * known.Persons.Count >= 50);
        }
        await app.SeedFamilyAsync(Trobayan, new SeededMember("Joko Susilo", 1, new DateOnly(1975, 3, 3), 1));
        var knownNik = known.Persons[0].Nik;
        var unknownNik = Nik.Compose(knownNik[..6], new DateOnly(1981, 5, 6), 2, 9876);
        var client = app.CreateClient();

        async Task<double> TimeAsync(string nik)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.PostAsJsonAsync("/api/public/status", new { nik, nama = "Budi Hartono" });
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            Assert.Contains("\"ditemukan\":false", body, StringComparison.Ordinal);
            return watch.Elapsed.TotalMilliseconds;
        }

        for (var i = 0; i < 50; i++)
        {
            await TimeAsync(knownNik);
            await TimeAsync(unknownNik);
        }
        var random = new Random(20);
        var (knownTimes, unknownTimes) = (new List<double>(), new List<double>());
        // PostgreSQL's round trips here are slow and noisy (tens of ms): fewer samples, the same bound.
        var samples = provider == "Sqlite" ? Samples : Samples / 3;
        for (var i = 0; i < samples; i++)
        {
            if (random.Next(2) == 0)
            {
                knownTimes.Add(await TimeAsync(knownNik));
                unknownTimes.Add(await TimeAsync(unknownNik));
            }
            else
            {
                unknownTimes.Add(await TimeAsync(unknownNik));
                knownTimes.Add(await TimeAsync(knownNik));
            }
        }
        var z = MannWhitneyZ(knownTimes, unknownTimes);
        output.WriteLine($"{provider}: median known {Median(knownTimes):F3} ms, unknown {Median(unknownTimes):F3} ms, Mann-Whitney z = {z:F2}");
        Assert.True(Math.Abs(z) < Bound, $"the two cases are told apart by timing: z = {z:F2} (medians {Median(knownTimes):F3} vs {Median(unknownTimes):F3} ms)");
    }

    [Fact]
    public void The_statistic_tells_apart_two_samples_that_differ_and_not_two_that_do_not()
    {
        var random = new Random(7);
        var a = Enumerable.Range(0, Samples).Select(_ => 1.0 + random.NextDouble()).ToList();
        var same = Enumerable.Range(0, Samples).Select(_ => 1.0 + random.NextDouble()).ToList();
        var slower = Enumerable.Range(0, Samples).Select(_ => 1.15 + random.NextDouble()).ToList();
        Assert.True(Math.Abs(MannWhitneyZ(a, same)) < Bound);
        Assert.True(Math.Abs(MannWhitneyZ(a, slower)) > Bound);
    }

    /// <summary>Mann-Whitney U of <paramref name="a"/> against <paramref name="b"/> as a z score (normal approximation,
    /// mid-ranks for ties); negative when <paramref name="a"/> tends to be smaller.</summary>
    public static double MannWhitneyZ(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var all = a.Select(v => (Value: v, First: true)).Concat(b.Select(v => (Value: v, First: false))).OrderBy(x => x.Value).ToList();
        var rankSum = 0.0;
        for (var i = 0; i < all.Count;)
        {
            var j = i;
            while (j < all.Count && all[j].Value == all[i].Value)
            {
                j++;
            }
            var midRank = (i + 1 + j) / 2.0;
            rankSum += midRank * all.Skip(i).Take(j - i).Count(x => x.First);
            i = j;
        }
        double n1 = a.Count, n2 = b.Count;
        var u = rankSum - (n1 * (n1 + 1) / 2);
        return (u - (n1 * n2 / 2)) / Math.Sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

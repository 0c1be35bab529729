using System.Globalization;
using Tuntas.Linkage;

namespace Tuntas.Core.Tests.Linkage;

/// <summary>
/// u from random pairs of the whole table (Splink's <c>estimate_u_using_random_sampling</c>), m and λ by EM over the blocked
/// candidates with u fixed: a field the blocking agreed on (the name) keeps its weight.
/// </summary>
public sealed class FellegiSunterTests
{
    private static readonly string[] _first = ["Siti", "Agus", "Sri", "Budi", "Dewi", "Eko", "Ahmad", "Rina", "Joko", "Wahyu", "Slamet", "Yuni", "Dian", "Heru", "Bambang", "Ani",
        "Fajar", "Gilang", "Indah", "Kartika", "Lukman", "Mega", "Nanda", "Oki", "Putri", "Rudi", "Sinta", "Teguh", "Umar", "Vina"];
    private static readonly string[] _last = ["Aminah", "Rizki", "Santoso", "Wahyuni", "Hidayat", "Prasetyo", "Rahayu", "Saputra", "Kusuma", "Setiawan", "Handayani", "Susanto",
        "Wibowo", "Purnomo", "Utami", "Nugroho", "Fitriani", "Maulana", "Permata", "Syahputra", "Anggraini", "Firmansyah", "Kurniawan", "Lestari", "Pratama"];

    private static readonly FieldKind[] _kinds = [FieldKind.FullName, FieldKind.BirthDate, FieldKind.Sex];

    /// <summary>3,000 persons from 750 names, born over 60 years; 150 of them registered twice with a date one day off or the same.</summary>
    private static LinkageTable Registry()
    {
        var rng = new Random(11);
        var rows = new List<(string Name, string Birth, string Sex)>();
        for (var i = 0; i < 3000; i++)
        {
            var birth = new DateOnly(1950, 1, 1).AddDays(rng.Next(365 * 60));
            rows.Add(($"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]}", birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture), rng.Next(1, 3).ToString(CultureInfo.InvariantCulture)));
        }
        for (var i = 0; i < 150; i++)
        {
            var (name, birth, sex) = rows[i * 20];
            var date = DateOnly.ParseExact(birth, "yyyyMMdd", CultureInfo.InvariantCulture).AddDays(i % 3 == 0 ? 1 : 0);
            rows.Add((name, date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), sex));
        }
        var values = _kinds.Select((kind, f) => rows.Select(r => Comparisons.Prepare(kind, f switch { 0 => r.Name, 1 => r.Birth, _ => r.Sex })).ToArray()).ToArray();
        return new LinkageTable(_kinds, [.. rows.Select((_, i) => i.ToString(CultureInfo.InvariantCulture))], values);
    }

    [Fact]
    public void A_name_equal_weighs_for_a_match_although_the_candidates_were_blocked_on_the_name()
    {
        var result = LinkageEngine.Run(Registry(), null, null);
        var model = result.Model;
        var equal = Comparisons.Levels(FieldKind.FullName).Count - 1;

        // Among random pairs two persons share one of 750 names about once in 750: u far below m.
        Assert.InRange(model.U[0][equal], 0.0001, 0.01);
        Assert.True(model.Weight(0, equal) > 5, $"name equal weight {model.Weight(0, equal):0.00}");
        Assert.True(model.Weight(0, 0) < 0, $"name different weight {model.Weight(0, 0):0.00}");
        // λ is the chance that two records drawn at random are one person: about 150 in 4.7 million pairs.
        Assert.InRange(model.Lambda, 150 / 4_723_275.0 / 3, 150 / 4_723_275.0 * 3);
    }

    [Fact]
    public void A_different_name_lowers_the_score_of_a_pair_born_the_same_day()
    {
        var model = LinkageEngine.Run(Registry(), null, null).Model;
        var equal = Comparisons.Levels(FieldKind.FullName).Count - 1;
        var sameDay = Comparisons.Levels(FieldKind.BirthDate).Count - 1;
        var sameSex = 1;

        var sameName = FellegiSunter.Pattern([equal, sameDay, sameSex]);
        var otherName = FellegiSunter.Pattern([0, sameDay, sameSex]);

        Assert.True(model.Probability(sameName) >= LinkageEngine.DefaultMinScore, $"same name {model.Probability(sameName):0.0000}");
        Assert.True(model.Probability(otherName) < 0.01, $"other name {model.Probability(otherName):0.0000}");
        Assert.True(model.MatchWeight(sameName) - model.MatchWeight(otherName) > 8);
    }
}

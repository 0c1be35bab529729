using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.Imports;
using Tuntas.Registry;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Registry;

public sealed class NameSearchNormaliserTests
{
    // The four names a village operator typed and found nothing (the daily-use review): each is one or two letters from
    // the registered name in a way the name key alone does not forgive.
    public static TheoryData<string, string> Misspelled => new()
    {
        { "Dian Sukiny", "Dian Sukini" },
        { "Dien Sukini", "Dian Sukini" },
        { "sri lestary", "Sri Lestari" },
        { "Wardojo", "Wardoyo" },
    };

    [Theory, MemberData(nameof(Misspelled))]
    public void The_name_key_alone_cannot_find_the_four_misspellings(string typed, string registered)
    {
        var (typedKey, registeredKey) = (NameKey.For(typed), NameKey.For(registered));

        // The key step reads the key and the keys it begins: neither holds here, so without the skeleton nothing is found.
        Assert.NotEqual(registeredKey, typedKey);
        Assert.False(registeredKey.StartsWith(typedKey, StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Misspelled))]
    public void The_skeleton_forgives_the_four_misspellings_within_the_allowed_edits(string typed, string registered)
    {
        var (typedKey, registeredKey) = (NameKey.For(typed), NameKey.For(registered));

        Assert.Equal(NameKey.Skeleton(registeredKey), NameKey.Skeleton(typedKey));
        Assert.InRange(NameDistance.Edits(typedKey, registeredKey), 1, FindFamilies.AllowedEdits(typedKey));
    }

    [Theory]
    [InlineData("Soekarno", "Sukarno")]
    [InlineData("Djojo", "Yoyo")]
    [InlineData("Tjipto", "Cipto")]
    [InlineData("Chairul", "Khairul")]
    [InlineData("Sjarifah", "Syarifah")]
    [InlineData("Njoman", "Nyoman")]
    [InlineData("Mochammad", "Muhamad")]
    public void Old_spellings_share_a_skeleton(string old, string current) =>
        Assert.Equal(NameKey.Skeleton(NameKey.For(current)), NameKey.Skeleton(NameKey.For(old)));

    [Theory]
    [InlineData("sukini", "sukini", 0)]
    [InlineData("sukini", "sukimi", 1)]
    [InlineData("sukini", "suknii", 1)]
    [InlineData("warduyu", "warduju", 1)]
    [InlineData("srilistari", "srlistary", 2)]
    [InlineData("", "abc", 3)]
    public void Edits_count_insertions_deletions_substitutions_and_swaps(string a, string b, int edits)
    {
        Assert.Equal(edits, NameDistance.Edits(a, b));
        Assert.Equal(edits, NameDistance.Edits(b, a));
    }

    [Fact]
    public void The_skeleton_end_is_its_last_three_letters() =>
        Assert.Equal(("skn", "sk"), (NameKey.SkeletonEnd("dnskn"), NameKey.SkeletonEnd("sk")));
}

public sealed class FindFamiliesTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 12, 3, 3, 0, 0, TimeSpan.Zero));
    private const string Village1 = "33.14.01.2001", Village2 = "33.14.02.2001";

    /// <summary>Families 1–4 in village 1 with a member named as registered; family 5 in village 2 with another Dian Sukini;
    /// families with names that must not be taken for them (Dion Sukino is two letters off: found, but after).</summary>
    private static async Task<TestDatabase> RegistryAsync(string provider, int extraSukini = 0)
    {
        var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder();
        var serial = 1;
        void Member(string name, string village)
        {
            file.Family(serial++, wife: false, children: 0, village: village);
            file.Person(file.Rows[^1], name, 2, new DateOnly(1990, 4, 4), 3, 2, 3);
        }
        Member("Dian Sukini", Village1);
        Member("Sri Lestari", Village1);
        Member("Wardoyo", Village1);
        Member("Hj. Sri Lestari", Village1);
        Member("Dian Sukini", Village2);
        Member("Dion Sukino", Village1);
        Member("Bambang Riyanto", Village1);
        for (var i = 0; i < extraSukini; i++)
        {
            Member("Dian Sukini", Village1);
        }
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "cari.csv", false, "operator"), null, CancellationToken.None);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Code + " " + e.Message)));
        return test;
    }

    private static async Task<FindFamilies.Outcome> FindAsync(TestDatabase test, string query, AccessScope? scope = null, string? region = null, int limit = 20)
    {
        await using var db = test.Database.CreateDb();
        return await new FindFamilies(db).RunAsync(new FindFamilies.Input(query, region, limit, scope ?? AccessScope.Regency), CancellationToken.None);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_four_misspellings_find_the_person_first_with_the_nik_masked(string provider)
    {
        await using var test = await RegistryAsync(provider);

        foreach (var (typed, registered) in new[] { ("Dian Sukiny", "Dian Sukini"), ("Dien Sukini", "Dian Sukini"), ("sri lestary", "Sri Lestari"), ("Wardojo", "Wardoyo") })
        {
            var outcome = await FindAsync(test, typed);

            Assert.False(outcome.ByIdentifier);
            Assert.True(outcome.Hits.Count > 0, typed);
            Assert.Equal(registered, outcome.Hits[0].MatchedName);
            Assert.All(outcome.Hits, h => Assert.Matches("^[0-9]{4}•{8}[0-9]{4}$", h.MatchedNikMasked));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Results_are_ranked_by_closeness_and_unrelated_names_stay_out(string provider)
    {
        await using var test = await RegistryAsync(provider);

        var outcome = await FindAsync(test, "Dian Sukiny");

        // Two Dian Sukini (one edit), then Dion Sukino (two edits after folding); never Sri Lestari or Bambang Riyanto.
        Assert.Equal(["Dian Sukini", "Dian Sukini", "Dion Sukino"], outcome.Hits.Select(h => h.MatchedName));
        var lestari = await FindAsync(test, "sri lestary");
        Assert.Equal(["Sri Lestari", "Hj. Sri Lestari"], lestari.Hits.Select(h => h.MatchedName));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_finds_only_their_village_and_a_region_narrows(string provider)
    {
        await using var test = await RegistryAsync(provider);

        var operatorOf2 = await FindAsync(test, "Dien Sukini", AccessScope.Within(Village2));
        var narrowed = await FindAsync(test, "Dien Sukini", region: "33.14.01");
        var outside = await FindAsync(test, "Wardojo", AccessScope.Within(Village2));

        Assert.Equal([Village2], operatorOf2.Hits.Select(h => h.KodeDesa));
        Assert.DoesNotContain(narrowed.Hits, h => h.KodeDesa == Village2);
        Assert.Contains(narrowed.Hits, h => h.MatchedName == "Dian Sukini");
        Assert.Empty(outside.Hits);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_outcome_says_how_many_more_families_were_found_beyond_the_page(string provider)
    {
        await using var test = await RegistryAsync(provider, extraSukini: 4);

        var page = await FindAsync(test, "Dian Sukini", limit: 3);
        var all = await FindAsync(test, "Dian Sukini", limit: 10);

        // Seven families hold a Dian Sukini or Dion Sukino: three shown and four more, or all seven. A page filled by the
        // key and the skeleton skips the typo steps, so its count is a lower bound.
        Assert.Equal((3, 4, true), (page.Hits.Count, page.More, page.MoreIsAtLeast));
        Assert.Equal((7, 0, false), (all.Hits.Count, all.More, all.MoreIsAtLeast));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_database_skeleton_columns_agree_with_the_name_key(string provider)
    {
        // The first load writes the skeleton it computed (PostgreSQL's trigger is dropped for it); a second file is not a
        // first load, and its persons get the skeleton from the database (the trigger, or SQLite's generated column).
        await using var test = await RegistryAsync(provider);
        var second = new ImportFileBuilder().Family(900, children: 0, wife: false);
        second.Person(second.Rows[^1], "Sri Wardojo Sukiny", 2, new DateOnly(1991, 5, 5), 3, 2, 3);
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(second.WriteCsv(), "kedua.csv", false, "operator"), null, CancellationToken.None);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Code + " " + e.Message)));
        await using var db = test.Database.CreateDb();
        var added = await db.Persons.AsNoTracking().SingleAsync(p => p.Nama == "Sri Wardojo Sukiny");
        Assert.Equal(("srwrdskn", "skn"), (added.NamaKerangka, added.NamaKerangkaAkhir));

        var persons = await db.Persons.AsNoTracking().Select(p => new { p.Nama, p.NamaKerangka, p.NamaKerangkaAkhir }).ToListAsync();

        Assert.NotEmpty(persons);
        Assert.All(persons, p =>
        {
            var skeleton = NameKey.Skeleton(NameKey.For(p.Nama));
            Assert.Equal((skeleton, NameKey.SkeletonEnd(skeleton)), (p.NamaKerangka, p.NamaKerangkaAkhir));
        });
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_name_changed_through_the_registry_writer_is_found_by_its_new_skeleton(string provider)
    {
        await using var test = await RegistryAsync(provider);
        long familyId, personId, version;
        await using (var db = test.Database.CreateDb())
        {
            var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Nama == "Bambang Riyanto");
            (familyId, personId) = (person.FamilyId, person.Id);
            version = await db.Families.Where(f => f.Id == familyId).Select(f => f.Version).SingleAsync();
        }
        await using (var db = test.Database.CreateDb())
        {
            var written = await new RegistryWriter(db, _clock).WriteAsync(
                new RegistryWriter.FamilyEdit(familyId, version, [new RegistryWriter.SetField(personId, "NAMA", "Tjahjo Wardojo")]),
                "ani", ChangeSource.Editor, AccessScope.Regency, CancellationToken.None);
            Assert.Equal(RegistryWriter.Result.Written, written.Result);
        }

        var outcome = await FindAsync(test, "Cahyo Wardoyo");

        Assert.Equal("Tjahjo Wardojo", Assert.Single(outcome.Hits).MatchedName);
    }
}

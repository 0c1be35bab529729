using Tuntas.Imports;

namespace Tuntas.Core.Tests.Imports;

/// <summary>The import's compact per-row bookkeeping (docs/registry.md, "Pass 1") answers as the dictionaries it replaced.</summary>
public sealed class ImportKeysTests
{
    [Fact]
    public void The_key_map_finds_every_key_through_its_growth_and_refuses_a_second_add()
    {
        var map = new LongIntMap(4);
        var reference = new Dictionary<long, int>();
        var random = new Random(7);
        // NIK-like keys: runs of sequential serials (one village) and random ones, 0 included.
        var keys = Enumerable.Range(0, 20_000).Select(i => 3314014610710000L + i)
            .Concat(Enumerable.Range(0, 20_000).Select(_ => random.NextInt64(0, 9_999_999_999_999_999L)))
            .Append(0L);
        var row = 0;
        foreach (var key in keys)
        {
            row++;
            var added = map.TryAdd(key, row, out var existing);
            Assert.Equal(reference.TryAdd(key, row), added);
            if (!added)
            {
                Assert.Equal(reference[key], existing);
            }
        }
        Assert.Equal(reference.Count, map.Count);
        foreach (var (key, value) in reference)
        {
            Assert.True(map.TryGetValue(key, out var found));
            Assert.Equal(value, found);
        }
        Assert.False(map.ContainsKey(3314014610700000L));
    }

    [Fact]
    public void A_family_keeps_its_first_row_tells_a_differing_column_and_counts_its_heads()
    {
        var families = new FileFamilies(3);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(i, families.Add(1000 + i, i + 2, [i, i + 1, i + 2], i * 7L, i + 1, exists: i % 2 == 0, changed: i % 3 == 0, familyOnly: i % 5 == 0));
        }
        Assert.True(families.TryGet(1000 + 9_999, out var last));
        Assert.Equal(9_999, last);
        Assert.Equal([false, false, false], [.. Enumerable.Range(0, 3).Select(c => families.Differs(last, c, 9_999 + c))]);
        Assert.Equal([true, false, true], [families.Differs(last, 0, 12_345), families.Differs(last, 1, 10_000), families.Differs(last, 2, -7)]);
        Assert.Equal((10_001L, 9_999 * 7L, 10_000L), (families.FirstRow(last), families.Hash(last), families.Id(last)));
        Assert.Equal((false, true, false), (families.Exists(last), families.Changed(last), families.FamilyOnly(last)));
        Assert.True(families.FamilyOnly(0));
        families.HasMembers(0);
        Assert.False(families.FamilyOnly(0));
        Assert.Equal(0, families.Heads(5));
        Assert.Equal(1, families.AddHead(5, 40, living: true));
        // A late head counts as a head, not as a second living one.
        Assert.Equal(0, families.AddHead(5, 41, living: false));
        Assert.Equal((2, 1, 40L), (families.Heads(5), families.LivingHeads(5), families.HeadRow(5)));
        Assert.Equal(2, families.AddHead(5, 42, living: true));
        Assert.Equal((3, 2, 42L), (families.Heads(5), families.LivingHeads(5), families.HeadRow(5)));
        for (var i = 0; i < 20; i++)
        {
            families.AddHead(6, i, living: i % 2 == 0);
        }
        Assert.Equal((15, 10), (families.Heads(6), families.LivingHeads(6)));
        Assert.Equal(5, families.OrdinalOfId(6));
        Assert.False(families.Contains(999));
    }
}

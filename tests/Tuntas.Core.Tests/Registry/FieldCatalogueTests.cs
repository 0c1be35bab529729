using Tuntas.Core.Tests.Imports;
using Tuntas.Imports;
using Tuntas.Registry;
using Tuntas.Targeting.Snapshot;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Registry;

/// <summary>
/// The registry's one field catalogue (<see cref="RegistryFields"/>): the storage list, the targeting catalogue and the
/// snapshot all follow it, so a field added or changed in one place is added or changed everywhere.
/// </summary>
public sealed class FieldCatalogueTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Every_catalogued_field_is_stored_and_every_stored_field_is_catalogued()
    {
        // PINDAH and STATUS_DASAR are file-only instructions: they set a move or a life status, not a column of their own.
        string[] instructions = ["PINDAH", "STATUS_DASAR"];
        var familyStored = RegistryColumns.Family.Where(c => c.Import is not null).ToDictionary(c => c.Import!, c => c.Sql);
        var personStored = RegistryColumns.Person.Where(c => c.Import is not null).ToDictionary(c => c.Import!, c => c.Sql);
        Assert.Equal(familyStored.Keys.Order(), RegistryFields.FamilyRules.Select(r => r.Column).Order());
        Assert.Equal(personStored.Keys.Order(), RegistryFields.PersonRules.Select(r => r.Column).Except(instructions).Order());
        Assert.All(RegistryFields.FamilyRules, r => Assert.Equal(familyStored[r.Column], r.Sql));
        Assert.All(RegistryFields.PersonRules.Where(r => !instructions.Contains(r.Column)), r => Assert.Equal(personStored[r.Column], r.Sql));
        Assert.All(RegistryFields.FamilyRules.Concat(RegistryFields.PersonRules), r => Assert.NotEqual(r.Label, r.LabelEn));
    }

    [Fact]
    public void Targeting_reads_the_catalogues_fields_with_its_labels()
    {
        foreach (var rule in RegistryFields.FamilyRules.Concat(RegistryFields.PersonRules).Where(r => r.Targeting))
        {
            var field = TargetingFields.Find(rule.Sql);
            Assert.NotNull(field);
            Assert.Equal((rule.Label, rule.LabelEn), (field.Label, field.LabelEn));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Housing_not_in_the_file_is_unknown_to_targeting_not_zero(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var housing = RegistryFields.FamilyRules.Where(r => r.Targeting).Select(r => r.Column).ToHashSet();
        var file = new ImportFileBuilder().Family(1, children: 1);
        file.Header = [.. file.Header.Where(h => !housing.Contains(h))];
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(
            new ImportFamilies.Input(file.WriteCsv(), "tanpa-rumah.csv", DryRun: false, ChangedBy: "operator"), null, CancellationToken.None);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Code + " " + e.Message)));

        var snapshot = await new LoadRegistrySnapshot(test.Database).RunAsync(new DateOnly(2026, 11, 23), CancellationToken.None);
        Assert.Equal(1, snapshot.FamilyCount);
        Assert.True(double.IsNaN(snapshot.Column("jenis_lantai")[0]));
        Assert.True(double.IsNaN(snapshot.Column("aset_kulkas")[0]));
        Assert.All(snapshot.Column("jenis_kelamin").ToArray()[snapshot.PersonStart[0]..snapshot.PersonStart[1]], sex => Assert.InRange(sex, 1, 2));
    }
}

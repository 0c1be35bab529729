using Microsoft.EntityFrameworkCore;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Imports;

/// <summary>An OpenSID or DTKS file without a village given goes to the village it is named after
/// (docs/import-profiles.md, "Many villages' files").</summary>
public sealed class VillageInFileNameTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("opensid-penduduk-3314012001.xlsx", "33.14.01.2001")]
    [InlineData("33.14.01.2002 Gondang.csv", "33.14.01.2002")]
    [InlineData("Gondang_3314012003 (revisi).xlsm", "33.14.01.2003")]
    [InlineData("dtks-regsosek2022k-33.14.01.2004.xlsx", "33.14.01.2004")]
    [InlineData("3314012001-33.14.01.2001.csv", "33.14.01.2001")]
    [InlineData("3314012001-3314012002.csv", null)]
    [InlineData("desa3314012001.csv", null)]
    [InlineData("opensid-penduduk-a3314012001b9.csv", null)]
    [InlineData("33140120011.csv", null)]
    [InlineData("0812345678.csv", null)]
    [InlineData("export-1733400000.csv", null)]
    [InlineData("penduduk_1503202410.csv", null)]
    [InlineData("opensid-penduduk-3314012001_1503202410.csv", "33.14.01.2001")]
    [InlineData("opensid-penduduk-3314992003.csv", null)]
    [InlineData("Data Penduduk.xlsx", null)]
    [InlineData(null, null)]
    public void A_village_code_is_read_only_when_it_stands_apart_and_is_shaped_like_one(string? name, string? expected) =>
        Assert.Equal(expected, VillageInFileName.Find(name));

    [Theory]
    [InlineData("3314012001_3314012002.csv", true)]
    [InlineData("desa3314012003.csv", true)]
    [InlineData("opensid-penduduk-3314992003.csv", true)]
    [InlineData("opensid-penduduk-3314012001.csv", false)]
    [InlineData("Data Penduduk.xlsx", false)]
    [InlineData("opensid-penduduk-a1234567890b.csv", false)]
    [InlineData("export-20261206120000.csv", false)]
    public void A_name_that_seems_to_carry_a_code_but_names_no_village_is_unclear(string name, bool unclear) =>
        Assert.Equal(unclear, VillageInFileName.Unclear(name));

    [Fact]
    public void A_random_hexadecimal_name_never_reads_as_a_village()
    {
        // Uploads are stored under random hexadecimal names; test files carry GUIDs. Neither may name a village.
        var random = new Random(15);
        for (var i = 0; i < 20_000; i++)
        {
            var hex = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));
            Assert.Null(VillageInFileName.Find("opensid-penduduk-" + hex + ".csv"));
            Assert.Null(VillageInFileName.Find(hex + ".xlsx"));
            // Nor is it told its name is unclear: it asks for a village as any name without one.
            Assert.False(VillageInFileName.Unclear("opensid-penduduk-" + hex + ".csv"));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_named_after_its_village_goes_there_and_one_given_another_village_is_warned(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var folder = Directory.CreateTempSubdirectory("tuntas-desa-").FullName;
        try
        {
            var named = Path.Combine(folder, "opensid-penduduk-3314012002.csv");
            await File.WriteAllTextAsync(named, OpenSidFileBuilder.Village().ToCsv());
            var import = new ImportFamilies(test.Database, _clock);

            var report = await import.RunAsync(new ImportFamilies.Input(named, Path.GetFileName(named), false, "operator-kabupaten"), null, CancellationToken.None);

            Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Code + " " + e.Message)));
            Assert.Equal("33.14.01.2002", report.Village);
            var note = Assert.Single(report.Warnings, w => w.Code == "VILLAGE_FROM_FILE_NAME");
            Assert.Contains("opensid-penduduk-3314012002.csv", note.Message, StringComparison.Ordinal);
            await using (var db = test.Database.CreateDb())
            {
                Assert.Equal(3, await db.Families.CountAsync(f => f.KodeDesa == "33.14.01.2002"));
            }

            // A village given wins over the name, and the difference is said before anything is written.
            var other = Path.Combine(folder, "opensid-penduduk-3314012003.csv");
            var file = new OpenSidFileBuilder();
            file.Person(31, "Wagiman", "1", new DateOnly(1966, 6, 1), "1", "2", "3");
            await File.WriteAllTextAsync(other, file.ToCsv());
            var given = await import.RunAsync(new ImportFamilies.Input(other, Path.GetFileName(other), true, "operator-kabupaten", Village: "3314012004"),
                null, CancellationToken.None);
            Assert.Equal("33.14.01.2004", given.Village);
            var mismatch = Assert.Single(given.Warnings, w => w.Code == "VILLAGE_NOT_FILE_NAME");
            Assert.Contains("33.14.01.2003", mismatch.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(given.Warnings, w => w.Code == "VILLAGE_FROM_FILE_NAME");

            // The preview says it too, as a note, not as a reason to refuse the file.
            var preview = PreviewImport.Run(new PreviewImport.Input(other, null, null, SourceName: Path.GetFileName(other)));
            Assert.False(preview.Refused);
            Assert.Equal("VILLAGE_FROM_FILE_NAME", Assert.Single(preview.Notes!).Code);
            // Without the name (an upload's stored copy), nothing is read from the path: the village is required.
            Assert.Contains(PreviewImport.Run(new PreviewImport.Input(other, null, null)).Problems, p => p.Code == "VILLAGE_REQUIRED");
            // A name that seems to carry a code but names no one village is told so, not asked for a code.
            var glued = PreviewImport.Run(new PreviewImport.Input(other, null, null, SourceName: "desa3314012003.csv"));
            Assert.Equal("VILLAGE_NAME_UNCLEAR", Assert.Single(glued.Problems).Code);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

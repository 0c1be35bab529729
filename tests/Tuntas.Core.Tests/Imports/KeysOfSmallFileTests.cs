using System.Text;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Demo;
using Tuntas.Imports;
using Tuntas.Imports.Tabular;
using Tuntas.Registry.Exports;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Imports;

/// <summary>
/// A village's file into a regency's registry reads only the registry keys it names (RegistryKeys.ReadForFileAsync), and
/// judges it exactly as a read of the whole registry would: the same counts, errors and warnings, a member left out, a
/// NIK of another village's family, a changed name, a new family.
/// </summary>
public sealed class KeysOfSmallFileTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_file_reads_only_its_keys_and_is_judged_as_against_the_whole_registry(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedDemoRegistry(test.Database, _clock).RunAsync(new GenerateDemoRegistry.Input(Families: 1800, Seed: 5), null, CancellationToken.None);
        string village, other;
        await using (var db = test.Database.CreateDb())
        {
            var villages = await db.Families.GroupBy(f => f.KodeDesa).Where(g => g.Count() >= 5).Select(g => g.Key).OrderBy(k => k).Take(2).ToListAsync();
            (village, other) = (villages[0], villages[1]);
        }
        var folder = Directory.CreateTempSubdirectory("tuntas-kunci-").FullName;
        try
        {
            var rows = await ExportAsync(test, folder, village);
            var elsewhere = await ExportAsync(test, folder, other);
            var header = rows[0];
            int Column(string name) => Array.IndexOf(header, name);
            // A member left out (not a head), a person of another village's family put into the first family, a name
            // changed, and a family of two new persons.
            var left = rows.FindIndex(1, r => r[Column("kk_level")] != "1");
            rows.RemoveAt(left);
            var moved = (string[])elsewhere.First(r => r != elsewhere[0] && r[Column("kk_level")] != "1").Clone();
            // The family's cells come with every member's row, and must be the family's own.
            foreach (var cell in new[] { "no_kk", "alamat", "dusun", "rw", "rt", "lat", "lng" }.Select(Column).Where(c => c >= 0))
            {
                moved[cell] = rows[1][cell];
            }
            moved[Column("kk_level")] = "4";
            rows.Add(moved);
            rows[2][Column("nama")] += " Wibowo";
            var newcomer = (string[])rows[1].Clone();
            newcomer[Column("no_kk")] = "3314010101260001";
            newcomer[Column("nik")] = "3314014101900001";
            newcomer[Column("nama")] = "Sri Lestari";
            newcomer[Column("sex")] = "2";
            newcomer[Column("tanggallahir")] = "01-01-1990";
            rows.Add(newcomer);
            var path = Path.Combine(folder, $"opensid-penduduk-{village.Replace(".", "", StringComparison.Ordinal)}.csv");
            await File.WriteAllTextAsync(path, string.Join("\n", rows.Select(r => string.Join(",", r.Select(Quote)))) + "\n", new UTF8Encoding(false));

            var import = new ImportFamilies(test.Database, _clock);
            var input = new ImportFamilies.Input(path, Path.GetFileName(path), true, "operator-kabupaten", AllowMoves: true);
            var small = await import.RunAsync(input, null, CancellationToken.None);
            var whole = await import.RunAsync(input with { ReadsWholeRegistry = true }, null, CancellationToken.None);

            Assert.True(small.KeysOfFileOnly);
            Assert.False(whole.KeysOfFileOnly);
            Assert.Equal(Describe(whole), Describe(small));
            Assert.Empty(small.Errors);
            Assert.Contains(small.Warnings, w => w.Code == "PERSON_MOVE");
            Assert.Contains(small.Warnings, w => w.Code == "MEMBER_NOT_IN_FILE");
            Assert.Equal((1, 1), (small.Families.Added, small.Persons.Added));
            Assert.True(small.Persons.Updated >= 2, Describe(small));

            var written = await import.RunAsync(input with { DryRun = false }, null, CancellationToken.None);
            Assert.True(written.Committed, Describe(written));
            Assert.True(written.KeysOfFileOnly);
            Assert.Equal(Describe(whole).Replace("dry", "", StringComparison.Ordinal), Describe(written).Replace("dry", "", StringComparison.Ordinal));
            var (firstNoKk, movedNik, changedName) = (rows[1][Column("no_kk")], moved[Column("nik")], rows[2][Column("nama")]);
            await using var check = test.Database.CreateDb();
            var family = await check.Families.SingleAsync(f => f.NoKk == firstNoKk);
            Assert.True(await check.Persons.AnyAsync(p => p.Nik == movedNik && p.FamilyId == family.Id));
            Assert.True(await check.Persons.AnyAsync(p => p.Nama == changedName));
            Assert.True(await check.Families.AnyAsync(f => f.NoKk == "3314010101260001" && f.KodeDesa == village));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<string[]>> ExportAsync(TestDatabase test, string folder, string village)
    {
        var path = Path.Combine(folder, "ekspor-" + village + ".csv");
        var request = RegistryExport.Check(RegistryExport.OpenSid, village, "csv", AccessScope.Regency, true, out var problems);
        Assert.Empty(problems);
        await using (var db = test.Database.CreateDb())
        await using (var output = File.Create(path))
        {
            await RegistryExport.WriteAsync(request!, db, _clock, output, CancellationToken.None);
        }
        var rows = new List<string[]>();
        using var reader = TabularReader.Open(path);
        rows.Add([.. reader.Header]);
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader[i])]);
        }
        File.Delete(path);
        return rows;
    }

    private static string Quote(string cell) => "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Describe(ImportReport report) =>
        $"{(report.DryRun ? "dry" : "")} {report.Failure} families +{report.Families.Added} ~{report.Families.Updated} ={report.Families.Unchanged}, " +
        $"persons +{report.Persons.Added} ~{report.Persons.Updated} ={report.Persons.Unchanged}\n" +
        string.Join("\n", report.Errors.Concat(report.Warnings).Select(i => $"{i.Code} {i.Row} {i.Column} {i.Value}"));
}

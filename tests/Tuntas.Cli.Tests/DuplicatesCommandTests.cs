using System.Globalization;
using System.Text.Json;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class DuplicatesCommandTests
{
    private static readonly string[] _first = ["Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Joko", "Rudi", "Slamet", "Yanto"];
    private static readonly string[] _women = ["Ani", "Dewi", "Fitri", "Lestari", "Nur", "Rina", "Sri", "Tuti", "Wati", "Yuni"];
    private static readonly string[] _last = ["Santoso", "Rahayu", "Wibowo", "Utami", "Hidayat", "Purnomo", "Saputra", "Kusuma", "Setiawan", "Handayani", "Susanto", "Nugroho"];

    /// <summary>
    /// Forty families of three, and one household registered twice: the wife and the child of family 7 again in a KK of
    /// their own in the same desa, each NIK with one digit of the birth year wrong ("Hj." added to her name).
    /// </summary>
    private static (string File, string NikWife, string NikChild) Registry()
    {
        var builder = new ImportFileBuilder();
        var rng = new Random(5);
        Dictionary<string, string>? wife = null, child = null;
        for (var f = 0; f < 40; f++)
        {
            builder.Family(500 + f, village: f % 2 == 0 ? "33.14.01.2001" : "33.14.01.2002");
            var rows = builder.Rows[^3..];
            var head = new DateOnly(1950, 1, 1).AddDays(rng.Next(365 * 40));
            Rename(rows[0], $"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]}", head);
            Rename(rows[1], $"{_women[rng.Next(_women.Length)]} {_last[rng.Next(_last.Length)]}", head.AddDays(rng.Next(2000)));
            Rename(rows[2], $"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]}", head.AddYears(22 + rng.Next(5)).AddDays(rng.Next(300)));
            if (f == 7)
            {
                (wife, child) = (rows[1], rows[2]);
            }
        }
        builder.Family(600, wife: false, children: 0, village: wife!["KODE_DESA"]);
        var again = builder.Rows[^1];
        Copy(again, wife, "Hj. " + wife["NAMA"]);
        var second = builder.Person(builder.Rows[^1], "x", 1, new DateOnly(2000, 1, 1), 4, 1, 4);
        Copy(second, child!, child!["NAMA"]);
        return (builder.WriteCsv(), again["NIK"], second["NIK"]);

        static void Rename(Dictionary<string, string> row, string name, DateOnly birth)
        {
            row["NAMA"] = name;
            row["TANGGAL_LAHIR"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            row["NIK"] = ImportFileBuilder.NikFor(birth, int.Parse(row["JENIS_KELAMIN"], CultureInfo.InvariantCulture), int.Parse(row["NIK"][12..], CultureInfo.InvariantCulture));
        }

        // The same person under a NIK with the birth year's last digit mistyped (a typo in the date part).
        static void Copy(Dictionary<string, string> to, Dictionary<string, string> from, string name)
        {
            to["NAMA"] = name;
            to["JENIS_KELAMIN"] = from["JENIS_KELAMIN"];
            to["TANGGAL_LAHIR"] = from["TANGGAL_LAHIR"];
            var nik = from["NIK"].ToCharArray();
            nik[11] = (char)('0' + ((nik[11] - '0' + 3) % 10));
            to["NIK"] = new string(nik);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Duplicates_find_lists_the_person_pairs_and_the_two_kks_of_one_household_as_a_family_pair(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (file, nikWife, nikChild) = Registry();
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "import", "families", file)).ExitCode);

        var result = await CliRunner.RunAsync(test.Database, "duplicates", "find", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var root = JsonDocument.Parse(result.Out).RootElement;
        var pairs = root.GetProperty("pairs").EnumerateArray().ToList();
        var niks = pairs.Select(p => (p.GetProperty("nikA").GetString(), p.GetProperty("nikB").GetString())).ToList();
        Assert.Contains(niks, n => n.Item1 == nikWife || n.Item2 == nikWife);
        Assert.Contains(niks, n => n.Item1 == nikChild || n.Item2 == nikChild);
        Assert.All(pairs, p => Assert.InRange(p.GetProperty("score").GetDouble(), 0.9, 1.0));
        Assert.Equal("one digit wrong or two swapped", pairs[0].GetProperty("fields").GetProperty("NIK").GetProperty("level").GetString());
        // The two KKs: one family pair sharing both members, listed first.
        var family = root.GetProperty("families").EnumerateArray().First();
        Assert.Equal(2, family.GetProperty("sharedMembers").GetInt32());
        Assert.Equal(2, family.GetProperty("members").GetArrayLength());
        Assert.NotEqual(family.GetProperty("noKkA").GetString(), family.GetProperty("noKkB").GetString());
    }
}

using System.Globalization;
using System.Text;
using Tuntas.Linkage;

namespace Tuntas.Core.Tests.Linkage;

/// <summary>Two small generated lists (no FEBRL in tests): A with 400 people, B with 300 of them re-typed with the usual errors plus 100 others.</summary>
public sealed class LinkFilesTests : IDisposable
{
    private const string Config = """
        {"idA": "ID", "idB": "NO", "fields": [
          {"kind": "fullName", "a": "NAMA", "b": "NAMA_LENGKAP"},
          {"kind": "birthDate", "a": "TGL_LAHIR", "b": "TANGGAL", "format": "dd-MM-yyyy"},
          {"kind": "sex", "a": "JK", "b": "JK"},
          {"kind": "nik", "a": "NIK", "b": "NIK"},
          {"kind": "address", "a": "ALAMAT", "b": "ALAMAT"}]}
        """;

    private static readonly string[] _first = ["Siti", "Muhammad", "Agus", "Sri", "Budi", "Dewi", "Eko", "Nur", "Ahmad", "Rina", "Joko", "Wahyu", "Slamet", "Tri", "Yuni", "Dian", "Heru", "Lestari", "Bambang", "Ani"];
    private static readonly string[] _last = ["Aminah", "Rizki", "Santoso", "Wahyuni", "Hidayat", "Lestari", "Prasetyo", "Rahayu", "Saputra", "Kusuma", "Setiawan", "Handayani", "Susanto", "Wibowo", "Purnomo", "Sukarno", "Djono", "Utami", "Nugroho", "Fitriani"];
    private readonly string _folder = Directory.CreateTempSubdirectory("tuntas-linkage-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed record Person(int Id, string Name, DateOnly Birth, int Sex, string Nik, string Address);

    private static List<Person> People(int count, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(1, count).Select(i =>
        {
            var birth = new DateOnly(1950, 1, 1).AddDays(rng.Next(365 * 60));
            var sex = rng.Next(1, 3);
            var nik = string.Create(CultureInfo.InvariantCulture, $"331401{birth.Day + (sex == 2 ? 40 : 0):00}{birth.Month:00}{birth.Year % 100:00}{rng.Next(1, 9999):0000}");
            return new Person(i, $"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]} {_last[rng.Next(_last.Length)]}", birth, sex, nik,
                $"Dusun {_last[rng.Next(_last.Length)]} RT {rng.Next(1, 9):00} RW {rng.Next(1, 5):00}");
        })];
    }

    /// <summary>One realistic error per re-typed record: NIK typo or swap, name variant, title, day/month swap, blank NIK.</summary>
    private static Person Retype(Person p, int k) => (k % 6) switch
    {
        0 => p with { Nik = p.Nik[..15] + (char)('0' + ((p.Nik[15] - '0' + 3) % 10)) },
        1 => p with { Nik = string.Concat(p.Nik.AsSpan(0, 12), p.Nik.AsSpan(13, 1), p.Nik.AsSpan(12, 1), p.Nik.AsSpan(14)) },
        2 => p with { Name = p.Name.Replace("Muhammad", "Moch.", StringComparison.Ordinal).Replace("Siti", "Sitti", StringComparison.Ordinal).Replace("Sukarno", "Soekarno", StringComparison.Ordinal) + " bin Karto" },
        3 => p with { Name = "Hj. " + p.Name, Birth = p.Birth.Day <= 12 ? new DateOnly(p.Birth.Year, p.Birth.Day, p.Birth.Month) : p.Birth.AddDays(1) },
        4 => p with { Nik = "" },
        _ => p with { Name = p.Name.ToUpperInvariant(), Address = p.Address.Replace("Dusun", "Dsn.", StringComparison.Ordinal) },
    };

    private string Write(string name, string header, IEnumerable<string> lines, Encoding? encoding = null)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllLines(path, [header, .. lines], encoding ?? new UTF8Encoding(false));
        return path;
    }

    private (string A, string B) WriteLists(char delimiterB = ',', Encoding? encodingB = null)
    {
        var a = People(400, 1);
        var others = People(100, 2).Select(p => p with { Id = p.Id + 1000 });
        var b = a.Take(300).Select((p, k) => Retype(p, k)).Concat(others).ToList();
        var pathA = Write("a.csv", "ID,NAMA,TGL_LAHIR,JK,NIK,ALAMAT",
            a.Select(p => $"A{p.Id},{p.Name},{p.Birth:dd-MM-yyyy},{(p.Sex == 1 ? "L" : "P")},{p.Nik},{p.Address}"));
        var d = delimiterB;
        var pathB = Write("b.csv", $"NO{d}NAMA_LENGKAP{d}TANGGAL{d}JK{d}NIK{d}ALAMAT",
            b.Select(p => $"B{p.Id}{d}{p.Name}{d}{p.Birth:dd-MM-yyyy}{d}{p.Sex}{d}'{p.Nik}{d}{p.Address}"), encodingB);
        return (pathA, pathB);
    }

    [Fact]
    public async Task Links_retyped_records_despite_nik_typos_name_variants_and_swapped_dates()
    {
        var (a, b) = WriteLists();
        var outcome = await new LinkFiles().RunAsync(new LinkFiles.Input(a, b, Config, null), CancellationToken.None);

        var correct = outcome.Pairs.Count(p => p.IdA[1..] == p.IdB[1..]);
        Assert.True(correct >= 295, $"found {correct} of 300 true pairs");
        Assert.True(outcome.Pairs.Count - correct <= 3, $"{outcome.Pairs.Count - correct} false pairs");
        Assert.All(outcome.Pairs, p => Assert.InRange(p.Score, LinkageEngine.DefaultMinScore, 1));
        Assert.Equal(outcome.Pairs.OrderByDescending(p => p.Score).Select(p => p.Score), outcome.Pairs.Select(p => p.Score));
    }

    [Fact]
    public async Task Progress_lines_go_only_to_the_run_that_asked_for_them()
    {
        var (a, b) = WriteLists();
        var mine = new System.Collections.Concurrent.ConcurrentBag<string>();
        var started = new TaskCompletionSource();
        // Another run in the same process (the CLI tests, the web host) sets its own progress sink and then ends.
        var other = Task.Run(async () =>
        {
            var theirs = new StringWriter();
            Blocking.Progress = theirs.WriteLine;
            started.SetResult();
            await Task.Yield();
            theirs.Dispose();
        });
        await started.Task;
        await other;

        Assert.Null(Blocking.Progress);
        Blocking.Progress = mine.Add;
        await new LinkFiles().RunAsync(new LinkFiles.Input(a, b, Config, null), CancellationToken.None);

        Assert.Contains(mine, line => line.StartsWith("compared ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_a_config_naming_a_missing_column_and_an_unknown_kind_before_reading()
    {
        var (a, b) = WriteLists();
        var config = Config.Replace("\"ALAMAT\", \"b\": \"ALAMAT\"", "\"ALAMAT\", \"b\": \"JALAN\"", StringComparison.Ordinal)
            .Replace("\"kind\": \"sex\"", "\"kind\": \"kelamin\"", StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<LinkageException>(() => new LinkFiles().RunAsync(new LinkFiles.Input(a, b, config, null), CancellationToken.None));
        var problem = Assert.Single(e.Problems);
        Assert.Equal("LINKAGE_JENIS_TIDAK_DIKENAL", problem.Code);
        Assert.Contains("kelamin", problem.MessageEn, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<LinkageException>(() => new LinkFiles().RunAsync(
            new LinkFiles.Input(a, b, Config.Replace("\"b\": \"ALAMAT\"", "\"b\": \"JALAN\"", StringComparison.Ordinal), null), CancellationToken.None));
        Assert.Equal("LINKAGE_KOLOM_TIDAK_ADA", Assert.Single(missing.Problems).Code);
        Assert.Contains("JALAN", missing.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_files_with_different_delimiters_or_encodings()
    {
        var (a, b) = WriteLists(delimiterB: ';');
        var e = await Assert.ThrowsAsync<LinkageException>(() => new LinkFiles().RunAsync(new LinkFiles.Input(a, b, Config, null), CancellationToken.None));
        Assert.Contains(e.Problems, p => p.Code == "LINKAGE_PEMISAH_BEDA");

        var latin = Write("latin.csv", "NO,NAMA_LENGKAP,TANGGAL,JK,NIK,ALAMAT", ["B1,José Ñoño,01-02-1980,1,3314010102800001,Dusun Krajan"], Encoding.Latin1);
        var encoding = await Assert.ThrowsAsync<LinkageException>(() => new LinkFiles().RunAsync(new LinkFiles.Input(a, latin, Config, null), CancellationToken.None));
        Assert.Contains(encoding.Problems, p => p.Code == "LINKAGE_ENCODING_BEDA");
    }

    [Fact]
    public void Reports_every_config_problem_at_once()
    {
        var e = Assert.Throws<LinkageException>(() => LinkageConfig.Parse("""{"fields": [{"kind": "birthDate", "a": "x", "b": "y", "format": "dd/MM"}, {"a": "q"}]}"""));
        Assert.Equal(["LINKAGE_CONFIG_WAJIB", "LINKAGE_CONFIG_WAJIB", "LINKAGE_FORMAT_TANGGAL", "LINKAGE_CONFIG_WAJIB", "LINKAGE_CONFIG_WAJIB"],
            e.Problems.Select(p => p.Code));
        Assert.Equal("LINKAGE_CONFIG_JSON", Assert.Single(Assert.Throws<LinkageException>(() => LinkageConfig.Parse("{not json")).Problems).Code);
    }

    [Fact]
    public async Task Deduplicates_one_file_when_a_and_b_are_the_same()
    {
        var people = People(300, 3);
        var rows = people.Concat(people.Take(60).Select((p, k) => Retype(p, k) with { Id = p.Id + 5000 }))
            .Select(p => $"P{p.Id},{p.Name},{p.Birth:dd-MM-yyyy},{p.Sex},{p.Nik},{p.Address}");
        var path = Write("one.csv", "ID,NAMA,TGL_LAHIR,JK,NIK,ALAMAT", rows);
        var config = Config.Replace("\"NO\"", "\"ID\"", StringComparison.Ordinal).Replace("NAMA_LENGKAP", "NAMA", StringComparison.Ordinal).Replace("\"TANGGAL\"", "\"TGL_LAHIR\"", StringComparison.Ordinal);
        var outcome = await new LinkFiles().RunAsync(new LinkFiles.Input(path, path, config, null), CancellationToken.None);
        Assert.True(outcome.Deduplicated);
        var correct = outcome.Pairs.Count(p => int.Parse(p.IdA[1..], CultureInfo.InvariantCulture) % 5000 == int.Parse(p.IdB[1..], CultureInfo.InvariantCulture) % 5000);
        Assert.True(correct >= 57, $"found {correct} of 60");
        Assert.True(outcome.Pairs.Count - correct <= 2, $"{outcome.Pairs.Count - correct} false pairs");
    }
}

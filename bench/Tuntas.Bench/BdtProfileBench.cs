using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;
using Tuntas.Imports.Tabular;

namespace Tuntas.Bench;

/// <summary>
/// The <c>bdt-2015</c> profile benchmark (docs/benchmarks.md, "Import profiles"): a registry of the demo's persons
/// (a first load, not timed), then the same new socio-economic answers for every person imported once from a BDT 2015
/// file (101 columns, PBDT codes, found by NIK) and once from a Tuntas file carrying the same values (and the identity
/// columns the Tuntas format requires, unchanged), each into its own fresh copy of that registry. The ratio is what the
/// profile adds to an update of every family and person (target ≤ 1.20). Best of <c>--runs</c> per file.
/// Usage: <c>profiles-bdt [--persons 100000] [--runs 2] [--provider sqlite|postgres|both] [--postgres CS]</c>.
/// </summary>
public static class BdtProfileBench
{
    private static readonly string[] _tuntasColumns =
        ["KODE_DESA", "NO_KK", "STATUS_BANGUNAN", "LUAS_LANTAI", "JENIS_LANTAI", "JENIS_DINDING", "JENIS_ATAP", "SUMBER_AIR_MINUM",
         "SUMBER_PENERANGAN", "DAYA_LISTRIK", "BAHAN_BAKAR_MASAK", "FASILITAS_BAB", "ASET_KULKAS", "ASET_AC", "ASET_TV", "ASET_EMAS_10G",
         "ASET_KOMPUTER", "ASET_SEPEDA_MOTOR", "ASET_MOBIL", "ASET_PERAHU_MOTOR", "LUAS_LAHAN", "TERNAK_SAPI", "TERNAK_KAMBING", "NIK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "HUBUNGAN_KK", "STATUS_KAWIN", "PENDIDIKAN", "STATUS_SEKOLAH",
         "BEKERJA", "DISABILITAS", "PENYAKIT_KRONIS", "HAMIL"];

    public static async Task<int> RunAsync(string[] args)
    {
        var persons = int.Parse(ProfilesBench.Value(args, "--persons") ?? "100000", CultureInfo.InvariantCulture);
        var runs = int.Parse(ProfilesBench.Value(args, "--runs") ?? "2", CultureInfo.InvariantCulture);
        var provider = ProfilesBench.Value(args, "--provider") ?? "both";
        var postgres = ProfilesBench.Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var root = Path.GetFullPath("bench/out/profiles");
        var demo = await ProfilesBench.DemoFileAsync(root, persons);
        var (tuntasFile, bdtFile, rows) = WriteFiles(demo, root);
        if (args.Contains("--reader-only"))
        {
            return ReaderOnly(demo, tuntasFile, bdtFile);
        }
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"BDT 2015 profile benchmark, an update of {rows:N0} registered persons, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, best of {runs}"),
            "",
            "| Provider | Tuntas file (s) | BDT file, `bdt-2015` (s) | Profile ÷ Tuntas | Families, persons updated |",
            "|---|---:|---:|---:|---:|",
        };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var best = new Dictionary<string, double> { ["tuntas"] = double.MaxValue, ["bdt"] = double.MaxValue };
            var updated = "";
            for (var run = 0; run < runs; run++)
            {
                foreach (var (kind, file) in new[] { ("tuntas", tuntasFile), ("bdt", bdtFile) })
                {
                    var database = await ProfilesBench.FreshAsync(name, root, postgres);
                    var loaded = await new ImportFamilies(database, TimeProvider.System).RunAsync(
                        new ImportFamilies.Input(demo, Path.GetFileName(demo), false, "bench"), null, CancellationToken.None);
                    if (!loaded.Committed)
                    {
                        throw new InvalidOperationException(loaded.ToJson());
                    }
                    var watch = Stopwatch.StartNew();
                    var report = await new ImportFamilies(database, TimeProvider.System).RunAsync(
                        new ImportFamilies.Input(file, Path.GetFileName(file), false, "bench"), null, CancellationToken.None);
                    var seconds = watch.Elapsed.TotalSeconds;
                    if (!report.Committed || report.Persons.Added != 0 || report.Persons.Updated + report.Persons.Unchanged != rows)
                    {
                        throw new InvalidOperationException(report.ToJson());
                    }
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name} {kind} run {run + 1}: {seconds:0.00} s ({report.Profile}; families ~{report.Families.Updated:N0}, persons ~{report.Persons.Updated:N0})"));
                    best[kind] = Math.Min(best[kind], seconds);
                    updated = string.Create(CultureInfo.InvariantCulture, $"{report.Families.Updated:N0}, {report.Persons.Updated:N0}");
                }
            }
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {best["tuntas"]:0.00} | {best["bdt"]:0.00} | {best["bdt"] / best["tuntas"]:0.00} | {updated} |"));
        }
        Console.WriteLine(string.Join('\n', lines));
        return 0;
    }

    /// <summary>PBDT codes drawn per family and per person (seeded), written as a BDT file and, translated by the
    /// profile's own code lists, as the Tuntas file with the same values.</summary>
    private static (string Tuntas, string Bdt, int Rows) WriteFiles(string demo, string root)
    {
        var tuntasPath = Path.Combine(root, "bdt-equivalent.csv");
        var bdtPath = Path.Combine(root, "bdt-2015.csv");
        using var reader = TabularReader.Open(demo);
        var at = reader.Header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        using var tuntas = new StreamWriter(tuntasPath, false, new UTF8Encoding(false));
        using var bdt = new StreamWriter(bdtPath, false, new UTF8Encoding(false));
        tuntas.WriteLine(string.Join(',', _tuntasColumns));
        bdt.WriteLine(string.Join(',', Bdt2015Layout.Columns.Select((label, i) => i < 50 ? $"{label} ({i + 1})" : label).Select(l => l.Contains(',', StringComparison.Ordinal) ? "\"" + l + "\"" : l)));
        var random = new Random(2015);
        var rows = 0;
        string? family = null;
        var household = new Dictionary<int, string>();
        var cells = new string[Bdt2015Layout.Columns.Count];
        while (reader.Read())
        {
            string Cell(string column) => reader[at[column]];
            if (Cell("NO_KK") != family)
            {
                family = Cell("NO_KK");
                household = new Dictionary<int, string>
                {
                    [16] = Code(random, 1, 5),
                    [18] = random.Next(12, 150).ToString(CultureInfo.InvariantCulture),
                    [19] = Code(random, 1, 10),
                    [20] = Code(random, 1, 7),
                    [22] = Code(random, 1, 10),
                    [25] = Code(random, 1, 12),
                    [27] = Code(random, 1, 3),
                    [28] = Code(random, 1, 6),
                    [29] = Code(random, 1, 9),
                    [30] = Code(random, 1, 4),
                    [34] = Code(random, 3, 4),
                    [38] = Code(random, 3, 4),
                    [42] = Code(random, 3, 4),
                    [50] = Code(random, 1, 2),
                    [53] = random.Next(0, 3).ToString(CultureInfo.InvariantCulture),
                    [35] = Code(random, 1, 2),
                    [39] = Code(random, 1, 2),
                    [40] = Code(random, 3, 4),
                    [43] = Code(random, 1, 2),
                    [46] = Code(random, 3, 4),
                    [57] = random.Next(0, 6).ToString(CultureInfo.InvariantCulture),
                };
                if (household[50] == "1")
                {
                    household[51] = random.Next(100, 5000).ToString(CultureInfo.InvariantCulture);
                }
            }
            var sex = Cell("JENIS_KELAMIN");
            var person = new Dictionary<int, string>
            {
                [81] = Cell("NIK"),
                [85] = sex,
                [91] = sex == "2" ? Code(random, 1, 2) : "",
                [92] = random.Next(20) == 0 ? Code(random, 1, 12) : "0",
                [93] = random.Next(8) == 0 ? Code(random, 1, 9) : "0",
                [94] = Code(random, 0, 2),
                [97] = Code(random, 0, 6),
                [98] = Code(random, 1, 2),
            };
            Array.Fill(cells, "");
            cells[Bdt2015Layout.HouseholdColumn - 1] = "33" + family;
            foreach (var (number, value) in household.Concat(person))
            {
                cells[number - 1] = value;
            }
            bdt.WriteLine(string.Join(',', cells));

            string Translated(OpenSidPendudukLayout.Codes codes, int number) => codes.Translate(cells[number - 1])!;
            var penerangan = Bdt2015Layout.Penerangan.Translate(cells[26]) switch { "1" => cells[27] == "6" ? "2" : "1", "2" => "3", _ => "4" };
            var sekolah = cells[93];
            tuntas.WriteLine(string.Join(',', Cell("KODE_DESA"), family, cells[15], cells[17], Translated(Bdt2015Layout.Lantai, 19), cells[19],
                Translated(Bdt2015Layout.Atap, 22), Translated(Bdt2015Layout.AirMinum, 25), penerangan, Translated(Bdt2015Layout.Daya, 28),
                Translated(Bdt2015Layout.BahanBakar, 29), Translated(Bdt2015Layout.Bab, 30), Translated(Bdt2015Layout.YaTidak34, 34),
                Translated(Bdt2015Layout.YaTidak, 35), Translated(Bdt2015Layout.YaTidak34, 38), Translated(Bdt2015Layout.YaTidak, 39),
                Translated(Bdt2015Layout.YaTidak34, 40), Translated(Bdt2015Layout.YaTidak34, 42), Translated(Bdt2015Layout.YaTidak, 43),
                Translated(Bdt2015Layout.YaTidak34, 46), cells[50].Length == 0 && cells[49] == "2" ? "0" : cells[50], cells[52], cells[56], Cell("NIK"), Cell("NAMA").Replace(",", " ", StringComparison.Ordinal), sex, Cell("TANGGAL_LAHIR"), Cell("HUBUNGAN_KK"),
                Cell("STATUS_KAWIN"), Bdt2015Layout.Pendidikan(int.Parse(cells[96], CultureInfo.InvariantCulture), sekolah), sekolah,
                Translated(Bdt2015Layout.YaTidak, 98), Translated(Bdt2015Layout.Cacat, 92), Translated(Bdt2015Layout.Kronis, 93),
                sex == "1" ? "0" : Translated(Bdt2015Layout.YaTidak, 91)));
            rows++;
        }
        return (tuntasPath, bdtPath, rows);
    }

    /// <summary>The two files read as the import's passes read them, without a database: the Tuntas file by the CSV
    /// reader, the BDT file through the profile with its NIK lookup answered from memory. Seconds per whole read.</summary>
    private static int ReaderOnly(string demo, string tuntasFile, string bdtFile)
    {
        var places = new Dictionary<string, Bdt2015Layout.Place>(StringComparer.Ordinal);
        using (var reader = TabularReader.Open(demo))
        {
            var nik = reader.Header.ToList().IndexOf("NIK");
            var noKk = reader.Header.ToList().IndexOf("NO_KK");
            var village = reader.Header.ToList().IndexOf("KODE_DESA");
            while (reader.Read())
            {
                places[reader[nik]] = new Bdt2015Layout.Place(reader[noKk], reader[village]);
            }
        }
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            long cells = 0;
            using (var reader = TabularReader.Open(tuntasFile))
            {
                while (reader.Read())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        cells += reader[i].Length;
                    }
                }
            }
            var tuntas = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var context = new ProfileContext(null) { Registered = n => places.GetValueOrDefault(n) };
            using (var reader = new Bdt2015Layout.Reader(TabularReader.Open(bdtFile), context))
            {
                while (reader.Read())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        cells += reader[i].Length;
                    }
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read run {run + 1}: Tuntas file {tuntas:0.00} s, BDT file through the profile {watch.Elapsed.TotalSeconds:0.00} s ({cells})"));
        }
        return 0;
    }

    private static string Code(Random random, int from, int to) => random.Next(from, to + 1).ToString(CultureInfo.InvariantCulture);
}

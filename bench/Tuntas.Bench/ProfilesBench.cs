using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tuntas.Data;
using Tuntas.Demo;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;
using Tuntas.Imports.Tabular;
using Tuntas.Regions;

namespace Tuntas.Bench;

/// <summary>
/// Import profiles benchmark (docs/benchmarks.md, "Import profiles"): the same persons imported from an OpenSID
/// population file (43 columns, codes half as labels, translated by the <c>opensid-penduduk</c> profile) and from a
/// Tuntas file carrying exactly the columns the profile fills, each into a fresh database; the ratio is what the
/// profile adds to the import (target ≤ 1.20). Best of <c>--runs</c> per file.
/// Usage: <c>profiles [--persons 100000] [--runs 2] [--provider sqlite|postgres|both] [--postgres CS]</c>.
/// </summary>
public static class ProfilesBench
{
    private static readonly string[] _tuntasColumns =
        ["KODE_DESA", "NO_KK", "ALAMAT", "RT", "RW", "NIK", "NAMA", "JENIS_KELAMIN", "TEMPAT_LAHIR", "TANGGAL_LAHIR",
         "HUBUNGAN_KK", "STATUS_KAWIN", "PENDIDIKAN", "PEKERJAAN", "DISABILITAS", "HAMIL"];

    public static async Task<int> RunAsync(string[] args)
    {
        var persons = int.Parse(Value(args, "--persons") ?? "100000", CultureInfo.InvariantCulture);
        var runs = int.Parse(Value(args, "--runs") ?? "2", CultureInfo.InvariantCulture);
        var provider = Value(args, "--provider") ?? "both";
        var postgres = Value(args, "--postgres") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";
        var root = Path.GetFullPath("bench/out/profiles");
        var demo = await DemoFileAsync(root, persons);
        var (tuntasFile, openSidFile, village, rows) = WriteFiles(demo, root);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Import profiles benchmark, {rows:N0} persons, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, best of {runs}"),
            "",
            "| Provider | Tuntas file (s) | OpenSID file, `opensid-penduduk` (s) | Profile ÷ Tuntas |",
            "|---|---:|---:|---:|",
        };
        foreach (var name in provider == "both" ? new[] { "sqlite", "postgres" } : [provider])
        {
            var best = new Dictionary<string, double> { ["tuntas"] = double.MaxValue, ["opensid"] = double.MaxValue };
            for (var run = 0; run < runs; run++)
            {
                foreach (var (kind, file) in new[] { ("tuntas", tuntasFile), ("opensid", openSidFile) })
                {
                    var database = await FreshAsync(name, root, postgres);
                    var watch = Stopwatch.StartNew();
                    var report = await new ImportFamilies(database, TimeProvider.System).RunAsync(
                        new ImportFamilies.Input(file, Path.GetFileName(file), false, "bench", Village: kind == "opensid" ? village : null), null, CancellationToken.None);
                    var seconds = watch.Elapsed.TotalSeconds;
                    if (!report.Committed || report.Persons.Added != rows)
                    {
                        throw new InvalidOperationException(report.ToJson());
                    }
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {kind} run {run + 1}: {seconds:0.00} s ({report.Profile})"));
                    best[kind] = Math.Min(best[kind], seconds);
                }
            }
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {best["tuntas"]:0.00} | {best["opensid"]:0.00} | {best["opensid"] / best["tuntas"]:0.00} |"));
        }
        Console.WriteLine(string.Join('\n', lines));
        return 0;
    }

    /// <summary>The demo registry of about <paramref name="persons"/> persons (0.305 families a person) as a Tuntas CSV, generated once.</summary>
    internal static async Task<string> DemoFileAsync(string root, int persons)
    {
        Directory.CreateDirectory(root);
        var families = (int)(persons * 0.305);
        var demo = Path.Combine(root, $"demo-f{families}.csv");
        if (!File.Exists(demo))
        {
            await using var writer = new StreamWriter(demo);
            await new GenerateDemoRegistry().RunAsync(new GenerateDemoRegistry.Input(Families: families, Seed: 1), writer, CancellationToken.None);
        }
        return demo;
    }

    /// <summary>A fresh, migrated database with the regions: SQLite <c>tuntas.db</c> under <paramref name="root"/>, or the
    /// PostgreSQL database <paramref name="name"/> dropped and created again.</summary>
    internal static async Task<TuntasDatabase> FreshAsync(string provider, string root, string postgres, string name = "tuntas_bench_profiles")
    {
        TuntasDatabase database;
        if (provider == "sqlite")
        {
            var path = Path.Combine(root, "tuntas.db");
            foreach (var old in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists)) File.Delete(old);
            database = new TuntasDatabase(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False");
        }
        else
        {
            await using (var admin = new Npgsql.NpgsqlConnection(postgres))
            {
                await admin.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", admin);
                await create.ExecuteNonQueryAsync();
            }
            database = new TuntasDatabase(DatabaseProvider.Postgres, postgres + $";Database={name};Pooling=False");
        }
        await new Migrator(database).MigrateAsync(CancellationToken.None);
        await new LoadRegions(database).RunAsync(CancellationToken.None);
        return database;
    }

    /// <summary>The demo's persons as one village's OpenSID file and as the Tuntas file with the same values.</summary>
    private static (string Tuntas, string OpenSid, string Village, int Rows) WriteFiles(string demo, string root)
    {
        var tuntasPath = Path.Combine(root, "tuntas.csv");
        var openSidPath = Path.Combine(root, "opensid-penduduk.csv");
        using var reader = TabularReader.Open(demo);
        var at = reader.Header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
        using var tuntas = new StreamWriter(tuntasPath, false, new UTF8Encoding(false));
        using var openSid = new StreamWriter(openSidPath, false, new UTF8Encoding(false));
        tuntas.WriteLine(string.Join(',', _tuntasColumns));
        openSid.WriteLine(string.Join(',', OpenSidPendudukLayout.Columns));
        string? village = null;
        var rows = 0;
        while (reader.Read())
        {
            string Cell(string column) => reader[at[column]].Replace(",", " ", StringComparison.Ordinal);
            village ??= Cell("KODE_DESA");
            var sex = Cell("JENIS_KELAMIN");
            var pekerjaan = OpenSidPendudukLayout.Pekerjaan.Translate(Cell("PEKERJAAN")) is { Length: > 0 } label ? label : "LAINNYA";
            var code = OpenSidPendudukLayout.Pekerjaan.Labels[OpenSidPendudukLayout.Normalise(pekerjaan)];
            var disabilitas = Cell("DISABILITAS");
            var hamil = sex == "2" ? Cell("HAMIL") : "";
            var birth = DateOnly.ParseExact(Cell("TANGGAL_LAHIR"), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var labels = rows % 2 == 0;
            tuntas.WriteLine(string.Join(',', village, Cell("NO_KK"), "\"" + Cell("ALAMAT") + ", Dusun Krajan\"", Cell("RT"), Cell("RW"), Cell("NIK"),
                Cell("NAMA"), sex, Cell("TEMPAT_LAHIR"), Cell("TANGGAL_LAHIR"), Cell("HUBUNGAN_KK"), Cell("STATUS_KAWIN"), Cell("PENDIDIKAN"),
                pekerjaan, disabilitas, hamil));
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["alamat"] = Cell("ALAMAT"),
                ["dusun"] = "Krajan",
                ["rw"] = Cell("RW"),
                ["rt"] = Cell("RT"),
                ["nama"] = Cell("NAMA"),
                ["no_kk"] = Cell("NO_KK"),
                ["nik"] = Cell("NIK"),
                ["sex"] = labels ? (sex == "1" ? "LAKI-LAKI" : "PEREMPUAN") : sex,
                ["tempatlahir"] = Cell("TEMPAT_LAHIR"),
                ["tanggallahir"] = birth.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
                ["agama_id"] = "ISLAM",
                ["pendidikan_kk_id"] = Cell("PENDIDIKAN"),
                ["pekerjaan_id"] = labels ? pekerjaan : code.ToString(CultureInfo.InvariantCulture),
                ["status_kawin"] = labels ? OpenSidPendudukLayout.Kawin.Labels.First(l => l.Value.ToString(CultureInfo.InvariantCulture) == Cell("STATUS_KAWIN")).Key : Cell("STATUS_KAWIN"),
                ["kk_level"] = Cell("HUBUNGAN_KK"),
                ["warganegara_id"] = "1",
                ["cacat_id"] = disabilitas == "0" ? "7" : disabilitas,
                ["hamil"] = hamil switch { "1" => "1", "0" => "2", _ => "" },
                ["status_dasar"] = "1",
                ["suku"] = "Jawa",
            };
            openSid.WriteLine(string.Join(',', OpenSidPendudukLayout.Columns.Select(c => values.GetValueOrDefault(c, ""))));
            rows++;
        }
        openSid.WriteLine("###");
        return (tuntasPath, openSidPath, village!, rows);
    }

    internal static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

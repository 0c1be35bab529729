using System.IO.Compression;
using ExcelDataReader;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;
using Tuntas.Registry;
using Tuntas.Registry.Exports;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Registry;

/// <summary>The registry back out in OpenSID's population format and the DTKS layout (docs/import-profiles.md).</summary>
public sealed class RegistryExportTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private const string Gondang = "33.14.01.2001";
    private const string Other = "33.14.02.2001";

    private static async Task<ImportReport> ImportAsync(TestDatabase test, string path, string? village)
    {
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(
            new ImportFamilies.Input(path, Path.GetFileName(path), false, "operator-desa", Village: village), null, CancellationToken.None);
        Assert.True(report.Committed, report.Failure + string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Code} {e.Value} {e.Message}")));
        return report;
    }

    /// <summary>Gondang's OpenSID file with coordinates on one family, plus one family of another village.</summary>
    private static async Task SeedAsync(TestDatabase test)
    {
        var gondang = OpenSidFileBuilder.Village();
        foreach (var row in gondang.Rows.Where(r => r["no_kk"] == OpenSidFileBuilder.NoKk(1)))
        {
            (row["lat"], row["lng"]) = ("-7.4321", "111.0234");
        }
        gondang.Rows[1]["pekerjaan_id"] = "MENGURUS RUMAH TANGGA";
        gondang.Rows[2]["cacat_id"] = "2";
        await ImportAsync(test, gondang.WriteXlsx(), Gondang);
        var other = new OpenSidFileBuilder();
        other.Person(40, "Wagiman", "1", new DateOnly(1960, 6, 6), "1", "2", "3", dusun: "DUSUN NGASEM");
        other.Person(40, "Sarinem", "2", new DateOnly(1962, 1, 1), "3", "2", "2", nik: "0", dusun: "DUSUN NGASEM");
        await ImportAsync(test, other.WriteCsv(), Other);
    }

    private static async Task<RegistryExport.Outcome> ExportAsync(TestDatabase test, string path, string format, string? village, string file, AccessScope scope, bool sensitive = false)
    {
        var request = RegistryExport.Check(format, village, file, scope, sensitive, out var problems);
        Assert.Empty(problems);
        await using var db = test.Database.CreateDb();
        await using var output = File.Create(path);
        return await RegistryExport.WriteAsync(request!, db, _clock, output, CancellationToken.None);
    }

    /// <summary>Everything of the registry the OpenSID format carries, family by family and member by member.</summary>
    private static async Task<List<string>> SnapshotAsync(TestDatabase test, string village)
    {
        await using var db = test.Database.CreateDb();
        var families = await db.Families.AsNoTracking().Include(f => f.Persons).Where(f => f.KodeDesa == village).OrderBy(f => f.NoKk).ToListAsync();
        return [.. families.SelectMany(f => new[] { $"{f.NoKk} {f.NoKkSementara} {f.KodeDesa} [{f.Alamat}] {f.Rt}/{f.Rw} {f.Lintang} {f.Bujur}" }
            .Concat(f.Persons.OrderBy(p => p.Nik, StringComparer.Ordinal).Select(p =>
                $"  {p.Nik} {p.NikSementara} {p.Nama} {p.JenisKelamin} {p.TempatLahir} {p.TanggalLahir:yyyy-MM-dd} {p.HubunganKk} {p.StatusKawin} " +
                $"{p.Pendidikan} [{p.Pekerjaan}] {p.Disabilitas} {p.Hamil} {p.StatusHidup}")))];
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_exported_to_OpenSID_and_imported_into_a_fresh_registry_is_the_same_registry(string provider)
    {
        await using var source = await TestDatabase.CreateAsync(provider);
        await SeedAsync(source);
        var before = await SnapshotAsync(source, Gondang);
        Assert.Contains(before, line => line.Contains(" True Dimas", StringComparison.Ordinal));
        Assert.Contains(before, line => line.Contains("Mbah Painem", StringComparison.Ordinal) && line.EndsWith(" 2", StringComparison.Ordinal));

        foreach (var file in new[] { "xlsx", "csv" })
        {
            var path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.{file}");
            var outcome = await ExportAsync(source, path, RegistryExport.OpenSid, "3314012001", file, AccessScope.Regency, sensitive: true);
            Assert.Equal((1, 3, 10, 0), (outcome.Villages, outcome.Families, outcome.Persons, outcome.UnknownOccupations));

            var opened = ImportProfiles.Open(path, null, new ProfileContext(Gondang));
            using (opened.Reader)
            {
                Assert.Equal(ImportProfiles.OpenSidPenduduk, opened.Profile);
                Assert.Equal(file == "xlsx" ? OpenSidPendudukLayout.SheetName : "", opened.Sheet);
            }
            using (var raw = Tuntas.Imports.Tabular.TabularReader.Open(path, preferredSheets: ImportProfiles.PreferredSheets))
            {
                Assert.Equal(OpenSidPendudukLayout.Columns, raw.Header.Select(h => h.TrimStart('\uFEFF')));
                // The coordinates as OpenSID (or Excel) reads them: a southern latitude is a number, not '-7.4321 (the
                // formula guard's apostrophe, which only Tuntas' own reader strips).
                var lat = raw.Header.ToList().IndexOf("lat");
                var latitudes = new List<string>();
                while (raw.Read())
                {
                    latitudes.Add(lat < raw.FieldCount ? raw[lat] : "");
                }
                Assert.Contains("-7.4321", latitudes);
            }

            await using var copy = await TestDatabase.CreateAsync(provider);
            var report = await ImportAsync(copy, path, "3314012001");
            Assert.Equal((3, 10), (report.Families.Added, report.Persons.Added));
            Assert.Equal(before, await SnapshotAsync(copy, Gondang));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_exported_to_OpenSID_and_imported_back_into_the_same_registry_changes_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await SeedAsync(test);
        // Occupations as a Tuntas file writes them: the everyday name of an OpenSID label (exported as its code, kept as
        // written on the way back), and one OpenSID has no code for (exported empty, so kept).
        await using (var db = test.Database.CreateDb())
        {
            var persons = await db.Persons.Where(p => p.Nama == "Sukijo Wiryo Sumarto" || p.Nama == "Parjo").ToListAsync();
            persons.Single(p => p.Nama == "Sukijo Wiryo Sumarto").Pekerjaan = "Petani";
            persons.Single(p => p.Nama == "Parjo").Pekerjaan = "Buruh Bangunan";
            persons.ForEach(p => p.RowHash = RegistryFields.PersonHash(p));
            await db.SaveChangesAsync();
        }
        var before = await SnapshotAsync(test, Gondang);
        var path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.xlsx");
        // As a village operator exports it: disability and pregnancy are health data they may not see.
        var outcome = await ExportAsync(test, path, RegistryExport.OpenSid, Gondang, "xlsx", AccessScope.Regency, sensitive: false);
        Assert.Equal(1, outcome.UnknownOccupations);
        using (var written = Tuntas.Imports.Tabular.TabularReader.Open(path, preferredSheets: ImportProfiles.PreferredSheets))
        {
            var columns = OpenSidPendudukLayout.Columns.ToList();
            var occupations = new Dictionary<string, string>();
            while (written.Read())
            {
                Assert.Equal(("", ""), (written[columns.IndexOf("cacat_id")], written[columns.IndexOf("hamil")]));
                occupations[written[columns.IndexOf("nama")]] = written[columns.IndexOf("pekerjaan_id")];
            }
            Assert.Equal(("9", ""), (occupations["Sukijo Wiryo Sumarto"], occupations["Parjo"]));
        }
        Assert.Contains(before, line => line.Contains("] 2 ", StringComparison.Ordinal));

        var report = await ImportAsync(test, path, Gondang);

        Assert.Equal((0, 0, 3), (report.Families.Added, report.Families.Updated, report.Families.Unchanged));
        Assert.Equal((0, 0, 10), (report.Persons.Added, report.Persons.Updated, report.Persons.Unchanged));
        Assert.Equal(before, await SnapshotAsync(test, Gondang));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_whole_scope_is_one_OpenSID_file_per_village_and_a_village_operator_gets_only_their_village(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await SeedAsync(test);

        var regency = Path.GetTempFileName();
        var all = await ExportAsync(test, regency, RegistryExport.OpenSid, null, "csv", AccessScope.Regency);
        var own = Path.GetTempFileName();
        var mine = await ExportAsync(test, own, RegistryExport.OpenSid, null, "xlsx", AccessScope.Within(Other));

        Assert.Equal((2, 4, 12), (all.Villages, all.Families, all.Persons));
        using (var zip = ZipFile.OpenRead(regency))
        {
            Assert.Equal(["opensid-penduduk-3314012001.csv", "opensid-penduduk-3314022001.csv"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }
        Assert.Equal((1, 1, 2), (mine.Villages, mine.Families, mine.Persons));
        using (var zip = ZipFile.OpenRead(own))
        {
            var entry = Assert.Single(zip.Entries);
            Assert.Equal("opensid-penduduk-3314022001.xlsx", entry.FullName);
            var inner = Path.GetTempFileName() + ".xlsx";
            entry.ExtractToFile(inner);
            using var reader = Tuntas.Imports.Tabular.TabularReader.Open(inner, preferredSheets: ImportProfiles.PreferredSheets);
            var dusun = OpenSidPendudukLayout.Columns.ToList().IndexOf("dusun");
            var nik = OpenSidPendudukLayout.Columns.ToList().IndexOf("nik");
            Assert.True(reader.Read());
            Assert.Equal("DUSUN NGASEM", reader[dusun]);
            Assert.True(reader.Read());
            Assert.StartsWith("03314022001", reader[nik], StringComparison.Ordinal);
        }

        var refused = RegistryExport.Check(RegistryExport.OpenSid, Gondang, "xlsx", AccessScope.Within(Other), false, out var problems);
        Assert.Null(refused);
        Assert.Equal("VILLAGE_OUT_OF_SCOPE", Assert.Single(problems).Code);
        Assert.Null(RegistryExport.Check(RegistryExport.Dtks, null, "csv", AccessScope.Regency, false, out problems));
        Assert.Equal("EXPORT_DTKS_CSV", Assert.Single(problems).Code);
        Assert.Null(RegistryExport.Check("bdt", "33.14", "xlsx", AccessScope.Regency, false, out problems));
        Assert.Equal(["EXPORT_FORMAT", "VILLAGE_CODE"], problems.Select(p => p.Code));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_registry_in_the_DTKS_layout_has_OpenSIDs_sheets_headers_and_codes(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await SeedAsync(test);
        await using (var db = test.Database.CreateDb())
        {
            var parjo = await db.Families.SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(2));
            (parjo.StatusBangunan, parjo.JenisLantai, parjo.DayaListrik, parjo.AsetTv, parjo.LuasLahan, parjo.TernakKambing) = (1, 8, 900, false, 0, 3);
            await db.SaveChangesAsync();
        }

        var path = Path.GetTempFileName();
        var outcome = await ExportAsync(test, path, RegistryExport.Dtks, Gondang, "xlsx", AccessScope.Regency);
        var plain = Path.GetTempFileName();
        await ExportAsync(test, plain, RegistryExport.Dtks, Gondang, "xlsx", AccessScope.Regency, sensitive: true);

        Assert.Equal((1, 3, 10), (outcome.Villages, outcome.Families, outcome.Persons));
        var sheets = ReadWorkbook(path);
        Assert.Equal([ExportDtks.FamilySheet, ExportDtks.MemberSheet], sheets.Keys);
        var keluarga = sheets[ExportDtks.FamilySheet];
        Assert.Equal(5, keluarga.Count);
        Assert.All(keluarga, row => Assert.Equal(ExportDtks.FamilyColumns.Count, row.Count));
        Assert.Equal("III. KETERANGAN PERUMAHAN", keluarga[0][keluarga[1].IndexOf("301a")]);
        string Cell(List<string> row, string code) => row[keluarga[1].IndexOf(code)];
        var family = keluarga.Single(r => Cell(r, "114") == OpenSidFileBuilder.NoKk(2));
        Assert.Equal(("33", "14", "", "Parjo", "2"), (Cell(family, "101"), Cell(family, "102"), Cell(family, "104"), Cell(family, "108"), Cell(family, "112")));
        Assert.Equal(("1", "8", "2", "2", "2", "3", ""), (Cell(family, "301a"), Cell(family, "303"), Cell(family, "307b1"), Cell(family, "502f"),
            Cell(family, "503a"), Cell(family, "504e"), Cell(family, "502b")));
        // "Terakhir diubah" (the first column) in the regency's time, WIB for Sragen, as every page shows it, not UTC.
        await using (var db = test.Database.CreateDb())
        {
            var changed = (await db.Families.AsNoTracking().SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(2))).UpdatedAt;
            Assert.Equal(changed.AddHours(7).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), family[0]);
        }

        var anggota = sheets[ExportDtks.MemberSheet];
        Assert.Equal(13, anggota.Count);
        Assert.All(anggota, row => Assert.Equal(ExportDtks.MemberColumns.Count, row.Count));
        string Member(List<string> row, string code) => row[anggota[2].IndexOf(code)];
        var painem = anggota.Single(r => Member(r, "402 Nama") == "Mbah Painem");
        Assert.Equal(("2", "6", "4", "4", "23"), (Member(painem, "404"), Member(painem, "409"), Member(painem, "401"), Member(painem, "408"), Member(painem, "415")));
        Assert.Equal("3", Member(anggota.Single(r => Member(r, "402 Nama") == "Joko Susilo"), "404"));
        Assert.Equal("", Member(anggota.Single(r => Member(r, "402 Nama") == "Sri Wahyuni"), "410"));
        Assert.Equal("1", Member(ReadWorkbook(plain)[ExportDtks.MemberSheet].Single(r => Member(r, "402 Nama") == "Sri Wahyuni"), "410"));
        Assert.Equal("51", Member(anggota.Single(r => Member(r, "402 Nama") == "Sukijo Wiryo Sumarto"), "407"));
    }

    private static Dictionary<string, List<List<string>>> ReadWorkbook(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        var sheets = new Dictionary<string, List<List<string>>>(StringComparer.Ordinal);
        do
        {
            var rows = new List<List<string>>();
            while (reader.Read())
            {
                rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "")]);
            }
            sheets[reader.Name] = rows;
        }
        while (reader.NextResult());
        return sheets;
    }

    /// <summary>Every everyday name names a label of OpenSID's list; a label's code stays its own; two codes in one text
    /// and a text of no label get none.</summary>
    [Fact]
    public void Occupations_are_OpenSIDs_codes_by_label_or_by_a_fixed_list_of_everyday_names_never_guessed()
    {
        Assert.All(OpenSidPendudukLayout.EverydayOccupations, a => Assert.NotNull(OpenSidPendudukLayout.PekerjaanCodeOf(a.Key)));
        Assert.Equal(9, OpenSidPendudukLayout.PekerjaanCodeOf("Petani"));
        Assert.Equal(9, OpenSidPendudukLayout.PekerjaanCodeOf("petani / pekebun"));
        Assert.Equal(5, OpenSidPendudukLayout.PekerjaanCodeOf("PNS"));
        Assert.Equal(2, OpenSidPendudukLayout.PekerjaanCodeOf("Ibu Rumah Tangga"));
        Assert.Null(OpenSidPendudukLayout.PekerjaanCodeOf("TNI/Polri"));
        Assert.Null(OpenSidPendudukLayout.PekerjaanCodeOf("Buruh Bangunan"));
    }
}

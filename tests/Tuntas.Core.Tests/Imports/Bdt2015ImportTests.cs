using Microsoft.EntityFrameworkCore;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;
using Tuntas.Registry;
using Tuntas.Testing;
using static Tuntas.Testing.Bdt2015FileBuilder;

namespace Tuntas.Core.Tests.Imports;

/// <summary>
/// The <c>bdt-2015</c> profile: the PBDT 2015 data in OpenSID's BDT template (docs/import-profiles.md). It updates the
/// persons the registry already holds, by NIK, and their families; everyone else is passed over with a warning.
/// </summary>
public sealed class Bdt2015ImportTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private const string Gondang = "33.14.01.2001";

    private static Task<ImportReport> ImportAsync(TestDatabase test, string path, string? scope = null, string? profile = null) =>
        new ImportFamilies(test.Database, _clock).RunAsync(
            new ImportFamilies.Input(path, Path.GetFileName(path), false, "operator-kab", Village: Gondang, RegionScope: scope, Profile: profile), null, CancellationToken.None);

    private static string Issues(ImportReport report) =>
        report.Failure + string.Join("\n", report.Errors.Concat(report.Warnings).Select(e => $"{e.Row} {e.Column} {e.Code} {e.Value} {e.MessageEn}"));

    /// <summary>Gondang's three OpenSID families (docs/import-profiles.md's test village), registered first.</summary>
    private static async Task<Dictionary<string, string>> SeedAsync(TestDatabase test)
    {
        var report = await ImportAsync(test, OpenSidFileBuilder.Village().WriteXlsx());
        Assert.True(report.Committed, Issues(report));
        await using var db = test.Database.CreateDb();
        return await db.Persons.ToDictionaryAsync(p => p.Nama, p => p.Nik);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_BDT_file_updates_the_registered_persons_and_their_families_and_passes_over_the_rest(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var nik = await SeedAsync(test);
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(0, await db.Families.CountAsync(f => f.JenisLantai != null));
        }
        var stranger = ImportFileBuilder.NikFor(new DateOnly(1980, 1, 1), 1, 9911);
        var path = Bdt2015FileBuilder.Write(
            // Sukijo's household: hypertension, an SMP certificate, working.
            Row("330101000700010001", nik["Sukijo Wiryo Sumarto"], Poor, (80, "SUKIJO"), (82, "1"), (85, "1"), (87, "2"), (92, "0"), (93, "1"), (94, "2"), (95, "4"), (96, "8"), (97, "2"), (98, "1")),
            Row("330101000700010001", nik["Suminah"], Poor, (80, "SUMINAH"), (82, "2"), (85, "2"), (91, "2"), (92, "0"), (93, "0"), (94, "2"), (97, "0"), (98, "2")),
            Row("330101000700010001", nik["Bagus Prasetyo"], Poor, (80, "BAGUS"), (82, "3"), (85, "1"), (92, "2"), (93, "0"), (94, "1"), (95, "7"), (96, "2"), (97, "2"), (98, "2")),
            // Someone the registry does not hold (moved away since 2015), and Sukijo again.
            Row("330101000700010001", stranger, Poor, (80, "SLAMET"), (82, "8"), (85, "1"), (92, "0")),
            Row("330101000700010001", nik["Sukijo Wiryo Sumarto"], Poor, (80, "SUKIJO"), (92, "1")),
            // Ngadiman's family was enumerated in two households in 2015: the first one's answers are taken.
            Row("330101000700020001", nik["Ngadiman"], BetterOff, (80, "NGADIMAN"), (82, "1"), (85, "1"), (92, "0"), (94, "2"), (97, "3"), (98, "1")),
            Row("330101000700030001", nik["Sri Wahyuni"], Poor, (80, "SRI WAHYUNI"), (82, "1"), (85, "2"), (91, "1"), (92, "10"), (94, "2"), (97, "5")));

        var report = await ImportAsync(test, path);

        Assert.True(report.Committed, Issues(report));
        Assert.Equal(ImportProfiles.Bdt2015, report.Profile);
        Assert.Equal((0, 0), (report.Families.Added, report.Persons.Added));
        Assert.Equal((2, 5), (report.Families.Updated, report.Persons.Updated));
        Assert.Contains(report.Warnings, w => w.Code == "BDT_NOT_REGISTERED" && w.Row == 6 && w.Value == Nik.Mask(stranger));
        Assert.Contains(report.Warnings, w => w.Code == "BDT_NIK_REPEATED" && w.Row == 7 && w.MessageEn.Contains("row 3", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Code == "BDT_FAMILY_TWO_HOUSEHOLDS" && w.Row == 9 && w.MessageEn.Contains("row 8", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Warnings, w => w.Code is "NIK_SEX_MISMATCH" or "NIK_BIRTHDATE_MISMATCH");

        await using (var db = test.Database.CreateDb())
        {
            var sukijo = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(1));
            Assert.Equal((1, 42d, 8, 6, 3, 6), (sukijo.StatusBangunan, sukijo.LuasLantai, sukijo.JenisLantai, sukijo.JenisDinding, sukijo.JenisAtap, sukijo.SumberAirMinum));
            Assert.Equal((2, (int?)null, 10, 6), (sukijo.SumberPenerangan, sukijo.DayaListrik, sukijo.BahanBakarMasak, sukijo.FasilitasBab));
            Assert.Equal((false, false, true, false, false, true, false, false), (sukijo.AsetKulkas, sukijo.AsetAc, sukijo.AsetTv, sukijo.AsetEmas10g,
                sukijo.AsetKomputer, sukijo.AsetSepedaMotor, sukijo.AsetMobil, sukijo.AsetPerahuMotor));
            Assert.Equal((0d, 1, (int?)null), (sukijo.LuasLahan, sukijo.TernakSapi, sukijo.TernakKambing));
            // The address, the village and the KK stay as the registry has them.
            Assert.Equal((Gondang, "Jl. Sukowati, Dusun Krajan"), (sukijo.KodeDesa, sukijo.Alamat));

            var head = sukijo.Persons.Single(p => p.Nik == nik["Sukijo Wiryo Sumarto"]);
            Assert.Equal(("Sukijo Wiryo Sumarto", 1, new DateOnly(1975, 4, 12), 1, 2), (head.Nama, head.JenisKelamin, head.TanggalLahir, head.HubunganKk, head.StatusKawin));
            Assert.Equal((4, 2, true, 0, true), (head.Pendidikan, head.StatusSekolah, head.Bekerja, head.Disabilitas, head.PenyakitKronis));
            Assert.Equal(NameKey.For("Sukijo Wiryo Sumarto"), head.NamaKunci);
            var suminah = sukijo.Persons.Single(p => p.Nik == nik["Suminah"]);
            Assert.Equal((2, false, false, false), (suminah.Pendidikan, suminah.Hamil, suminah.Bekerja, suminah.PenyakitKronis));
            var bagus = sukijo.Persons.Single(p => p.Nik == nik["Bagus Prasetyo"]);
            Assert.Equal((4, 1, 2, false), (bagus.Pendidikan, bagus.StatusSekolah, bagus.Disabilitas, bagus.Hamil));
            // Mbah Painem is not in the BDT file: kept, with her death.
            Assert.Equal(LifeStatus.Meninggal, sukijo.Persons.Single(p => p.Nama == "Mbah Painem").StatusHidup);

            var ngadiman = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(3));
            Assert.Equal((2, 1, 2, 3, 1, 900, 4, 1, 700d), (ngadiman.JenisLantai, ngadiman.JenisDinding, ngadiman.JenisAtap, ngadiman.SumberAirMinum,
                ngadiman.SumberPenerangan, ngadiman.DayaListrik, ngadiman.BahanBakarMasak, ngadiman.FasilitasBab, ngadiman.LuasLahan));
            var sri = ngadiman.Persons.Single(p => p.Nik == nik["Sri Wahyuni"]);
            Assert.Equal((8, true, 4), (sri.Pendidikan, sri.Hamil, sri.Disabilitas));

            // Parjo's family is not in the file: untouched.
            var parjo = await db.Families.SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(2));
            Assert.Null(parjo.JenisLantai);

            // Each change is in the family's history, with the file.
            Assert.Contains(await db.FamilyChanges.Where(c => c.FamilyId == sukijo.Id).ToListAsync(),
                c => c.Field == "JENIS_LANTAI" && c.NewValue == "8" && c.SourceFile == Path.GetFileName(path));
        }

        // The same file again changes nothing.
        var again = await ImportAsync(test, path);
        Assert.True(again.Committed || again.ErrorCount == 0, Issues(again));
        Assert.Equal((0, 0), (again.Families.Updated, again.Persons.Updated));
    }

    /// <summary>BDT's template with a Tuntas column pasted beside it is two layouts in one file: refused at the header,
    /// naming the foreign columns (read as BDT, they were "unknown column" warnings and their data silently lost).</summary>
    [Fact]
    public void A_BDT_template_with_Tuntas_or_OpenSID_columns_is_refused_as_mixed()
    {
        string[] header = [.. Bdt2015Layout.Columns, "TANGGAL_LAHIR", "kk_level"];
        var path = Workbooks.Write(Path.Combine(Path.GetTempPath(), $"bdt-{Guid.NewGuid():N}.xlsx"), ("Sheet1", [header]));

        var refused = Assert.Throws<Tuntas.Imports.Tabular.TabularFormatException>(() => ImportProfiles.Open(path, null, new ProfileContext(Gondang)).Reader.Dispose());

        Assert.Equal("PROFILE_MIXED_BDT", refused.Code);
        Assert.Contains("TANGGAL_LAHIR, kk_level", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A review's finding: a NIK Excel turned into scientific notation, an empty NIK and a NIK behind Excel's
    /// apostrophe were all "not registered" (and a file of the first kind said "import the population first"). The
    /// notation refuses the file with its cell named; an empty NIK is passed over with its own reason; the apostrophe is
    /// read past.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_BDT_nik_in_scientific_notation_refuses_the_file_and_an_empty_one_is_passed_over_with_its_reason(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var nik = await SeedAsync(test);
        var clean = Bdt2015FileBuilder.Write(
            Row("330101000700010001", "'" + nik["Suminah"], Poor, (92, "0")),
            Row("330101000700010001", "", Poor, (80, "BAYI"), (92, "0")));

        var report = await ImportAsync(test, clean);

        Assert.True(report.Committed, Issues(report));
        Assert.Equal(1, report.Persons.Updated + report.Persons.Unchanged);
        // Row 1 is the header, row 2 the template's column numbers.
        var passed = Assert.Single(report.Warnings, w => w.Code == "BDT_NIK_INVALID");
        Assert.Equal(4, passed.Row);
        Assert.Contains("not 16 digits", passed.MessageEn, StringComparison.Ordinal);

        var scientific = Bdt2015FileBuilder.Write(
            Row("330101000700010001", nik["Suminah"], Poor, (92, "1")),
            Row("330101000700010001", "3.31401010190000E+15", Poor, (92, "0")));
        var refused = await ImportAsync(test, scientific);

        Assert.False(refused.Committed);
        var error = Assert.Single(refused.Errors);
        Assert.Equal(("NIK_NOTASI_ILMIAH", 4), (error.Code, error.Row));
        Assert.False(string.IsNullOrEmpty(error.Column));
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(0, (await db.Persons.SingleAsync(p => p.Nik == nik["Suminah"])).Disabilitas);
        }

        // A file whose every NIK lost its digits says that, not "import the population first"; the preview says it
        // before the import is queued.
        var allScientific = Bdt2015FileBuilder.Write(Row("330101000700010001", "3.31401010190000E+15", Poor, (92, "0")));
        var none = await ImportAsync(test, allScientific);
        Assert.Equal("NIK_NOTASI_ILMIAH", Assert.Single(none.Errors).Code);
        Assert.Contains(PreviewImport.Run(new PreviewImport.Input(allScientific, null, Gondang)).Problems, p => p.Code == "NIK_NOTASI_ILMIAH");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_BDT_file_whose_persons_are_not_registered_or_outside_the_area_writes_nothing_and_says_why(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var empty = await ImportAsync(test, Bdt2015FileBuilder.Write(Row("330101000700010001", ImportFileBuilder.NikFor(new DateOnly(1975, 4, 12), 1, 4242), Poor, (92, "0"))));
        Assert.False(empty.Committed);
        Assert.Contains(empty.Errors, e => e.Code == "BDT_NONE_REGISTERED" && e.MessageEn.Contains("None of the 1 persons", StringComparison.Ordinal));

        var nik = await SeedAsync(test);
        var path = Bdt2015FileBuilder.Write(Row("330101000700010001", nik["Suminah"], Poor, (92, "0")));
        // A village operator of another village: Gondang's persons are not theirs, and they learn nothing of them.
        var other = await ImportAsync(test, path, scope: "33.14.01.2002");
        Assert.False(other.Committed);
        Assert.Contains(other.Errors, e => e.Code == "BDT_NONE_REGISTERED");
        Assert.Contains(other.Warnings, w => w.Code == "BDT_NOT_REGISTERED" && w.Value == Nik.Mask(nik["Suminah"]));

        // Gondang's own operator may.
        var own = await ImportAsync(test, path, scope: Gondang);
        Assert.True(own.Committed, Issues(own));
        Assert.Equal(1, own.Families.Updated);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_coarser_BDT_answer_keeps_the_finer_value_the_registry_holds_and_changes_a_different_one(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var nik = await SeedAsync(test);
        await using (var db = test.Database.CreateDb())
        {
            var sukijo = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(1));
            // LPG 12 kg and a D3: the PBDT has only "gas above 3 kg" and "D1/D2/D3".
            sukijo.BahanBakarMasak = 3;
            sukijo.Persons.Single(p => p.Nama == "Sukijo Wiryo Sumarto").Pendidikan = 7;
            sukijo.Persons.Single(p => p.Nama == "Suminah").Pendidikan = 5;
            // As the registry's own writers leave them: the row hashes the import compares against.
            sukijo.RowHash = RegistryFields.FamilyHash(sukijo);
            sukijo.Persons.ForEach(p => p.RowHash = RegistryFields.PersonHash(p));
            await db.SaveChangesAsync();
        }
        var answers = new Dictionary<int, string> { [29] = "2" };
        var path = Bdt2015FileBuilder.Write(
            Row("330101000700010001", nik["Sukijo Wiryo Sumarto"], answers, (85, "1"), (92, "0"), (97, "4")),
            Row("330101000700010001", nik["Suminah"], answers, (85, "2"), (92, "0"), (97, "4")));

        var report = await ImportAsync(test, path);

        Assert.True(report.Committed, Issues(report));
        // Only Suminah changes (SMA → D1/D2/D3); the family's fuel and Sukijo's D3 stand.
        Assert.Equal((0, 1), (report.Families.Updated, report.Persons.Updated));
        await using (var db = test.Database.CreateDb())
        {
            var sukijo = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(1));
            Assert.Equal(3, sukijo.BahanBakarMasak);
            Assert.Equal((7, 6), (sukijo.Persons.Single(p => p.Nama == "Sukijo Wiryo Sumarto").Pendidikan, sukijo.Persons.Single(p => p.Nama == "Suminah").Pendidikan));
        }
        var again = await ImportAsync(test, path);
        Assert.Equal((0, 0), (again.Families.Updated, again.Persons.Updated));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_column_the_file_leaves_out_keeps_the_registrys_value(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var nik = await SeedAsync(test);
        var first = await ImportAsync(test, Bdt2015FileBuilder.Write(Row("330101000700010001", nik["Suminah"], Poor, (85, "2"), (92, "0"))));
        Assert.True(first.Committed, Issues(first));

        // An extract without 27 (sumber penerangan) and 19 (lantai): the power band alone says nothing of the source.
        var report = await ImportAsync(test, Bdt2015FileBuilder.WriteWithout([19, 27], Row("330101000700010001", nik["Suminah"], BetterOff, (85, "2"), (92, "0"))));

        Assert.True(report.Committed, Issues(report));
        await using var db = test.Database.CreateDb();
        var family = await db.Families.SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(1));
        Assert.Equal((8, 2, 900, 1), (family.JenisLantai, family.SumberPenerangan, family.DayaListrik, family.JenisDinding));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unknown_code_refuses_the_file_naming_the_BDT_column(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var nik = await SeedAsync(test);
        var answers = new Dictionary<int, string>(Poor) { [19] = "11", [38] = "1" };
        var report = await ImportAsync(test, Bdt2015FileBuilder.Write(Row("330101000700010001", nik["Suminah"], answers, (85, "2"), (97, "7"))));

        Assert.False(report.Committed);
        Assert.Contains(report.Errors, e => e.Code == "CODE_UNKNOWN" && e.Column == "Lantai terluas (19)" && e.Value == "11" && e.Row == 3);
        // Televisi is asked in the second column: 3 ya, 4 tidak; a 1 there is a tick in the wrong box.
        Assert.Contains(report.Errors, e => e.Code == "CODE_UNKNOWN" && e.Column == "Kepemilikan televisi (38)" && e.MessageEn.Contains("3–4", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.Code == "CODE_UNKNOWN" && e.Column == "Ijazah tertinggi" && e.Value == "7");
        await using var db = test.Database.CreateDb();
        Assert.Equal(0, await db.Families.CountAsync(f => f.JenisLantai != null));
    }

    [Fact]
    public void The_preview_recognises_the_template_and_lists_what_it_reads_and_what_not()
    {
        var path = Bdt2015FileBuilder.Write(Row("330101000700010001", ImportFileBuilder.NikFor(new DateOnly(1975, 4, 12), 1, 4243), Poor, (92, "0"), (97, "2")));

        var preview = PreviewImport.Run(new PreviewImport.Input(path, null, null));

        Assert.Equal(ImportProfiles.Bdt2015, preview.Profile);
        Assert.Empty(preview.Problems);
        Assert.Contains(preview.Mapping, m => m.FileColumn == "Lantai terluas (19)" && m.Field == "JENIS_LANTAI");
        Assert.Contains(preview.Mapping, m => m.FileColumn == "Sumber penerangan utama (27)" && m.Field == "SUMBER_PENERANGAN");
        Assert.Contains(preview.Mapping, m => m.FileColumn == "Ijazah tertinggi" && m.Field == "PENDIDIKAN");
        Assert.Contains("Status KKS", preview.Unmapped);
        Assert.Contains("Nama ART", preview.Unmapped);
        Assert.DoesNotContain("ID rumah tangga (2)", preview.Unmapped);
        var row = Assert.Single(preview.Rows);
        Assert.Equal(3, row.Number);
        Assert.Equal("8", row.Values[preview.Fields.ToList().IndexOf("JENIS_LANTAI")]);
    }
}

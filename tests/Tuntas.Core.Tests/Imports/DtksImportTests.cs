using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;
using Tuntas.Registry;
using Tuntas.Registry.Exports;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Imports;

/// <summary>The <c>opensid-dtks</c> profile: OpenSID's REGSOSEK2022.K workbook (docs/import-profiles.md).</summary>
public sealed class DtksImportTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private const string Gondang = "33.14.01.2001";

    private static Task<ImportReport> ImportAsync(TestDatabase test, string path, string? village = Gondang, bool dryRun = false) =>
        new ImportFamilies(test.Database, _clock).RunAsync(
            new ImportFamilies.Input(path, Path.GetFileName(path), dryRun, "operator-kab", Village: village), null, CancellationToken.None);

    private static string Errors(ImportReport report) =>
        report.Failure + string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Code} {e.Value} {e.MessageEn}"));

    /// <summary>Gondang's OpenSID village with housing and assets on one family, pregnancy, schooling and work on members.</summary>
    private static async Task SeedAsync(TestDatabase test)
    {
        var report = await ImportAsync(test, OpenSidFileBuilder.Village().WriteXlsx());
        Assert.True(report.Committed, Errors(report));
        await using var db = test.Database.CreateDb();
        var parjo = await db.Families.SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(2));
        (parjo.StatusBangunan, parjo.LuasLantai, parjo.JenisLantai, parjo.JenisDinding, parjo.DayaListrik, parjo.AsetTv, parjo.AsetSepedaMotor,
            parjo.TernakKambing, parjo.AsetRekening) = (1, 36, 8, 4, 900, false, true, 3, false);
        foreach (var person in await db.Persons.Where(p => p.FamilyId == parjo.Id).ToListAsync())
        {
            (person.StatusSekolah, person.Bekerja) = (2, person.HubunganKk == 1);
        }
        await db.SaveChangesAsync();
    }

    private static async Task<string> ExportAsync(TestDatabase test, bool sensitive = true)
    {
        var request = RegistryExport.Check(RegistryExport.Dtks, Gondang, "xlsx", AccessScope.Regency, sensitive, out var problems);
        Assert.Empty(problems);
        var path = Path.Combine(Path.GetTempPath(), $"dtks-{Guid.NewGuid():N}.xlsx");
        await using var db = test.Database.CreateDb();
        await using var output = File.Create(path);
        await RegistryExport.WriteAsync(request!, db, _clock, output, CancellationToken.None);
        return path;
    }

    /// <summary>Every field both the registry and the DTKS layout hold, as the DTKS layout holds it (its codes are
    /// coarser: 409 has 8 relationships, 415 certificates, 307b1 power bands).</summary>
    private static async Task<List<string>> SnapshotAsync(TestDatabase test)
    {
        await using var db = test.Database.CreateDb();
        var families = await db.Families.AsNoTracking().Include(f => f.Persons).Where(f => f.KodeDesa == Gondang).OrderBy(f => f.NoKk).ToListAsync();
        return [.. families.SelectMany(f => new[]
            {
                $"{f.NoKk} {f.KodeDesa} [{f.Alamat}] {f.Rt}/{f.Rw} {f.StatusBangunan} {f.LuasLantai} {f.JenisLantai} {f.JenisDinding} {f.JenisAtap} " +
                $"{f.SumberAirMinum} {f.SumberPenerangan} {f.DayaListrik} {f.BahanBakarMasak} {f.FasilitasBab} {f.AsetKulkas} {f.AsetTv} " +
                $"{f.AsetSepedaMotor} {f.AsetRekening} {f.TernakSapi} {f.TernakKambing}",
            }
            .Concat(f.Persons.OrderBy(p => p.Nik, StringComparer.Ordinal).Select(p =>
                $"  {p.Nik} {p.Nama} {p.JenisKelamin} {p.TanggalLahir:yyyy-MM-dd} {ExportDtks.Hubungan(p.HubunganKk)} {p.StatusKawin} " +
                $"{ExportDtks.Ijazah(p.Pendidikan)} {p.StatusSekolah} {p.Bekerja} {p.Hamil} {p.StatusHidup}")))];
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_DTKS_export_imported_into_a_fresh_registry_gives_the_same_families_and_persons(string provider)
    {
        await using var source = await TestDatabase.CreateAsync(provider);
        await SeedAsync(source);
        var before = await SnapshotAsync(source);
        Assert.Contains(before, line => line.Contains(" 900 ", StringComparison.Ordinal));
        var path = await ExportAsync(source);

        await using var copy = await TestDatabase.CreateAsync(provider);
        var report = await ImportAsync(copy, path);

        Assert.True(report.Committed, Errors(report));
        Assert.Equal(ImportProfiles.OpenSidDtks, report.Profile);
        Assert.Equal("Keluarga + Anggota Keluarga", report.Sheet);
        Assert.Equal((3, 10), (report.Families.Added, report.Persons.Added));
        Assert.Equal(before, await SnapshotAsync(copy));

        // The same file again into the registry it came from changes nothing it carries.
        var again = await ImportAsync(copy, path);
        Assert.True(again.Committed || again.ErrorCount == 0, Errors(again));
        Assert.Equal((0, 0), (again.Families.Updated, again.Persons.Updated));
    }

    /// <summary>A village operator may not see health data: their export leaves 410 (pregnancy) empty, and importing it
    /// back must not erase the village's recorded pregnancies.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operators_DTKS_export_without_pregnancy_imported_back_keeps_every_pregnancy(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await SeedAsync(test);
        async Task<List<string>> PregnanciesAsync()
        {
            await using var db = test.Database.CreateDb();
            var women = await db.Persons.Where(p => p.JenisKelamin == 2).OrderBy(p => p.Nik).Select(p => new { p.Nama, p.Hamil }).ToListAsync();
            return [.. women.Select(p => $"{p.Nama} {p.Hamil}")];
        }
        var before = await PregnanciesAsync();
        Assert.Contains("Sri Wahyuni True", before);
        Assert.Contains("Tukinem False", before);
        var path = await ExportAsync(test, sensitive: false);

        var report = await ImportAsync(test, path);

        Assert.True(report.Committed || report.ErrorCount == 0, Errors(report));
        Assert.Equal(before, await PregnanciesAsync());
        await using var after = test.Database.CreateDb();
        Assert.Equal(0, await after.FamilyChanges.CountAsync(c => c.SourceFile == Path.GetFileName(path) && c.Field == "HAMIL"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_DTKS_export_imported_back_keeps_the_registrys_finer_codes(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await SeedAsync(test);
        await using (var db = test.Database.CreateDb())
        {
            // A mother-in-law (SHDK 8) and a D3 graduate (7): the DTKS has only "orang tua/mertua" and "D1/D2/D3".
            var persons = await db.Persons.ToListAsync();
            (persons.Single(p => p.Nama == "Mbah Painem").HubunganKk, persons.Single(p => p.Nama == "Bagus Prasetyo").Pendidikan) = (8, 7);
            foreach (var person in persons)
            {
                // Tidak/belum sekolah: never went to school (412 = 1), else the DTKS's 23 (no SD certificate) reads as 2.
                person.StatusSekolah = person.Pendidikan == 1 ? 0 : person.StatusSekolah;
                person.RowHash = RegistryFields.PersonHash(person);
            }
            // 307b1 has one band above 2,200 W and no answer for a family without PLN.
            var families = await db.Families.OrderBy(f => f.NoKk).ToListAsync();
            (families[0].DayaListrik, families[2].DayaListrik) = (3500, 0);
            foreach (var family in families)
            {
                family.RowHash = RegistryFields.FamilyHash(family);
            }
            await db.SaveChangesAsync();
        }
        var path = await ExportAsync(test);

        var report = await ImportAsync(test, path);

        Assert.True(report.Committed || report.ErrorCount == 0, Errors(report));
        Assert.Equal((0, 0), (report.Families.Updated, report.Persons.Updated));
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(8, (await db.Persons.SingleAsync(p => p.Nama == "Mbah Painem")).HubunganKk);
            Assert.Equal(7, (await db.Persons.SingleAsync(p => p.Nama == "Bagus Prasetyo")).Pendidikan);
            Assert.Equal([3500, 900, 0], await db.Families.OrderBy(f => f.NoKk).Select(f => f.DayaListrik).ToListAsync());
            Assert.Equal(0, await db.FamilyChanges.CountAsync(c => c.SourceFile == Path.GetFileName(path)));
        }
    }

    /// <summary>A user's test: the registry's "tidak/belum sekolah" (1) with its schooling unknown goes out as 415 = 23 and
    /// no 412, which read back as "belum tamat SD" (2); the village's next OpenSID file set it back to 1. Each import
    /// changed the elders of the village and wrote a history line. The registry's 1 now stays.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_DTKS_export_imported_back_keeps_never_schooled_whose_schooling_is_unknown(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var village = OpenSidFileBuilder.Village();
        Assert.True((await ImportAsync(test, village.WriteCsv())).Committed);
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(2, await db.Persons.CountAsync(p => p.Pendidikan == 1 && p.StatusSekolah == null));
        }
        var path = await ExportAsync(test);

        var report = await ImportAsync(test, path);

        Assert.True(report.Committed, Errors(report));
        Assert.Equal(0, report.Persons.Updated);
        var again = await ImportAsync(test, village.WriteCsv());
        Assert.Equal(0, again.Persons.Updated);
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(2, await db.Persons.CountAsync(p => p.Pendidikan == 1));
            Assert.Equal(0, await db.FamilyChanges.CountAsync(c => c.Field == "PENDIDIKAN"));
        }
    }

    /// <summary>A DTKS workbook as OpenSID v2410 writes it (411 written twice, so every later value is one column to the
    /// right), a family of the family sheet without members, and what is refused.</summary>
    /// <param name="without">Question codes whose column the workbook lacks (its header cells left empty).</param>
    private static string Workbook(Action<List<object?[]>, List<object?[]>> fill, string? otherSheet = null, IReadOnlySet<string>? without = null,
        string[]? otherHeader = null)
    {
        string Header(string code, string text) => without?.Contains(code.Split(' ')[0]) == true ? "" : text;
        var families = new List<object?[]>();
        var members = new List<object?[]>();
        fill(families, members);
        var path = Path.Combine(Path.GetTempPath(), $"dtks-{Guid.NewGuid():N}.xlsx");
        using (var output = File.Create(path))
        using (var sheet = ExportSheet.Open(output, csv: false, ExportDtks.FamilySheet))
        {
            sheet.Row([.. ExportDtks.FamilyColumns.Select(c => c.Section)]);
            sheet.Row([.. ExportDtks.FamilyColumns.Select(c => Header(c.Code, c.Code))]);
            families.ForEach(sheet.Row);
            sheet.NextSheet(ExportDtks.MemberSheet);
            sheet.Row([.. ExportDtks.MemberColumns.Select(c => c.Section)]);
            sheet.Row([.. ExportDtks.MemberColumns.Select(c => c.Block)]);
            sheet.Row([.. ExportDtks.MemberColumns.Select(c => Header(c.Code, c.Code))]);
            members.ForEach(sheet.Row);
            if (otherSheet is not null)
            {
                sheet.NextSheet(otherSheet);
                sheet.Row([.. otherHeader ?? ["nama", "nik"]]);
            }
        }
        return path;
    }

    private static object?[] FamilyRow(string noKk, params (string Code, object? Value)[] cells)
    {
        var row = new object?[ExportDtks.FamilyColumns.Count];
        foreach (var (code, value) in cells.Append(("101", "33")).Append(("102", "14")).Append(("114", noKk)))
        {
            row[ExportDtks.FamilyColumns.ToList().FindIndex(c => c.Code == code)] = value;
        }
        return row;
    }

    /// <summary>A member row; <paramref name="openSid"/> writes it as OpenSID v2410 does (411 twice).</summary>
    private static object?[] MemberRow(bool openSid, params (string Code, object? Value)[] cells)
    {
        var codes = ExportDtks.MemberColumns.Select(c => c.Code).ToList();
        var row = new object?[codes.Count + 1];
        foreach (var (code, value) in cells)
        {
            var index = codes.IndexOf(code);
            row[openSid && index > codes.IndexOf("411") ? index + 1 : index] = value;
        }
        if (openSid)
        {
            row[codes.IndexOf("411") + 1] = row[codes.IndexOf("411")];
        }
        return row;
    }

    /// <param name="ijazah">415, or null where REGSOSEK skips it (412 = 1: never went to school).</param>
    /// <param name="sekolah">412, or null for none (the registry's own export, for a schooling it does not know).</param>
    private static object?[] Member(bool openSid, string noKk, int order, string name, string nik, int sex, string birth, int relation, int? ijazah,
        int? sekolah = 3, int keberadaan = 1) =>
        MemberRow(openSid, ("No KK", noKk), ("401", order), ("402 Nama", name), ("403 NIK", nik), ("404", keberadaan), ("405", sex),
            ("406", birth), ("408", relation == 1 || relation == 2 ? 2 : 1), ("409", relation), ("411", 4), ("412", sekolah), ("415", ijazah),
            ("416a", 1));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpenSIDs_own_workbook_is_read_under_its_headers_and_a_family_without_members_updates_the_registry(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await SeedAsync(test);
        var existing = OpenSidFileBuilder.NoKk(1);
        var noKk = ImportFileBuilder.NoKkFor(501);
        (string? Alamat, string? Rt, string? Rw) before;
        await using (var seeded = test.Database.CreateDb())
        {
            var seededFamily = await seeded.Families.SingleAsync(f => f.NoKk == existing);
            before = (seededFamily.Alamat, seededFamily.Rt, seededFamily.Rw);
        }
        Assert.NotNull(before.Alamat);
        Assert.NotNull(before.Rt);
        var path = Workbook((families, members) =>
        {
            families.Add(FamilyRow(noKk, ("106", "RT 004 / RW 002 DUSUN KRAJAN"), ("107", "Jl. Kenanga 4"), ("301a", 2), ("303", 6), ("307b1", 1), ("502f", 1)));
            // An SLS named by its dusun alone, no address: what the village's OpenSID file set stays.
            families.Add(FamilyRow(existing, ("106", "DUSUN KRAJAN"), ("301a", 1), ("303", 2), ("307a", 1), ("307b1", 3), ("502i", 1)));
            members.Add(Member(true, noKk, 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 8));
            members.Add(Member(true, noKk, 2, "Sumarni", "3314014809830002", 2, "1983-09-08", 2, 23, sekolah: 1));
            members.Add(Member(true, noKk, 3, "Bayu Setiawan", "3314011203100001", 1, "2010-03-12", 3, 3, sekolah: 2));
            members.Add(Member(true, noKk, 4, "Adinda Putri", "3314014105220001", 2, "2022-05-01", 3, null, sekolah: 1));
        });

        var report = await ImportAsync(test, path);

        Assert.True(report.Committed, Errors(report));
        Assert.Equal((1, 1, 0), (report.Families.Added, report.Families.Updated, report.Families.Unchanged));
        Assert.Equal(4, report.Persons.Added);
        Assert.DoesNotContain(report.Warnings, w => w.Code == "MEMBER_NOT_IN_FILE");
        await using var db = test.Database.CreateDb();
        var family = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == noKk);
        Assert.Equal(("Jl. Kenanga 4", "004", "002", 2, 6, 450, true), (family.Alamat, family.Rt, family.Rw, family.StatusBangunan, family.JenisLantai, family.DayaListrik, family.AsetTv));
        var sumarni = family.Persons.Single(p => p.Nama == "Sumarni");
        Assert.Equal((3, 1, 0, true, 0), (sumarni.HubunganKk, sumarni.Pendidikan, sumarni.StatusSekolah, sumarni.Bekerja, sumarni.Disabilitas));
        var bayu = family.Persons.Single(p => p.Nama == "Bayu Setiawan");
        Assert.Equal((4, 3, 1), (bayu.HubunganKk, bayu.Pendidikan, bayu.StatusSekolah));
        var adinda = family.Persons.Single(p => p.Nama == "Adinda Putri");
        Assert.Equal((1, 0), (adinda.Pendidikan, adinda.StatusSekolah));
        var updated = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == existing);
        Assert.Equal((1, 2, 1300, true), (updated.StatusBangunan, updated.JenisLantai, updated.DayaListrik, updated.AsetSepedaMotor));
        // The workbook's 107 is empty and its 106 names no RT or RW for that family: the DTKS workbook after the
        // village's population file does not blank the address and RT/RW that file set (a partial update).
        Assert.Equal(before, (updated.Alamat, updated.Rt, updated.Rw));
        Assert.NotEmpty(updated.Persons);
    }

    /// <summary>A review's finding: a workbook without one housing or asset question (an older OpenSID, a deleted
    /// column) was refused whole with COLUMN_MISSING, although housing and assets are no longer required. It imports
    /// what it has; the questions it lacks leave the registry's values and are named once. The KK and the identity
    /// questions stay required.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_workbook_without_some_housing_and_member_questions_updates_what_it_has_and_keeps_the_rest(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await SeedAsync(test);
        var parjo = OpenSidFileBuilder.NoKk(2);
        var path = Workbook((families, members) => families.Add(FamilyRow(parjo, ("301a", 2), ("303", 2), ("502f", 1))),
            without: new HashSet<string> { "502i", "506", "412", "416a" });

        var report = await ImportAsync(test, path);

        Assert.True(report.Committed, Errors(report));
        var named = Assert.Single(report.Warnings, w => w.Code == "COLUMNS_ABSENT_KEPT");
        Assert.Contains("Keluarga!502i", named.Message, StringComparison.Ordinal);
        Assert.Contains("!412", named.MessageEn, StringComparison.Ordinal);
        await using (var db = test.Database.CreateDb())
        {
            var family = await db.Families.SingleAsync(f => f.NoKk == parjo);
            // 301a, 303 and 502f from the file; the motorbike and the bank account as the registry had them.
            Assert.Equal((2, 2, true, true, false), (family.StatusBangunan, family.JenisLantai, family.AsetTv, family.AsetSepedaMotor, family.AsetRekening));
        }

        var noKk = Workbook((families, members) => families.Add(FamilyRow(parjo, ("301a", 1))), without: new HashSet<string> { "114" });
        var noNik = Workbook((families, members) => families.Add(FamilyRow(parjo, ("301a", 1))), without: new HashSet<string> { "403" });
        var noCertificate = Workbook((families, members) => families.Add(FamilyRow(parjo, ("301a", 1))), without: new HashSet<string> { "415" });
        var withoutKk = await ImportAsync(test, noKk, dryRun: true);
        var withoutNik = await ImportAsync(test, noNik, dryRun: true);
        var withoutCertificate = await ImportAsync(test, noCertificate, dryRun: true);
        Assert.True(withoutKk.Errors.Any(e => e.Code == "COLUMN_MISSING" && e.Column == "Keluarga!114"), Errors(withoutKk));
        Assert.True(withoutNik.Errors.Any(e => e.Code == "COLUMN_MISSING" && e.Column!.EndsWith("!403", StringComparison.Ordinal)), Errors(withoutNik));
        // The registry requires a person's education: without 415 the file is refused once at its header, where every
        // member row was refused with REQUIRED under a header warning that said its values were kept.
        var certificate = Assert.Single(withoutCertificate.Errors);
        Assert.Equal("COLUMN_MISSING", certificate.Code);
        Assert.EndsWith("!415", certificate.Column, StringComparison.Ordinal);
    }

    /// <summary>A user's test: a workbook holding the village's OpenSID population sheet beside the DTKS sheets was read
    /// as DTKS, and the population sheet passed over without a word. Two layouts in one file are refused (nothing
    /// written, the sheet and its layout named); a sheet of notes is named as not read.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_sheet_the_DTKS_reading_passes_over_is_named_and_one_of_another_layout_refuses_the_file(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var noKk = ImportFileBuilder.NoKkFor(501);
        void Fill(List<object?[]> families, List<object?[]> members)
        {
            families.Add(FamilyRow(noKk, ("301a", 1)));
            members.Add(Member(false, noKk, 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 8));
        }
        // A sheet of notes with a NIK column is not a file of another layout.
        var notes = Workbook(Fill, otherSheet: "Catatan", otherHeader: ["No", "Nama", "NIK", "Keterangan"]);
        var mixed = Workbook(Fill, otherSheet: "Data Penduduk", otherHeader: ["nama", "nik", "no_kk", "sex", "tanggallahir"]);

        var report = await ImportAsync(test, notes, dryRun: true);
        var refused = await ImportAsync(test, mixed);

        Assert.Equal(0, report.ErrorCount);
        var warning = Assert.Single(report.Warnings, w => w.Code == "SHEETS_NOT_READ");
        Assert.Contains("'Catatan'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'Catatan'", warning.MessageEn, StringComparison.Ordinal);
        var preview = PreviewImport.Run(new PreviewImport.Input(notes, null, Gondang));
        Assert.Contains(preview.Notes!, n => n.Code == "SHEETS_NOT_READ");

        Assert.False(refused.Committed);
        var error = Assert.Single(refused.Errors, e => e.Code == "PROFILE_MIXED_SHEETS");
        Assert.Contains("'Data Penduduk'", error.Message, StringComparison.Ordinal);
        Assert.Contains("in the OpenSID penduduk format", error.MessageEn, StringComparison.Ordinal);
        await using var db = test.Database.CreateDb();
        Assert.False(await db.Families.AnyAsync(f => f.NoKk == noKk));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_family_without_members_an_unknown_code_and_a_member_without_family_refuse_the_file(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = Workbook((families, members) =>
        {
            families.Add(FamilyRow(ImportFileBuilder.NoKkFor(501), ("301a", 9)));
            families.Add(FamilyRow(ImportFileBuilder.NoKkFor(502)));
            members.Add(Member(false, ImportFileBuilder.NoKkFor(501), 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 8));
            members.Add(Member(false, ImportFileBuilder.NoKkFor(503), 1, "Ngatini", "3314014809830002", 2, "1983-09-08", 9, 8));
        });

        var report = await ImportAsync(test, path);

        Assert.False(report.Committed);
        Assert.Contains(report.Errors, e => e is { Code: "CODE_UNKNOWN", Column: "Keluarga!301a", Row: 3 });
        report = await ImportAsync(test, Workbook((families, members) =>
        {
            families.Add(FamilyRow(ImportFileBuilder.NoKkFor(501)));
            families.Add(FamilyRow(ImportFileBuilder.NoKkFor(502)));
            members.Add(Member(false, ImportFileBuilder.NoKkFor(501), 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 8));
            members.Add(Member(false, ImportFileBuilder.NoKkFor(503), 1, "Ngatini", "3314014809830002", 2, "1983-09-08", 9, 8));
        }));
        Assert.False(report.Committed);
        Assert.Contains(report.Errors, e => e is { Code: "DTKS_FAMILY_MISSING", Column: "Anggota Keluarga!No KK", Row: 5 });
        Assert.Contains(report.Errors, e => e is { Code: "CODE_UNKNOWN", Column: "Anggota Keluarga!409", Row: 5 });
        Assert.Contains(report.Errors, e => e is { Code: "FAMILY_NO_MEMBERS", Row: 4 });
        Assert.Contains("anggota", report.Errors.First(e => e.Code == "FAMILY_NO_MEMBERS").Message, StringComparison.Ordinal);
        await using var db = test.Database.CreateDb();
        Assert.Equal(0, await db.Families.CountAsync());

        // A user's test: a family value the code list reads but the registry refuses (301a = 6) was said on the member
        // sheet's rows, once per member; it is said once, on the family sheet's row.
        report = await ImportAsync(test, Workbook((families, members) =>
        {
            families.Add(FamilyRow(ImportFileBuilder.NoKkFor(501), ("301a", 6)));
            members.Add(Member(false, ImportFileBuilder.NoKkFor(501), 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 8));
            members.Add(Member(false, ImportFileBuilder.NoKkFor(501), 2, "Ngatini", "3314014809830002", 2, "1983-09-08", 2, 8));
        }), dryRun: true);
        var refused = Assert.Single(report.Errors, e => e.Column == "Keluarga!301a");
        Assert.Equal((3L, "6"), (refused.Row, refused.Value));

        var wrongRegion = await ImportAsync(test, path, village: "35.07.01.2001");
        Assert.Contains(wrongRegion.Errors, e => e.Code == "DTKS_REGION");
        var noVillage = await ImportAsync(test, path, village: null);
        Assert.Contains(noVillage.Errors, e => e.Code == "VILLAGE_REQUIRED");
    }

    [Fact]
    public void The_preview_names_the_profile_the_mapping_the_columns_not_read_and_the_first_rows_masked()
    {
        var noKk = ImportFileBuilder.NoKkFor(501);
        var path = Workbook((families, members) =>
        {
            families.Add(FamilyRow(noKk, ("106", "RT 004 RW 002"), ("303", 6)));
            members.Add(Member(true, noKk, 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 8));
            members.Add(Member(true, noKk, 2, "Sumarni", "3314014809830002", 2, "1983-09-08", 2, 99));
        });

        var preview = PreviewImport.Run(new PreviewImport.Input(path, null, Gondang));

        Assert.Equal((ImportProfiles.OpenSidDtks, "Keluarga + Anggota Keluarga"), (preview.Profile, preview.Sheet));
        Assert.Contains(preview.Mapping, m => (m.FileColumn, m.Field) == ("Anggota Keluarga!403", "NIK"));
        Assert.Contains(preview.Mapping, m => (m.FileColumn, m.Field) == ("Keluarga!303", "JENIS_LANTAI"));
        Assert.Contains("Keluarga!101", preview.Unmapped);
        Assert.Contains("Anggota Keluarga!431f", preview.Unmapped);
        // Read, though under no column of their own or under their question code alone: never "not read".
        Assert.DoesNotContain(preview.Unmapped, c => c.StartsWith("Anggota Keluarga!No KK", StringComparison.Ordinal)
            || c.StartsWith("Anggota Keluarga!402", StringComparison.Ordinal) || c.StartsWith("Anggota Keluarga!403", StringComparison.Ordinal)
            || c.StartsWith("Keluarga!303", StringComparison.Ordinal));
        Assert.Empty(preview.Problems);
        Assert.Equal(2, preview.Rows.Count);
        string Value(int row, string field) => preview.Rows[row].Values[preview.Fields.ToList().IndexOf(field)];
        Assert.Equal((Nik.Mask("3314010507800003"), "Slamet Riyadi", "004", "002", "6", "4"), (Value(0, "NIK"), Value(0, "NAMA"), Value(0, "RT"), Value(0, "RW"), Value(0, "JENIS_LANTAI"), Value(0, "PENDIDIKAN")));
        Assert.Equal("3", Value(1, "HUBUNGAN_KK"));
        Assert.Equal(("CODE_UNKNOWN", "Anggota Keluarga!415"), (preview.Rows[1].Issues.Single().Code, preview.Rows[1].Issues.Single().Column));
    }

    /// <summary>415 = 23 without 412: the import keeps the registry's 1 (tidak/belum sekolah) and reads anyone else as 2.
    /// The preview read the file only and showed 2 for both; its caller now reads the village's never-schooled persons
    /// first (<see cref="PreviewImport.WithRegistryAsync"/>), and the preview shows what the import writes.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_preview_shows_the_registrys_never_schooled_kept_as_the_import_keeps_them(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var noKk = ImportFileBuilder.NoKkFor(501);
        // Registered: Sumarni never went to school (412 = 1: PENDIDIKAN 1), Slamet holds an SMP certificate (PENDIDIKAN 4).
        var first = await ImportAsync(test, Workbook((families, members) =>
        {
            families.Add(FamilyRow(noKk, ("301a", 1)));
            members.Add(Member(false, noKk, 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 8));
            members.Add(Member(false, noKk, 2, "Sumarni", "3314014809830002", 2, "1983-09-08", 2, null, sekolah: 1));
        }));
        Assert.True(first.Committed, Errors(first));
        // Every one 23 without 412, and Bayu not registered.
        var path = Workbook((families, members) =>
        {
            families.Add(FamilyRow(noKk, ("301a", 1)));
            members.Add(Member(false, noKk, 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 23, sekolah: null));
            members.Add(Member(false, noKk, 2, "Sumarni", "3314014809830002", 2, "1983-09-08", 2, 23, sekolah: null));
            members.Add(Member(false, noKk, 3, "Bayu Setiawan", "3314011203100001", 1, "2010-03-12", 3, 23, sekolah: null));
        });
        var input = new PreviewImport.Input(path, null, Gondang);

        PreviewImport.Outcome preview;
        await using (var db = test.Database.CreateDb())
        {
            preview = PreviewImport.Run(await PreviewImport.WithRegistryAsync(input, db, CancellationToken.None));
        }

        static Dictionary<string, string> Pendidikan(PreviewImport.Outcome preview) => preview.Rows.ToDictionary(
            r => r.Values[preview.Fields.ToList().IndexOf("NAMA")], r => r.Values[preview.Fields.ToList().IndexOf("PENDIDIKAN")]);
        Assert.Empty(preview.Problems);
        var shown = Pendidikan(preview);
        Assert.Equal(("2", "1", "2"), (shown["Slamet Riyadi"], shown["Sumarni"], shown["Bayu Setiawan"]));
        // The file alone cannot tell Sumarni's 1 (what the preview showed before).
        Assert.Equal("2", Pendidikan(PreviewImport.Run(input))["Sumarni"]);
        var report = await ImportAsync(test, path);
        Assert.True(report.Committed, Errors(report));
        await using (var db = test.Database.CreateDb())
        {
            var family = await db.Families.Where(f => f.NoKk == noKk).Select(f => f.Id).SingleAsync();
            var written = await db.Persons.Where(p => p.FamilyId == family).ToDictionaryAsync(p => p.Nama, p => p.Pendidikan.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(shown, written);
        }
    }

    /// <summary>What the preview's caller reads from the registry for it: only a DTKS workbook's village (given or named by
    /// the file's name), and never a village outside the previewer's area (the preview refuses that file).</summary>
    [Fact]
    public void The_preview_reads_the_never_schooled_of_a_workbooks_village_inside_the_previewers_area_only()
    {
        var noKk = ImportFileBuilder.NoKkFor(501);
        var path = Workbook((families, members) =>
        {
            families.Add(FamilyRow(noKk, ("301a", 1)));
            members.Add(Member(false, noKk, 1, "Slamet Riyadi", "3314010507800003", 1, "1980-07-05", 1, 23, sekolah: null));
        });
        var input = new PreviewImport.Input(path, null, Gondang);

        Assert.Equal(Gondang, PreviewImport.NeverSchooledVillage(input));
        Assert.Equal(Gondang, PreviewImport.NeverSchooledVillage(input with { Profile = ImportProfiles.OpenSidDtks, RegionScope = Gondang }));
        Assert.Equal(Gondang, PreviewImport.NeverSchooledVillage(input with { Village = null, SourceName = "regsosek-3314012001.xlsx" }));
        Assert.Equal(Gondang, PreviewImport.NeverSchooledVillage(input with { Village = null, RegionScope = "33.14.01", SourceName = "regsosek-3314012001.xlsx" }));
        Assert.Null(PreviewImport.NeverSchooledVillage(input with { RegionScope = "33.14.01.2002" }));
        Assert.Null(PreviewImport.NeverSchooledVillage(input with { Village = null }));
        Assert.Null(PreviewImport.NeverSchooledVillage(input with { Village = "3314" }));
        Assert.Null(PreviewImport.NeverSchooledVillage(input with { Profile = ImportProfiles.OpenSidPenduduk }));
        Assert.Null(PreviewImport.NeverSchooledVillage(input with { FilePath = OpenSidFileBuilder.Village().WriteCsv() }));
        Assert.Contains(PreviewImport.Run(input with { RegionScope = "33.14.01.2002" }).Problems, p => p.Code == "KODE_DESA_OUTSIDE_SCOPE");
    }
}

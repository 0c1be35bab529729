using System.Text;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Programs;

public sealed class ProgramsTests
{
    private static async Task<TestDatabase> RegistryAsync(string provider, int families = 300, bool recipients = false)
    {
        var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        if (!recipients)
        {
            // The demo seeding enrolls demo recipients when programs exist; these tests want an empty program side.
            await using var db = test.Database.CreateDb();
            await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: families, Seed: 4), null, CancellationToken.None);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM disbursements; DELETE FROM enrollment_events; DELETE FROM enrollments; DELETE FROM program_budgets;");
        }
        else
        {
            await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: families, Seed: 4), null, CancellationToken.None);
        }
        return test;
    }

    /// <summary>The first two heads of family with their NO_KK, as a ministry list names its recipients.</summary>
    private static async Task<List<(string Nik, string Nama, string NoKk)>> TwoHeadsAsync(TestDatabase test)
    {
        await using var db = test.Database.CreateDb();
        return (await db.Persons.AsNoTracking().Where(p => p.HubunganKk == 1).OrderBy(p => p.Id).Take(2)
            .Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => new { p.Nik, p.Nama, f.NoKk }).ToListAsync())
            .Select(p => (p.Nik, p.Nama, p.NoKk)).ToList();
    }

    private static string Write(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"penerima-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_recipient_list_is_matched_and_reported_before_anything_is_written_and_twice_changes_nothing(string provider)
    {
        await using var test = await RegistryAsync(provider);
        List<(string Nik, string Nama, long FamilyId)> people;
        await using (var db = test.Database.CreateDb())
        {
            people = (await db.Persons.AsNoTracking().OrderBy(p => p.FamilyId).ThenBy(p => p.HubunganKk).Take(200).ToListAsync())
                .Select(p => (p.Nik, p.Nama, p.FamilyId)).ToList();
        }
        var head = people[0];
        var otherFamily = people.First(p => p.FamilyId != head.FamilyId);
        var sameFamilyMember = people.First(p => p.FamilyId == head.FamilyId && p.Nik != head.Nik);
        var third = people.First(p => p.FamilyId != head.FamilyId && p.FamilyId != otherFamily.FamilyId);
        var file = Write(
            "NIK,NAMA,NOMINAL,PERIODE,SALURAN",
            $"{head.Nik},{head.Nama.ToUpperInvariant()},\"Rp 1,5 jt\",2026-03,bank",       // matched (case and spelling key ignored)
            $"{otherFamily.Nik},Bukan Namanya Sama Sekali,200.000,2026-03,pos",        // name mismatch
            "3314010101900999,Orang Luar,200000,2026-03,bank",                          // not in the registry
            $"{head.Nik},{head.Nama},200000,2026-03,bank",                              // duplicate row
            $"{sameFamilyMember.Nik},{sameFamilyMember.Nama},200000,2026-03,bank",       // same family on a family program: double receipt
            $"{third.Nik},{third.Nama},,,");                                            // matched, no disbursement

        var dry = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        Assert.Equal((2, 1, 1, 2, 0, 0), (dry.Matched, dry.NameMismatch, dry.NotFound, dry.Duplicates, dry.AlreadyEnrolled, dry.Errors));
        Assert.False(dry.Committed);
        Assert.Contains("\"nameMismatch\": 1", dry.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain(head.Nik, dry.ToJson(), StringComparison.Ordinal);
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(0, await db.Enrollments.CountAsync());
        }

        var real = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        Assert.True(real.Committed, real.Failure);
        Assert.Equal(3, real.Enrolled);
        Assert.Equal(2, real.DisbursementsAdded);
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(3, await db.Enrollments.CountAsync());
            Assert.Equal(1_500_000, await db.Disbursements.Join(db.Enrollments, d => d.EnrollmentId, e => e.Id, (d, e) => new { d.Amount, e.FamilyId })
                .Where(x => x.FamilyId == head.FamilyId).Select(x => x.Amount).SingleAsync());
            Assert.Equal(3, await db.EnrollmentEvents.CountAsync());
        }

        var again = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        Assert.Equal((0, 0, 3), (again.Enrolled, again.DisbursementsAdded, again.AlreadyEnrolled));
        File.Delete(file);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Blank_and_repeated_header_cells_are_a_clear_error_not_a_crash(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        string nik, nama;
        await using (var db = test.Database.CreateDb())
        {
            var first = await db.Persons.OrderBy(p => p.Id).Select(p => new { p.Nik, p.Nama }).FirstAsync();
            (nik, nama) = (first.Nik, first.Nama);
        }
        var blanks = Write("NIK,,NAMA,", $"{nik},x,{nama},y");
        var repeated = Write("NIK,NAMA,NIK_KTP", $"{nik},{nama},{nik}");

        var withBlanks = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", blanks, "bnba.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        var withRepeat = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", repeated, "bnba.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.Null(withBlanks.Failure);
        Assert.Equal((1, 0), (withBlanks.Matched, withBlanks.Errors));
        var error = Assert.Single(withRepeat.Rows);
        Assert.Equal((1L, "NIK_KTP"), (error.Row, error.Column));
        Assert.Contains("lebih dari sekali", error.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public Task A_ministry_list_with_a_title_block_and_its_own_column_names_is_read_from_its_header_row(string provider) =>
        TitledListIsReadFromItsHeaderRowAsync(provider, people =>
        [
            "DAFTAR PENERIMA BANTUAN SOSIAL PKH TAHAP 1 TAHUN 2026",
            "KABUPATEN SRAGEN",
            "",
            "NO,NMKAB,NIK_KTP,NAMA_PENERIMA,NOKK_DTKS,NOMOR_KARTU,IDSEMESTA,TAHAP,BANSOS",
            $"1,SRAGEN,{people[0].Nik},{people[0].Nama},{people[0].NoKk},6013010012345678,DTSEN-1,1,PKH",
            $"2,SRAGEN,{people[1].Nik},{people[1].Nama},{people[1].NoKk},6013010087654321,DTSEN-2,1,PKH",
        ]);

    /// <summary>Excel in the Indonesian locale saves CSV with ";" and decimal commas; a title typed above the table is one
    /// cell, so its line carries no ";" at all, and its comma is text.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public Task A_semicolon_list_saved_by_Indonesian_Excel_with_a_title_line_of_its_own_is_read_from_its_header_row(string provider) =>
        TitledListIsReadFromItsHeaderRowAsync(provider, people =>
        [
            "DAFTAR PENERIMA BANTUAN SOSIAL PKH TAHAP 1, TAHUN 2026",
            "KABUPATEN SRAGEN, JAWA TENGAH",
            "",
            "NO;NIK_KTP;NAMA_PENERIMA;NOKK_DTKS;NOMOR_KARTU;TAHAP;NOMINAL_JUTA",
            $"1;{people[0].Nik};{people[0].Nama};{people[0].NoKk};6013010012345678;1;0,75",
            $"2;{people[1].Nik};{people[1].Nama};{people[1].NoKk};6013010087654321;1;0,75",
        ]);

    /// <summary>A user's test: a list merged from two kecamatan's pages repeats its header row below the first page. That
    /// row was read as a recipient, an error in every column, and the whole list refused; it is passed over.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_header_row_repeated_further_down_the_list_is_passed_over(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        var file = Write(
            "DAFTAR PENERIMA PKH TAHAP 2 TAHUN 2026",
            "NO,NIK_KTP,NAMA_PENERIMA,NOKK_DTKS,TAHAP,NOMINAL,PERIODE",
            $"1,{people[0].Nik},{people[0].Nama},{people[0].NoKk},2,600000,2026-05",
            "",
            "No,nik_ktp,Nama_Penerima,NOKK_DTKS,TAHAP,NOMINAL,PERIODE",
            $"2,{people[1].Nik},{people[1].Nama},{people[1].NoKk},2,600000,2026-05");

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba-pkh.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.Equal((2, 2, 0), (report.RowCount, report.Matched, report.Errors));
    }

    /// <summary>A list whose header row is the fourth line, below a title block: both recipients matched from row 5 on.</summary>
    private static async Task TitledListIsReadFromItsHeaderRowAsync(string provider, Func<List<(string Nik, string Nama, string NoKk)>, string[]> lines)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var file = Write(lines(await TwoHeadsAsync(test)));

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba-pkh.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.Equal((2, 0, 0), (report.Matched, report.NameMismatch, report.Errors));
        Assert.All(report.Rows.Where(r => r.Status != "error"), r => Assert.True(r.Row >= 5));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_ministry_workbook_whose_title_is_one_cell_above_a_wider_header_is_read_from_its_header_row(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        // As Excel stores a merged title: the text in A1 alone, the rows above the header one cell wide or empty.
        var file = Workbooks.Write(Path.Combine(Path.GetTempPath(), $"bnba-{Guid.NewGuid():N}.xlsx"), ("BNBA", [
            ["DAFTAR PENERIMA BANTUAN IURAN JAMINAN KESEHATAN 2026"],
            ["KABUPATEN SRAGEN"],
            [],
            ["NO", "NIK_KTP", "NAMA_PENERIMA", "NOKK_DTKS", "NOMOR_KARTU", "TAHAP"],
            ["1", people[0].Nik, people[0].Nama, people[0].NoKk, "0001234567890", "1"],
            ["2", people[1].Nik, people[1].Nama, people[1].NoKk, "0009876543210", "1"],
        ]));

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba-pbijk.xlsx", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.Equal((2, 0, 0), (report.Matched, report.NameMismatch, report.Errors));
        Assert.All(report.Rows.Where(r => r.Status != "error"), r => Assert.True(r.Row >= 5));
        File.Delete(file);
    }

    /// <summary>A user's test: OpenSID's program workbook keeps the program on its first sheet and the recipients on
    /// "Peserta". The first sheet was read and the list refused, without a word of which sheet; "Peserta" is read now,
    /// and a workbook whose sheet has no list names its sheets.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpenSIDs_program_workbook_is_read_from_its_Peserta_sheet(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        var file = Workbooks.Write(Path.Combine(Path.GetTempPath(), $"program-{Guid.NewGuid():N}.xlsx"),
            ("Program Bantuan", [["id", "nama", "sasaran", "ndesc", "sdate", "edate"], ["1", "PKH", "1", "PKH 2026", "2026-01-01", "2026-12-31"]]),
            ("Peserta", [["peserta", "nama"], [people[0].Nik, people[0].Nama], [people[1].Nik, people[1].Nama]]));
        var other = Workbooks.Write(Path.Combine(Path.GetTempPath(), $"program-{Guid.NewGuid():N}.xlsx"),
            ("Rekap", [["KECAMATAN", "JUMLAH"], ["Kalijambe", "2"]]), ("Daftar", [["NIK", "NAMA"], [people[0].Nik, people[0].Nama]]));

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "program.xlsx", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        var refused = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", other, "rekap.xlsx", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.Null(report.Failure);
        Assert.Equal((2, 0), (report.Matched, report.Errors));
        var error = Assert.Single(refused.Rows);
        Assert.Contains("lembar 'Rekap'; lembar dalam berkas: Rekap, Daftar", error.Message, StringComparison.Ordinal);
        Assert.Contains("sheet 'Rekap'; sheets in the file: Rekap, Daftar", error.MessageEn, StringComparison.Ordinal);
    }

    /// <summary>
    /// A ministry's payment list as SIKS-NG gives it: card number, DTKS ids and the phase (tahap) beside each payment.
    /// The card and the ids are kept on the enrollment, each phase is its own payment (two phases paid together in one
    /// month are two), the same file twice changes nothing, and the next list's new card replaces the old one.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Card_numbers_dtks_ids_and_phases_of_a_ministry_list_are_kept(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        var header = "NIK_KTP,NAMA_PENERIMA,NOKK_DTKS,NOMOR_KARTU,IDSEMESTA,IDARTBDT,TAHAP,NOMINAL,PERIODE,TANGGAL_SALUR";
        string[] rows =
        [
            $"{people[0].Nik},{people[0].Nama},{people[0].NoKk},5021 0001 2345 6789,P3314010000123,3314010100045601,Tahap I,750000,2026-03,2026-03-20",
            $"{people[0].Nik},{people[0].Nama},{people[0].NoKk},5021 0001 2345 6789,P3314010000123,3314010100045601,II,750000,2026-03,2026-03-20",
            $"{people[1].Nik},{people[1].Nama},{people[1].NoKk},5021 0009 8765 4321,P3314010000456,,1,750000,2026-03,2026-03-21",
        ];
        ImportRecipients Import() => new(test.Database, TimeProvider.System);

        var report = await Import().RunAsync(new("PKH", Write([header, .. rows]), "sp2d-pkh-tahap-1-2.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        var again = await Import().RunAsync(new("PKH", Write([header, .. rows]), "sp2d-pkh-tahap-1-2.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        var newCard = await Import().RunAsync(new("PKH", Write(header, rows[0].Replace("5021 0001 2345 6789", "5021 0001 9999 0000", StringComparison.Ordinal)
            .Replace("3314010100045601", "3314010100045699", StringComparison.Ordinal)),
            "kartu-baru.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        var emptyPath = Path.Combine(Path.GetTempPath(), $"penerima-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(emptyPath, "");
        var empty = await Import().RunAsync(new("PKH", emptyPath, "kosong.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        var headerOnly = await Import().RunAsync(new("PKH", Write(header), "judul.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        // An empty list is the file's error, as for a registry file (exit 2), not a failure of the import (exit 1).
        Assert.Equal((2, "FILE_EMPTY"), (empty.ExitCode, Assert.Single(empty.Rows).Code));
        Assert.Equal((2, "FILE_NO_DATA"), (headerOnly.ExitCode, Assert.Single(headerOnly.Rows).Code));
        var wrongPhase = await Import().RunAsync(new("PKH", Write(header, rows[2].Replace(",1,750000", ",Tahap 13,750000", StringComparison.Ordinal)),
            "salah.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.True(report.Committed, report.Failure);
        Assert.Equal((3, 0, 2, 3), (report.Matched, report.Duplicates, report.Enrolled, report.DisbursementsAdded));
        Assert.True(again.Committed);
        Assert.Equal((0, 0, 0), (again.Enrolled, again.DisbursementsAdded, again.EnrollmentsUpdated));
        // Two recipients already enrolled, on three rows.
        Assert.Equal(2, again.AlreadyEnrolled);
        Assert.Equal((0, 1), (newCard.DisbursementsAdded, newCard.EnrollmentsUpdated));
        Assert.Equal(1, wrongPhase.Errors);
        Assert.Contains(wrongPhase.Rows, r => r.Column == "TAHAP" && r.Message!.Contains("Tahap 13", StringComparison.Ordinal));
        await using var db = test.Database.CreateDb();
        var first = await db.Enrollments.Join(db.Families, e => e.FamilyId, f => f.Id, (e, f) => new { e, f.NoKk }).SingleAsync(x => x.NoKk == people[0].NoKk);
        Assert.Equal(("5021 0001 9999 0000", "P3314010000123", "3314010100045699"), (first.e.NomorKartu, first.e.IdSemesta, first.e.IdArtBdt));
        // The change is in the enrollment's history, its numbers masked as on the pages (UU PDP: least privilege).
        var change = await db.EnrollmentEvents.Where(ev => ev.EnrollmentId == first.e.Id && ev.Note != null && ev.Note.Contains("IDARTBDT"))
            .Select(ev => ev.Note!).SingleAsync();
        Assert.StartsWith("nomor kartu •••••••••••••••6789 → •••••••••••••••0000; IDARTBDT ••••••••••••5601 → ••••••••••••5699 (", change, StringComparison.Ordinal);
        var phases = await db.Disbursements.Where(d => d.EnrollmentId == first.e.Id).OrderBy(d => d.Tahap).Select(d => d.Tahap).ToListAsync();
        Assert.Equal([1, 2], phases);
        // Shown masked by default, on the program's list and the family's page.
        var program = await ProgramCatalogue.FindAsync(db, "PKH", CancellationToken.None);
        var listed = await ListEnrollments.RunAsync(db, program!, AccessScope.Regency, fullIdentifiers: false, 1, CancellationToken.None);
        Assert.Equal("•••••••••••••••0000", listed.Items.Single(i => i.Id == first.e.Id).NomorKartu);
        var assistance = await new FamilyAssistance(db).RunAsync(first.e.FamilyId, 2026, CancellationToken.None);
        var line = assistance.Lines.Single(l => l.Program == "PKH");
        Assert.Equal(("•••••••••••••••0000", "••••••••••0123", "••••••••••••5699", 1_500_000L), (line.NomorKartu, line.IdSemesta, line.IdArtBdt, line.PaidInYear));
        Assert.Equal([1, 2], line.TahapPaid!);
    }

    /// <summary>A user's test: a recap of phases 1–3 (February, May, August) enrolled its recipient on the day of the
    /// import, after the payments it recorded, and an exit dated October was refused as before the start. An enrollment
    /// starts with the earliest month the list pays it, unless the list gives TANGGAL_MULAI.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_recipient_enrolled_from_a_recap_starts_with_the_first_month_paid(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        var file = Write(
            "NIK_KTP,NAMA_PENERIMA,TAHAP,NOMINAL,PERIODE,TANGGAL_SALUR,TANGGAL_MULAI",
            $"{people[0].Nik},{people[0].Nama},3,750000,2026-08,2026-08-20,",
            $"{people[0].Nik},{people[0].Nama},1,750000,2026-02,2026-03-05,",
            $"{people[0].Nik},{people[0].Nama},2,750000,2026-05,2026-05-21,",
            $"{people[1].Nik},{people[1].Nama},1,750000,2026-02,,2026-01-15");

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "rekap.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.True(report.Committed, report.Failure);
        await using var db = test.Database.CreateDb();
        var starts = await db.Enrollments.Join(db.Families, e => e.FamilyId, f => f.Id, (e, f) => new { f.NoKk, e.StartedOn, e.Id }).ToListAsync();
        Assert.Equal(new DateOnly(2026, 2, 1), starts.Single(s => s.NoKk == people[0].NoKk).StartedOn);
        Assert.Equal(new DateOnly(2026, 1, 15), starts.Single(s => s.NoKk == people[1].NoKk).StartedOn);
        await using var changes = test.Database.CreateDb();
        var exit = await new ChangeEnrollment(changes, TimeProvider.System).RunAsync(new ChangeEnrollment.Input(starts.Single(s => s.NoKk == people[0].NoKk).Id,
            ProgramTerms.Exited, ProgramTerms.ExitReasons[0].Code, new DateOnly(2026, 10, 15), null, "uji"), CancellationToken.None);
        Assert.True(exit.Enrollment is not null, exit.Problem);

        // The same recap again, after the exit: enrolled again from the day after the exit, not within the closed enrollment.
        var again = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "rekap.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        Assert.Equal(3, again.ReEnrolled);
        await using var after = test.Database.CreateDb();
        var reopened = await after.Enrollments.Join(after.Families, e => e.FamilyId, f => f.Id, (e, f) => new { f.NoKk, e.StartedOn, e.Status })
            .SingleAsync(x => x.NoKk == people[0].NoKk && x.Status != ProgramTerms.Exited);
        Assert.Equal(new DateOnly(2026, 10, 16), reopened.StartedOn);
    }

    /// <summary>
    /// SIKS-NG's phase list names the phase and the amount, and the month only in its title: refused row by row with a hint
    /// when no month is given; with the importer's month every paying row takes it, a row's own PERIODE stands, and a
    /// month that is not YYYY-MM is refused before the file is read.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_phase_list_without_a_month_is_paid_in_the_month_the_importer_gives(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        var file = Write(
            "DAFTAR PENERIMA PKH TAHAP 2 BULAN MEI 2026",
            "NO,NIK_KTP,NAMA_PENERIMA,NOKK_DTKS,TAHAP,NOMINAL,PERIODE",
            $"1,{people[0].Nik},{people[0].Nama},{people[0].NoKk},2,750000,",
            $"2,{people[1].Nik},{people[1].Nama},{people[1].NoKk},2,750000,2026-04");
        ImportRecipients Import() => new(test.Database, TimeProvider.System);
        Task<RecipientMatchReport> Run(string? period, bool dryRun) =>
            Import().RunAsync(new("PKH", file, "pkh-tahap-2.csv", dryRun, "uji", Tuntas.Access.AccessScope.Regency, Period: period), CancellationToken.None);

        var without = await Run(null, dryRun: true);
        var wrong = await Run("Mei 2026", dryRun: true);
        var report = await Run("2026-05", dryRun: false);
        var again = await Run("2026-05", dryRun: false);

        Assert.Equal(1, without.Errors);
        Assert.Contains(without.Rows, r => r.Column == "PERIODE" && r.Message!.Contains("saat mengunggah", StringComparison.Ordinal));
        Assert.NotNull(wrong.Failure);
        Assert.Contains("YYYY-MM", wrong.Failure, StringComparison.Ordinal);
        Assert.True(report.Committed, report.Failure);
        Assert.Equal(("2026-05", 1, 2), (report.Period, report.PeriodGiven, report.DisbursementsAdded));
        Assert.Equal(0, again.DisbursementsAdded);
        await using var db = test.Database.CreateDb();
        var paid = await db.Disbursements.Join(db.Enrollments, d => d.EnrollmentId, e => e.Id, (d, e) => new { e.FamilyId, d.Period, d.Tahap })
            .Join(db.Families, x => x.FamilyId, f => f.Id, (x, f) => new { f.NoKk, x.Period, x.Tahap }).ToListAsync();
        Assert.Contains(paid, p => p.NoKk == people[0].NoKk && p.Period == "2026-05" && p.Tahap == 2);
        Assert.Contains(paid, p => p.NoKk == people[1].NoKk && p.Period == "2026-04" && p.Tahap == 2);
    }

    /// <summary>
    /// The second list of a year: a month paid without a phase (the first list had no TAHAP) listed again with its
    /// phase is the same payment, not a second one; a changed card leaves a line in the enrollment's history; a family
    /// that graduated and is on the list again is enrolled, listed, and not paid twice for a month already paid; a row
    /// keyed by NO_KK beside an unknown NIK names the member of that KK with the listed name.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_second_list_phases_old_payments_records_card_changes_and_says_who_left_before(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        (string Nik, string Nama) wife;
        await using (var db = test.Database.CreateDb())
        {
            var familyId = await db.Families.Where(f => f.NoKk == people[0].NoKk).Select(f => f.Id).SingleAsync();
            var member = await db.Persons.Where(p => p.FamilyId == familyId && p.HubunganKk != 1).OrderBy(p => p.Id).Select(p => new { p.Nik, p.Nama }).FirstAsync();
            wife = (member.Nik, member.Nama);
        }
        ImportRecipients Import() => new(test.Database, TimeProvider.System);
        var first = await Import().RunAsync(new("PKH", Write("NIK,NAMA,NO_KK,NOMOR_KARTU,NOMINAL,PERIODE",
            $"{people[0].Nik},{people[0].Nama},{people[0].NoKk},6013011234567890,750000,2026-03",
            $"{people[1].Nik},{people[1].Nama},{people[1].NoKk},6013019876543210,750000,2026-03"), "maret.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        long leftId;
        await using (var db = test.Database.CreateDb())
        {
            leftId = await db.Enrollments.Join(db.Families, e => e.FamilyId, f => f.Id, (e, f) => new { e.Id, f.NoKk }).Where(x => x.NoKk == people[1].NoKk).Select(x => x.Id).SingleAsync();
        }
        var exit = await new ChangeEnrollment(test.Database.CreateDb(), TimeProvider.System).RunAsync(
            new(leftId, ProgramTerms.Exited, "graduasi", null, null, "uji"), CancellationToken.None);
        Assert.Null(exit.Problem);
        var unknownNik = people[0].Nik[..10] + "999999";

        var second = await Import().RunAsync(new("PKH", Write("NIK,NAMA,NO_KK,NOMOR_KARTU,TAHAP,NOMINAL,PERIODE",
            $"{people[0].Nik},{people[0].Nama},{people[0].NoKk},6013010000000001,1,750000,2026-03",
            $"{people[1].Nik},{people[1].Nama},{people[1].NoKk},6013019876543210,1,750000,2026-03",
            $"{people[1].Nik},{people[1].Nama},{people[1].NoKk},6013019876543210,2,750000,2026-06"), "sp2d-tahap-1-2.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        var byKk = await Import().RunAsync(new("PKH", Write("NIK,NAMA,NO_KK", $"{unknownNik},{wife.Nama},{people[0].NoKk}"), "kk.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        var personProgram = await Import().RunAsync(new("ASPD", Write("NIK,NO_KK,NAMA", $",{people[0].NoKk},{people[0].Nama}"), "aspd.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.True(first.Committed && second.Committed, second.Failure);
        // Both families' March payments take their phase; the graduated family's two rows are both listed.
        Assert.Equal((2, 2), (second.DisbursementsPhased, second.ReEnrolled));
        // One new enrollment (the graduated family, again), one payment (its June's); March was paid, to both families.
        Assert.Equal((1, 1, 1), (second.Enrolled, second.DisbursementsAdded, second.EnrollmentsUpdated));
        Assert.Contains(second.Rows, r => r.Status == "reEnrolled" && r.Message!.Contains("graduasi", StringComparison.Ordinal));
        var keyed = Assert.Single(byKk.Rows, r => r.Status == "keyMismatch");
        Assert.Contains($"Di KK ini {wife.Nama} terdaftar dengan NIK {Nik.Mask(wife.Nik)}", keyed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Nama juga berbeda", keyed.Message, StringComparison.Ordinal);
        Assert.Equal(1, personProgram.Errors);
        Assert.Contains(personProgram.Rows, r => r.Status == "error" && r.Message!.Contains("Program perorangan", StringComparison.Ordinal));
        await using var after = test.Database.CreateDb();
        var march = await after.Disbursements.Where(d => d.Period == "2026-03").Select(d => d.Tahap).ToListAsync();
        Assert.Equal([1, 1], march);
        var history = await after.EnrollmentEvents.Where(e => e.Note!.Contains("nomor kartu")).Select(e => e.Note!).SingleAsync();
        Assert.Contains("••••7890 → ", history, StringComparison.Ordinal);
        Assert.Contains("sp2d-tahap-1-2.csv baris 2", history, StringComparison.Ordinal);
    }

    /// <summary>
    /// A year's recap of a recipient not yet enrolled: a row without an amount (the enrollment), then a row per phase
    /// paid, the card replaced between them. All of it is written — the enrollment once, with the latest card, and
    /// every payment — where the card's change on a later row broke the write (a history line of an enrollment not yet
    /// saved) and a first row without an amount made every later payment a "duplicate". A phase sent again at another
    /// amount is listed with both amounts and the recorded payment left as it is.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_recap_of_a_new_recipient_is_written_whole_and_a_phase_resent_at_another_amount_is_listed(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        var header = "NIK_KTP,NAMA_PENERIMA,NOKK_DTKS,NOMOR_KARTU,TAHAP,NOMINAL,PERIODE";
        var (nik, nama, noKk) = people[0];
        ImportRecipients Import() => new(test.Database, TimeProvider.System);

        var recap = await Import().RunAsync(new("PKH", Write(header,
            $"{nik},{nama},{noKk},,,,",
            $"{nik},{nama},{noKk},,1,750000,2026-01",
            $"{nik},{nama},{noKk},6013 0100 0000 0001,2,750000,2026-04"), "rekap-2026.csv", DryRun: false, "uji", AccessScope.Regency), CancellationToken.None);
        var resentFile = Write(header, $"{nik},{nama},{noKk},6013 0100 0000 0001,2,600000,2026-04");
        var resentDry = await Import().RunAsync(new("PKH", resentFile, "tahap-2-koreksi.csv", DryRun: true, "uji", AccessScope.Regency), CancellationToken.None);
        var resent = await Import().RunAsync(new("PKH", resentFile, "tahap-2-koreksi.csv", DryRun: false, "uji", AccessScope.Regency), CancellationToken.None);

        Assert.True(recap.Committed, recap.Failure);
        Assert.Equal((1, 2, 0, 0), (recap.Enrolled, recap.DisbursementsAdded, recap.Duplicates, recap.PaymentsDiffering));
        var listed = Assert.Single(resentDry.Rows, r => r.Status == "paymentDiffers");
        Assert.Equal("NOMINAL", listed.Column);
        Assert.Contains("2026-04 tahap 2 sudah tercatat Rp750.000; daftar ini menyebut Rp600.000", listed.Message, StringComparison.Ordinal);
        Assert.True(resent.Committed, resent.Failure);
        Assert.Equal((1, 0, 0), (resent.PaymentsDiffering, resent.DisbursementsAdded, resent.Enrolled));
        await using var db = test.Database.CreateDb();
        var enrollment = await db.Enrollments.SingleAsync();
        Assert.Equal("6013 0100 0000 0001", enrollment.NomorKartu);
        var payments = await db.Disbursements.Where(d => d.EnrollmentId == enrollment.Id).OrderBy(d => d.Period).Select(d => new { d.Period, d.Tahap, d.Amount }).ToListAsync();
        Assert.Equal([("2026-01", 1, 750_000L), ("2026-04", 2, 750_000L)], payments.Select(d => (d.Period, d.Tahap ?? 0, d.Amount)));
        // The enrollment's history begins with its enrolled line; the card given on a later row of the same file is no change.
        Assert.Single(await db.EnrollmentEvents.Where(e => e.EnrollmentId == enrollment.Id).ToListAsync());

        // A month recorded without a phase (an older list's rapel of Rp1.200.000) and listed again as two phases: the
        // first phase is that payment (its amount differs), the second a payment of its own, not one that differs.
        var (nik2, nama2, noKk2) = people[1];
        var rapel = await Import().RunAsync(new("PKH", Write("NIK,NAMA,NOMINAL,PERIODE", $"{nik2},{nama2},1200000,2026-02"), "rapel.csv", DryRun: false, "uji", AccessScope.Regency), CancellationToken.None);
        var split = await Import().RunAsync(new("PKH", Write(header, $"{nik2},{nama2},{noKk2},,1,600000,2026-02", $"{nik2},{nama2},{noKk2},,2,600000,2026-02"),
            "tahap-1-2.csv", DryRun: true, "uji", AccessScope.Regency), CancellationToken.None);
        Assert.True(rapel.Committed, rapel.Failure);
        Assert.Equal(1, split.PaymentsDiffering);
        var untagged = Assert.Single(split.Rows, r => r.Status == "paymentDiffers");
        Assert.Equal(2L, untagged.Row);
        Assert.Contains("sudah tercatat tanpa tahap, Rp1.200.000; daftar ini menyebut Rp600.000 untuk tahap 1", untagged.Message, StringComparison.Ordinal);
    }

    /// <summary>A user's test: a list saved by Excel as "CSV (comma delimited)" is Windows-1252, and a name's é came
    /// through as a broken byte that was matched silently on what was left. The cell is an error naming the column, as
    /// in a registry file; a broken byte in a column the list is not read by (NMKAB) is not.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_name_not_in_UTF8_is_an_error_of_its_cell(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        var path = Path.Combine(Path.GetTempPath(), $"penerima-{Guid.NewGuid():N}.csv");
        var latin1 = Encoding.Latin1;
        await File.WriteAllBytesAsync(path, [.. latin1.GetBytes($"NIK;NAMA;NMKAB\n{people[0].Nik};{people[0].Nama} Ren\u00e9;SRAGEN\n{people[1].Nik};{people[1].Nama};K\u00e9den\n")]);

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(
            new("PKH", path, "bnba-1252.csv", DryRun: true, "uji", AccessScope.Regency), CancellationToken.None);

        Assert.Equal(1, report.Errors);
        var error = Assert.Single(report.Rows, r => r.Status == "error");
        Assert.Equal((2L, "NAMA"), (error.Row, error.Column));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.Matched);
    }

    /// <summary>At 05:30 WIB (22:30 UTC the day before) a list without dates enrolls from the regency's today, not UTC's.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_enrollment_without_a_date_starts_on_the_regencys_today(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        var file = Write("NIK,NAMA", $"{people[0].Nik},{people[0].Nama}");
        var morning = new Tuntas.Core.Tests.Imports.FixedClock(new DateTimeOffset(2026, 12, 6, 22, 30, 0, TimeSpan.Zero));

        var report = await new ImportRecipients(test.Database, morning, Microsoft.Extensions.Options.Options.Create(Tuntas.Regions.RegencyOptions.Default))
            .RunAsync(new("PKH", file, "bnba.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.True(report.Committed, report.Failure);
        await using var db = test.Database.CreateDb();
        Assert.Equal(new DateOnly(2026, 12, 7), await db.Enrollments.Select(e => e.StartedOn).SingleAsync());
    }

    /// <summary>A listed recipient the registry has as died is the classic inclusion error: counted and listed, not enrolled.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_recipient_recorded_as_died_is_listed_and_not_enrolled(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        await using (var db = test.Database.CreateDb())
        {
            var died = await db.Persons.SingleAsync(p => p.Nik == people[1].Nik);
            died.StatusHidup = LifeStatus.Meninggal;
            await db.SaveChangesAsync();
        }
        var file = Write("NIK,NAMA", $"{people[0].Nik},{people[0].Nama}", $"{people[1].Nik},{people[1].Nama}");

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.True(report.Committed);
        Assert.Equal((1, 1, 1), (report.Matched, report.NotLiving, report.Enrolled));
        var row = Assert.Single(report.Rows, r => r.Status == "notLiving");
        Assert.Equal(3, row.Row);
        Assert.Contains("meninggal", row.Message, StringComparison.Ordinal);
    }

    /// <summary>A family program's line whose NIK is unknown beside a registered NO_KK, or whose NIK is registered under
    /// another KK than the one listed: enrolled (the family is found), and listed for checking, with "did you mean".</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_family_programs_line_whose_nik_and_no_kk_disagree_is_enrolled_and_listed(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var people = await TwoHeadsAsync(test);
        string typo;
        await using (var db = test.Database.CreateDb())
        {
            var variants = "0123456789".Where(d => d != people[0].Nik[15]).Select(d => people[0].Nik[..15] + d).ToList();
            var taken = await db.Persons.Where(p => variants.Contains(p.Nik)).Select(p => p.Nik).ToListAsync();
            typo = variants.First(v => !taken.Contains(v));
        }
        var file = Write("NIK,NO_KK,NAMA", $"{typo},{people[0].NoKk},{people[0].Nama}", $"{people[1].Nik},{people[0].NoKk},{people[1].Nama}");

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.True(report.Committed, report.Failure);
        Assert.Equal((0, 2, 0, 2), (report.Matched, report.KeyMismatch, report.NotFound, report.Enrolled));
        var unknown = Assert.Single(report.Rows, r => r.Status == "keyMismatch" && r.Row == 2);
        Assert.Contains("lewat NO_KK", unknown.Message, StringComparison.Ordinal);
        // The KK's member with the listed name, not a stranger one digit away.
        Assert.Contains($"Di KK ini {people[0].Nama} terdaftar dengan NIK {Nik.Mask(people[0].Nik)}", unknown.Message, StringComparison.Ordinal);
        var elsewhere = Assert.Single(report.Rows, r => r.Status == "keyMismatch" && r.Row == 3);
        Assert.Equal("NO_KK", elsewhere.Column);
        Assert.Contains(NoKk.Mask(people[1].NoKk), elsewhere.Message, StringComparison.Ordinal);
        await using var after = test.Database.CreateDb();
        var enrolled = await after.Enrollments.Join(after.Families, e => e.FamilyId, f => f.Id, (e, f) => f.NoKk).OrderBy(k => k).ToListAsync();
        Assert.Equal(new[] { people[0].NoKk, people[1].NoKk }.Order(StringComparer.Ordinal), enrolled);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Honorifics_and_bin_binti_are_not_name_mismatches_and_a_nik_one_typo_off_is_suggested(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 30);
        List<(string Nik, string Nama)> heads;
        await using (var db = test.Database.CreateDb())
        {
            heads = (await db.Persons.AsNoTracking().Where(p => p.HubunganKk == 1).OrderBy(p => p.Id).Take(12).Select(p => new { p.Nik, p.Nama }).ToListAsync())
                .Select(p => (p.Nik, p.Nama)).ToList();
        }
        // The serial's last digit mistyped (the birth-date digits would make the NIK itself invalid), into no one's NIK.
        string typo;
        (string Nik, string Nama) swappedHead;
        string swapped;
        await using (var db = test.Database.CreateDb())
        {
            var variants = "0123456789".Where(d => d != heads[3].Nik[15]).Select(d => heads[3].Nik[..15] + d).ToList();
            var taken = await db.Persons.Where(p => variants.Contains(p.Nik)).Select(p => p.Nik).ToListAsync();
            typo = variants.First(v => !taken.Contains(v));
            // The serial's last two digits swapped, for a head whose two differ, into no one's NIK.
            var swaps = heads.Skip(4).Where(h => h.Nik[14] != h.Nik[15]).Select(h => (Head: h, Nik: h.Nik[..14] + h.Nik[15] + h.Nik[14])).ToList();
            var swapTaken = await db.Persons.Where(p => swaps.Select(x => x.Nik).Contains(p.Nik)).Select(p => p.Nik).ToListAsync();
            (swappedHead, swapped) = swaps.First(x => !swapTaken.Contains(x.Nik));
        }
        var others = heads.Skip(4).Where(h => h != swappedHead).Take(3).ToList();
        var file = Write(
            "NIK,NAMA",
            $"{heads[0].Nik},Ny. {heads[0].Nama}",
            $"{heads[1].Nik},Bpk. H. {heads[1].Nama} bin Karto Sentono",
            $"{heads[2].Nik},\"Hj. {heads[2].Nama}, S.Pd\"",
            $"{typo},{heads[3].Nama}",
            $"{swapped},{swappedHead.Nama}",
            // The list says the recipient died; the registry holds them as living. And two names that left no word
            // after the honorifics were stripped (they crashed the import with an HTTP 500).
            $"{others[0].Nik},Alm. {others[0].Nama}",
            $"{others[1].Nik},.",
            $"{others[2].Nik},\",{others[2].Nama}\"");

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.Null(report.Failure);
        // "Ny.", "Bpk. H. … bin …", "Hj. …, S.Pd" and a stray comma before the name match; "." differs.
        Assert.Equal((4, 1, 2, 1), (report.Matched, report.NameMismatch, report.NotFound, report.NotLiving));
        Assert.Equal("", RecipientNames.Plain(",SUMINA"));
        Assert.Equal("", RecipientNames.Plain("."));
        var deceased = Assert.Single(report.Rows, r => r.Status == "notLiving");
        Assert.Equal(7, deceased.Row);
        Assert.Contains("Alm./Almh.", deceased.Message, StringComparison.Ordinal);
        Assert.True(RecipientNames.SaysDeceased("Sukiman (alm)"));
        Assert.True(RecipientNames.SaysDeceased("H. Almh. Painem"));
        Assert.False(RecipientNames.SaysDeceased("Almira Putri"));
        // A living recipient named by her late father or husband.
        Assert.False(RecipientNames.SaysDeceased("Siti Aminah binti Alm. Ahmad"));
        Assert.False(RecipientNames.SaysDeceased("Suminah (janda alm. Parjo)"));
        Assert.False(RecipientNames.SaysDeceased("Suminah janda Parjo alm"));
        var suggestion = Assert.Single(report.Rows, r => r.Status == "notFound" && r.Row == 5);
        Assert.Contains("Maksud Anda " + heads[3].Nik[..4], suggestion.Message, StringComparison.Ordinal);
        Assert.Contains("digit ke-16", suggestion.Message, StringComparison.Ordinal);
        var swap = Assert.Single(report.Rows, r => r.Status == "notFound" && r.Row == 6);
        Assert.Contains($"digit ke-15 dan ke-16 tertukar: {swappedHead.Nik[14..]}, bukan {swapped[14..]}", swap.Message, StringComparison.Ordinal);
        Assert.Contains("digits 15 and 16 swapped", swap.MessageEn, StringComparison.Ordinal);
        Assert.Equal("Slamet", RecipientNames.Plain("Alm. Slamet binti Painem"));
    }

    /// <summary>
    /// Probes' findings: "did you mean" named any registered person one digit from the listed NIK — an unrelated neighbour
    /// in the serial beside the listed person one other digit away, and, for a list of generated NIKs, the registered NIK
    /// (masked, with the differing digit) and name of every person one digit from one of them. It names only a person who
    /// bears the listed name now.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Did_you_mean_names_only_a_person_of_the_listed_name(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 20);
        var heads = await TwoHeadsAsync(test);
        var typos = new List<string>();
        await using (var db = test.Database.CreateDb())
        {
            foreach (var head in heads)
            {
                var variants = "0123456789".Where(d => d != head.Nik[15]).Select(d => head.Nik[..15] + d).ToList();
                var taken = await db.Persons.Where(p => variants.Contains(p.Nik)).Select(p => p.Nik).ToListAsync();
                typos.Add(variants.First(v => !taken.Contains(v)));
            }
        }
        var file = Write("NIK,NAMA", $"{typos[0]},{heads[0].Nama}", $"{typos[1]},Siapa Saja");

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: true, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);

        Assert.Equal(2, report.NotFound);
        Assert.Contains("Maksud Anda", report.Rows.Single(r => r.Row == 2).Message, StringComparison.Ordinal);
        var stranger = report.Rows.Single(r => r.Row == 3);
        Assert.DoesNotContain("Maksud Anda", stranger.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(heads[1].Nama, stranger.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A kecamatan's coordinator uploading the regency's list: recipients of other kecamatan are counted as outside the
    /// area and listed without the registry's name, KK or village, and not enrolled; the "did you mean" hint names
    /// only persons of the area. Before, the report named every registered recipient, and the list enrolled them all.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_region_limited_importer_names_and_enrolls_only_recipients_of_its_area(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 300);
        string kecamatan;
        List<(string Nik, string Nama, string NoKk, string KodeDesa)> heads;
        string typoInside, typoOutside, typoInsideName, typoOutsideName;
        await using (var db = test.Database.CreateDb())
        {
            heads = (await db.Persons.AsNoTracking().Where(p => p.HubunganKk == 1).OrderBy(p => p.Id)
                .Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => new { p.Nik, p.Nama, f.NoKk, f.KodeDesa }).ToListAsync())
                .Select(h => (h.Nik, h.Nama, h.NoKk, h.KodeDesa)).ToList();
            kecamatan = heads[0].KodeDesa[..8];
            var registered = await db.Persons.Select(p => p.Nik).ToListAsync();
            string OneOff((string Nik, string, string, string) head) => Enumerable.Range(0, 10).Select(d => head.Nik[..15] + (char)('0' + d))
                .First(n => !registered.Contains(n));
            var insideTypo = heads.Skip(1).First(h => h.KodeDesa.StartsWith(kecamatan, StringComparison.Ordinal));
            var outsideTypo = heads.First(h => !h.KodeDesa.StartsWith(kecamatan, StringComparison.Ordinal));
            (typoInside, typoInsideName, typoOutside, typoOutsideName) = (OneOff(insideTypo), insideTypo.Nama, OneOff(outsideTypo), outsideTypo.Nama);
        }
        var inside = heads.First(h => h.KodeDesa.StartsWith(kecamatan, StringComparison.Ordinal));
        var outsideHeads = heads.Where(h => !h.KodeDesa.StartsWith(kecamatan, StringComparison.Ordinal)).ToList();
        var (outside, outsideByKk) = (outsideHeads[0], outsideHeads[1]);
        var file = Write(
            "NIK,NAMA,NO_KK,NOMINAL,PERIODE",
            $"{inside.Nik},{inside.Nama},{inside.NoKk},750000,2026-03",
            $"{outside.Nik},{outside.Nama},{outside.NoKk},750000,2026-03",
            $"{typoInside},{typoInsideName},,750000,2026-03",
            $"{typoOutside},{typoOutsideName},,750000,2026-03",
            $"{outsideByKk.Nik[..6]}0101909999,{outsideByKk.Nama},{outsideByKk.NoKk},750000,2026-03");
        var scope = AccessScope.Within(kecamatan);

        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: false, "camat", scope), CancellationToken.None);

        Assert.True(report.Committed, report.Failure ?? string.Join("; ", report.Rows.Select(r => r.Message)));
        Assert.Equal((1, 2, 2, 1), (report.Matched, report.OutsideScope, report.NotFound, report.Enrolled));
        foreach (var row in report.Rows.Where(r => r.Status == "outsideScope"))
        {
            Assert.Null(row.RegistryName);
            Assert.Null(row.KodeDesa);
            Assert.Contains("di luar wilayah Anda", row.Message, StringComparison.Ordinal);
        }
        Assert.Equal([3, 6], report.Rows.Where(r => r.Status == "outsideScope").Select(r => r.Row).Order());
        var hinted = Assert.Single(report.Rows, r => r.Row == 4);
        Assert.Contains("Maksud Anda", hinted.Message, StringComparison.Ordinal);
        var notHinted = Assert.Single(report.Rows, r => r.Row == 5);
        Assert.DoesNotContain("Maksud Anda", notHinted.Message, StringComparison.Ordinal);
        var registryNames = outsideHeads.Take(2).Select(h => h.Nama).Append(outsideHeads.First(h => typoOutside.StartsWith(h.Nik[..15], StringComparison.Ordinal)).Nama);
        Assert.DoesNotContain(report.Rows, r => registryNames.Any(n => r.RegistryName == n || (r.Message ?? "").Contains(n, StringComparison.Ordinal) && r.Nama != n));
        await using var db2 = test.Database.CreateDb();
        var enrolledVillages = await db2.Enrollments.Join(db2.Families, e => e.FamilyId, f => f.Id, (e, f) => f.KodeDesa).ToListAsync();
        Assert.All(enrolledVillages, v => Assert.StartsWith(kecamatan, v, StringComparison.Ordinal));

        // The same list for the regency: both are named and enrolled.
        var regency = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("PKH", file, "bnba.csv", DryRun: true, "kabupaten", AccessScope.Regency), CancellationToken.None);
        Assert.Equal(0, regency.OutsideScope);
        Assert.Contains(regency.Rows, r => r.Row == 5 && r.Message!.Contains("Maksud Anda", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Malformed_rows_are_errors_with_row_and_column_and_nothing_is_written(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 50);
        string nik, nama;
        await using (var db = test.Database.CreateDb())
        {
            var first = await db.Persons.OrderBy(p => p.Id).Select(p => new { p.Nik, p.Nama }).FirstAsync();
            (nik, nama) = (first.Nik, first.Nama);
        }
        // Row 5: a day that is not the first of a month (Excel gives a typed "2026-11" as 2026-11-01, which is read as 2026-11).
        var file = Write("NIK,NAMA,NOMINAL,PERIODE", $"{nik},{nama},\"1,500\",2026-03", "3.31401E+15,Siti,200000,2026-03", $"{nik},,200000,2026-13",
            $"{nik},{nama},200000,2026-11-15", $"{nik},{nama},200000,2026-11-01");
        var report = await new ImportRecipients(test.Database, TimeProvider.System).RunAsync(new("BPNT", file, "salah.csv", false, "uji", Tuntas.Access.AccessScope.Regency), CancellationToken.None);
        Assert.False(report.Committed);
        Assert.Equal(2, report.ExitCode);
        Assert.Contains(report.Rows, r => r.Row == 2 && r.Column == "NOMINAL" && r.Message!.Contains("ambigu", StringComparison.Ordinal));
        Assert.Contains(report.Rows, r => r.Row == 3 && r.Column == "NIK" && r.Message!.Contains("notasi ilmiah", StringComparison.Ordinal));
        Assert.Contains(report.Rows, r => r.Row == 4 && r.Column == "NAMA");
        Assert.Contains(report.Rows, r => r.Row == 4 && r.Column == "PERIODE");
        Assert.Contains(report.Rows, r => r.Row == 5 && r.Column == "PERIODE" && r.Message!.Contains("bukan 2026-11-15", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Rows, r => r.Row == 6 && r.Column == "PERIODE");
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(0, await db.Enrollments.CountAsync());
        }
        File.Delete(file);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_enrollment_ends_with_a_reason_and_keeps_its_history(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 300, recipients: true);
        await using var db = test.Database.CreateDb();
        var enrollment = await db.Enrollments.OrderBy(e => e.Id).FirstAsync();
        var change = new ChangeEnrollment(db, TimeProvider.System);
        var refused = await change.RunAsync(new(enrollment.Id, ProgramTerms.Exited, null, null, null, "uji"), CancellationToken.None);
        Assert.Null(refused.Enrollment);
        Assert.Contains("pindah", refused.Problem, StringComparison.Ordinal);
        Assert.NotNull((await change.RunAsync(new(enrollment.Id, ProgramTerms.Suspended, null, null, "tidak hadir verifikasi", "uji"), CancellationToken.None)).Enrollment);
        // A user's test: an exit dated 2099 (a slip for 2026) ended the enrollment at once under a date still to come.
        var future = await change.RunAsync(new(enrollment.Id, ProgramTerms.Exited, "pindah", new DateOnly(2099, 1, 1), null, "uji"), CancellationToken.None);
        Assert.Null(future.Enrollment);
        Assert.Contains("2099-01-01 belum tiba", future.Problem, StringComparison.Ordinal);
        Assert.Equal(ProgramTerms.Suspended, (await db.Enrollments.AsNoTracking().SingleAsync(e => e.Id == enrollment.Id)).Status);
        var exited = await change.RunAsync(new(enrollment.Id, ProgramTerms.Exited, "pindah", null, null, "uji"), CancellationToken.None);
        Assert.Equal("pindah", exited.Enrollment!.ExitReason);
        Assert.Null((await change.RunAsync(new(enrollment.Id, ProgramTerms.Enrolled, null, null, null, "uji"), CancellationToken.None)).Enrollment);
        var history = await db.EnrollmentEvents.Where(e => e.EnrollmentId == enrollment.Id).OrderBy(e => e.Id).Select(e => e.Status).ToListAsync();
        Assert.Equal([ProgramTerms.Enrolled, ProgramTerms.Suspended, ProgramTerms.Exited], history);
        Assert.True(await db.Enrollments.AnyAsync(e => e.Id == enrollment.Id), "never deleted");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Overlap_matrix_and_error_report_agree_with_the_enrollments_and_the_run(string provider)
    {
        await using var test = await RegistryAsync(provider, families: 1500, recipients: true);
        var run = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);
        var matrix = await new OverlapMatrix(test.Database).RunAsync(CancellationToken.None);
        var codes = matrix.Programs.Select(p => p.Code).ToList();
        var pkh = codes.IndexOf("PKH");
        var bpnt = codes.IndexOf("BPNT");
        await using var db = test.Database.CreateDb();
        var pkhFamilies = await db.Enrollments.Where(e => e.ProgramId == db.Programs.Single(p => p.Code == "PKH").Id && e.Status != ProgramTerms.Exited)
            .Select(e => e.FamilyId).Distinct().ToListAsync();
        var bpntFamilies = await db.Enrollments.Where(e => e.ProgramId == db.Programs.Single(p => p.Code == "BPNT").Id && e.Status != ProgramTerms.Exited)
            .Select(e => e.FamilyId).Distinct().ToListAsync();
        Assert.True(pkhFamilies.Count > 0);
        Assert.Equal(pkhFamilies.Count, matrix.Both[pkh][pkh]);
        Assert.Equal(pkhFamilies.Intersect(bpntFamilies).Count(), matrix.Both[pkh][bpnt]);
        Assert.Equal(matrix.Both[pkh][bpnt], matrix.Both[bpnt][pkh]);

        var report = await new TargetingErrorReport(test.Database).RunAsync(new(run.Id), CancellationToken.None);
        var cell = report.Regency.Single(c => c.Program == "BPNT");
        var summary = System.Text.Json.JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;
        Assert.Equal(summary.Programs.Single(p => p.Program == "BPNT").Families, cell.Eligible);
        Assert.Equal(bpntFamilies.Count, cell.Recipients);
        // Every recipient is eligible or an inclusion error; every eligible family receives or is an exclusion error.
        Assert.Equal(cell.Recipients - cell.RecipientsNotEligible, cell.Eligible - cell.EligibleNotReceiving);
        Assert.Equal(cell.Recipients, report.Villages.Where(v => v.Program == "BPNT").Sum(v => v.Recipients));
        Assert.Equal(report.Desil1ReceivingNothing, report.Worklist.Count(w => w.Category == TargetingErrorReport.PoorestMissed));

        using var xlsx = new MemoryStream();
        var rows = await new ExportErrorWorklist(test.Database).RunAsync(report.Worklist, xlsx, xlsx: true, fullIdentifiers: false, CancellationToken.None);
        Assert.Equal(report.Worklist.Count, rows);
        Assert.Equal((byte)'P', xlsx.ToArray()[0]);
        using var csv = new MemoryStream();
        await new ExportErrorWorklist(test.Database).RunAsync(report.Worklist, csv, xlsx: false, fullIdentifiers: false, CancellationToken.None);
        var text = Encoding.UTF8.GetString(csv.ToArray());
        Assert.StartsWith("KATEGORI,PROGRAM,KODE_DESA,NO_KK,KEPALA_KELUARGA", text, StringComparison.Ordinal);
        Assert.Contains("••••", text, StringComparison.Ordinal);

        var family = await new FamilyAssistance(db).RunAsync(pkhFamilies[0], DateTime.UtcNow.Year, CancellationToken.None);
        Assert.Contains(family.Lines, l => l.Program == "PKH");
        Assert.Equal(family.Lines.Sum(l => l.PaidInYear), family.PaidInYear);
    }
}

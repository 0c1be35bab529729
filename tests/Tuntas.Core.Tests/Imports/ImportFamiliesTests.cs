using System.Text;
using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Imports;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Imports;

public sealed class ImportFamiliesTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));

    private static Task<ImportReport> ImportAsync(TestDatabase test, string path, bool dryRun = false, string user = "operator", bool allowMoves = false) =>
        new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(path, Path.GetFileName(path), dryRun, user, AllowMoves: allowMoves), null, CancellationToken.None);

    private static async Task<(int Families, int Persons, int Changes)> CountAsync(TestDatabase test)
    {
        await using var db = test.Database.CreateDb();
        return (await db.Families.CountAsync(), await db.Persons.CountAsync(), await db.FamilyChanges.CountAsync());
    }

    private static ImportFileBuilder ThreeFamilies() => new ImportFileBuilder()
        .Family(1, children: 2)
        .Family(2, wife: false, children: 0, village: "33.14.02.2001")
        .Family(3, children: 1, village: "3314012002");

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Imports_a_valid_file_and_reports_what_it_added(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = ThreeFamilies();
        var report = await ImportAsync(test, file.WriteCsv());

        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Message)));
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(3, report.Families.Added);
        Assert.Equal(8, report.Persons.Added);
        Assert.Equal(64, report.Sha256!.Length);
        await using var db = test.Database.CreateDb();
        var family = await db.Families.Include(f => f.Persons).SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(1));
        Assert.Equal("33.14.01.2001", family.KodeDesa);
        Assert.Equal(4, family.Persons.Count);
        Assert.Equal(8, family.JenisLantai);
        Assert.Equal(36, family.LuasLantai);
        Assert.Equal(2, family.DesilNasional);
        Assert.Equal(new DateOnly(2026, 11, 23), family.DesilNasionalTanggal);
        Assert.Equal("001", family.Rt);
        var wife = family.Persons.Single(p => p.HubunganKk == 3);
        Assert.Equal("Siti Nurhaliza", wife.Nama);
        Assert.Equal(DateOnly.Parse(file.Rows[1]["TANGGAL_LAHIR"]), wife.TanggalLahir);
        // Village given without dots is stored dotted.
        Assert.True(await db.Families.AnyAsync(f => f.KodeDesa == "33.14.01.2002"));
        Assert.Equal(3, await db.FamilyChanges.CountAsync(c => c.Field == "KELUARGA_BARU"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Members_repeating_their_family_cells_get_every_value_and_every_finding_of_them(string provider)
    {
        // The parser reuses the family cells of the row before when they are the same (FamilyRowParser): the values must
        // still land on every family, and a warning in those cells still be reported on each row that carries it.
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder()
            .Family(1, children: 2, familyFields: f => f["LUAS_LANTAI"] = "48")
            .Family(2, children: 1, familyFields: f => f["NO_KK"] = "0" + ImportFileBuilder.NoKkFor(2)[1..])
            .Family(3, children: 1, familyFields: f => f["LUAS_LANTAI"] = "48");
        var report = await ImportAsync(test, file.WriteCsv());

        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Message)));
        Assert.Equal(3, report.Families.Added);
        Assert.Equal(3, report.Warnings.Count(w => w.Code == "NO_KK_SEMENTARA"));
        Assert.Equal([6L, 7L, 8L], report.Warnings.Where(w => w.Code == "NO_KK_SEMENTARA").Select(w => w.Row).Order());
        await using var db = test.Database.CreateDb();
        var families = await db.Families.OrderBy(f => f.Id).ToListAsync();
        Assert.Equal(new double?[] { 48, 36, 48 }, families.Select(f => f.LuasLantai));
        Assert.Equal([false, true, false], families.Select(f => f.NoKkSementara));
        Assert.All(families, f => Assert.Equal(8, f.JenisLantai));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_character_codes_parsed_once_per_column_still_give_each_row_its_value_and_its_error(string provider)
    {
        // A one-character cell's outcome is kept per column once parsed clean (FamilyRowParser): "L", "P", "1" and "2"
        // must still land as their own sex, a cell in error must be reported on every row that carries it, and the
        // same character must mean what its own column says (a "2" in JENIS_KELAMIN, HUBUNGAN_KK and STATUS_KAWIN).
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 3).Family(2, children: 2);
        file.Rows[2]["JENIS_KELAMIN"] = "P";
        file.Rows[3]["JENIS_KELAMIN"] = "L";
        file.Rows[4]["JENIS_KELAMIN"] = "p";
        var path = file.WriteCsv();
        var clean = await ImportAsync(test, path, dryRun: true);
        Assert.Empty(clean.Errors);

        file.Rows[5]["HAMIL"] = "x";
        file.Rows[6]["HAMIL"] = "x";
        var refused = await ImportAsync(test, file.WriteCsv());
        Assert.Equal([7L, 8L], refused.Errors.Where(e => e.Column == "HAMIL").Select(e => e.Row));

        var report = await ImportAsync(test, path);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Message)));
        await using var db = test.Database.CreateDb();
        var persons = await db.Persons.OrderBy(p => p.Id).ToListAsync();
        Assert.Equal([1, 2, 2, 1, 2, 1, 2, 1, 2], persons.Select(p => p.JenisKelamin));
        Assert.Equal([1, 3, 4, 4, 4, 1, 3, 4, 4], persons.Select(p => p.HubunganKk));
        Assert.Equal([2, 2, 1, 1, 1, 2, 2, 1, 1], persons.Select(p => p.StatusKawin));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_file_twice_changes_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var path = ThreeFamilies().WriteCsv();
        await ImportAsync(test, path);
        var before = await CountAsync(test);

        var again = await ImportAsync(test, path);

        Assert.True(again.Committed);
        Assert.Equal(0, again.Families.Added + again.Families.Updated);
        Assert.Equal(3, again.Families.Unchanged);
        Assert.Equal(8, again.Persons.Unchanged);
        Assert.Equal(before, await CountAsync(test));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_corrected_file_updates_only_what_changed_and_records_old_and_new(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = ThreeFamilies();
        await ImportAsync(test, file.WriteCsv());
        foreach (var row in file.Rows.Where(r => r["NO_KK"] == ImportFileBuilder.NoKkFor(2)))
        {
            row["JENIS_LANTAI"] = "2";
            row["DESIL_NASIONAL"] = "3";
        }
        file.Rows[0]["NAMA"] = "Sukijo Hadi";
        var corrected = file.WriteCsv(Path.Combine(Path.GetTempPath(), "koreksi-" + Guid.NewGuid().ToString("N") + ".csv"));

        var report = await ImportAsync(test, corrected, user: "operator-desa-1");

        Assert.True(report.Committed);
        Assert.Equal(1, report.Families.Updated);
        Assert.Equal(2, report.Families.Unchanged);
        Assert.Equal(1, report.Persons.Updated);
        await using var db = test.Database.CreateDb();
        var family = await db.Families.SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(2));
        Assert.Equal(2, family.JenisLantai);
        var history = await db.FamilyChanges.Where(c => c.FamilyId == family.Id && c.Field != "KELUARGA_BARU").OrderBy(c => c.Field).ToListAsync();
        Assert.Collection(history,
            c => Assert.Equal(("DESIL_NASIONAL", "2", "3"), (c.Field, c.OldValue, c.NewValue)),
            c => Assert.Equal(("JENIS_LANTAI", "8", "2"), (c.Field, c.OldValue, c.NewValue)));
        Assert.All(history, c => Assert.Equal(("operator-desa-1", Path.GetFileName(corrected)), (c.ChangedBy, c.SourceFile)));
        var nameChange = await db.FamilyChanges.SingleAsync(c => c.Field == "NAMA");
        Assert.Equal(("Sukijo", "Sukijo Hadi"), (nameChange.OldValue, nameChange.NewValue));
        Assert.NotNull(nameChange.PersonId);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_with_one_error_writes_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = ThreeFamilies();
        file.Rows[5]["TANGGAL_LAHIR"] = "2099-01-01";

        var report = await ImportAsync(test, file.WriteCsv());

        Assert.False(report.Committed);
        Assert.Equal(2, report.ExitCode);
        var error = Assert.Single(report.Errors, e => e.Code != "FAMILY_NO_HEAD");
        Assert.True(report.Errors.Count == 1, string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Code} {e.Message}")));
        Assert.Equal((7L, "TANGGAL_LAHIR", "DATE_FUTURE"), (error.Row, error.Column, error.Code));
        Assert.Equal((0, 0, 0), await CountAsync(test));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_dry_run_reports_but_writes_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var report = await ImportAsync(test, ThreeFamilies().WriteCsv(), dryRun: true);
        Assert.False(report.Committed);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(3, report.Families.Added);
        Assert.Equal((0, 0, 0), await CountAsync(test));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_concurrent_imports_of_one_file_do_not_double_anything(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var builder = new ImportFileBuilder();
        for (var i = 1; i <= 300; i++)
        {
            builder.Family(i, children: 2, village: i % 2 == 0 ? "33.14.01.2001" : "33.14.03.2001");
        }
        var path = builder.WriteCsv();

        var reports = await Task.WhenAll(ImportAsync(test, path), ImportAsync(test, path));

        Assert.All(reports, r => Assert.True(r.Committed, r.Failure + string.Join("\n", r.Errors.Select(e => $"{e.Row} {e.Column} {e.Code} {e.Message}"))));
        Assert.Equal(300, reports.Sum(r => r.Families.Added));
        Assert.Equal(300, reports.Sum(r => r.Families.Unchanged));
        var (families, persons, _) = await CountAsync(test);
        Assert.Equal((300, 1200), (families, persons));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Cancelling_midway_leaves_the_database_as_it_was(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await ImportAsync(test, ThreeFamilies().WriteCsv());
        var before = await CountAsync(test);
        var builder = new ImportFileBuilder();
        for (var i = 100; i < 20_100; i++)
        {
            builder.Family(i, children: 1, village: "33.14.05.2001");
        }
        var path = builder.WriteCsv();
        using var cancel = new CancellationTokenSource();
        var progress = new CancelWhenWriting(cancel);

        var report = await new ImportFamilies(test.Database, _clock).RunAsync(
            new ImportFamilies.Input(path, "besar.csv", false, "operator"), progress, cancel.Token);

        Assert.True(progress.SawWriting);
        Assert.False(report.Committed);
        Assert.Equal(1, report.ExitCode);
        Assert.Equal(before, await CountAsync(test));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_cancelled_first_load_keeps_the_indexes_and_foreign_keys_it_rebuilds(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var builder = new ImportFileBuilder();
        for (var i = 100; i < 20_100; i++)
        {
            builder.Family(i, children: 1, village: "33.14.06.2001");
        }
        using var cancel = new CancellationTokenSource();
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(
            new ImportFamilies.Input(builder.WriteCsv(), "awal.csv", false, "operator"), new CancelWhenWriting(cancel), cancel.Token);

        Assert.False(report.Committed);
        await using var db = test.Database.CreateDb();
        var sql = test.Database.IsSqlite
            ? "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name IN ('ux_persons_nik', 'ix_persons_nama_kunci_tanggal_lahir', 'ix_persons_family_id', 'ix_families_kode_desa')"
            : "SELECT COUNT(*)::int AS \"Value\" FROM pg_indexes WHERE indexname IN ('ux_persons_nik', 'ix_persons_nama_kunci_tanggal_lahir', 'ix_persons_family_id', 'ix_families_kode_desa')";
        Assert.Equal(4, await db.Database.SqlQueryRaw<int>(sql).SingleAsync());
        if (!test.Database.IsSqlite)
        {
            Assert.Equal(2, await db.Database.SqlQueryRaw<int>(
                "SELECT COUNT(*)::int AS \"Value\" FROM pg_constraint WHERE conname IN ('persons_family_id_fkey', 'families_kode_desa_fkey')").SingleAsync());
        }
    }

    private sealed class CancelWhenWriting(CancellationTokenSource cancel) : IProgress<ImportProgress>
    {
        public bool SawWriting { get; private set; }

        public void Report(ImportProgress value)
        {
            if (value.Phase == "menulis")
            {
                SawWriting = true;
                cancel.Cancel();
            }
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_nik_already_in_another_family_is_refused_unless_marked_as_a_move(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var first = new ImportFileBuilder().Family(1, children: 1);
        await ImportAsync(test, first.WriteCsv());
        var child = first.Rows[2];
        var second = new ImportFileBuilder().Family(50, wife: false, children: 0);
        var moved = new Dictionary<string, string>(second.Rows[0])
        {
            ["NIK"] = child["NIK"],
            ["NAMA"] = child["NAMA"],
            ["HUBUNGAN_KK"] = "9",
            ["TANGGAL_LAHIR"] = child["TANGGAL_LAHIR"],
            ["JENIS_KELAMIN"] = child["JENIS_KELAMIN"]
        };
        second.Rows.Add(moved);

        var refused = await ImportAsync(test, second.WriteCsv());
        Assert.True(refused.Errors.Count == 1, string.Join("\n", refused.Errors.Select(e => $"{e.Row} {e.Column} {e.Code} {e.Message}")));
        Assert.Equal("NIK_OTHER_FAMILY", refused.Errors[0].Code);

        moved["PINDAH"] = "1";
        var accepted = await ImportAsync(test, second.WriteCsv());
        Assert.True(accepted.Committed);
        Assert.Contains(accepted.Warnings, w => w.Code == "PERSON_MOVE");
        await using var db = test.Database.CreateDb();
        var newFamily = await db.Families.SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(50));
        Assert.Equal(newFamily.Id, (await db.Persons.SingleAsync(p => p.Nik == child["NIK"])).FamilyId);
        Assert.True(await db.FamilyChanges.AnyAsync(c => c.Field == "ANGGOTA_KELUAR"));
        Assert.True(await db.FamilyChanges.AnyAsync(c => c.Field == "ANGGOTA_MASUK" && c.FamilyId == newFamily.Id));
    }

    /// <summary>The row of <paramref name="child"/> moving (PINDAH = 1) into the family of <paramref name="head"/>'s row.</summary>
    private static Dictionary<string, string> Moving(Dictionary<string, string> child, Dictionary<string, string> head) => new(head)
    {
        ["NIK"] = child["NIK"],
        ["NAMA"] = child["NAMA"],
        ["HUBUNGAN_KK"] = "9",
        ["TANGGAL_LAHIR"] = child["TANGGAL_LAHIR"],
        ["JENIS_KELAMIN"] = child["JENIS_KELAMIN"],
        ["PINDAH"] = "1",
    };

    /// <summary>A child moves from family 1 to family 2, both registered and both in the file with their rows as
    /// registered: both families' members change, so both are counted updated, not unchanged.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_move_between_two_families_of_the_file_counts_both_as_updated(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var first = new ImportFileBuilder().Family(1, children: 1).Family(2, wife: false, children: 0);
        await ImportAsync(test, first.WriteCsv());
        var child = first.Rows.Single(r => r["NO_KK"] == ImportFileBuilder.NoKkFor(1) && r["HUBUNGAN_KK"] == "3");
        var head2 = first.Rows.Single(r => r["NO_KK"] == ImportFileBuilder.NoKkFor(2));
        var second = new ImportFileBuilder();
        second.Rows.AddRange(first.Rows.Where(r => r != child).Select(r => new Dictionary<string, string>(r)));
        second.Rows.Add(Moving(child, head2));

        var report = await ImportAsync(test, second.WriteCsv());

        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Code} {e.Message}")));
        Assert.Equal((0, 2, 0), (report.Families.Added, report.Families.Updated, report.Families.Unchanged));
        Assert.Equal(1, report.Persons.Updated);
    }

    /// <summary>A village operator's import may not take a person out of another village's family: that village has not seen
    /// it. The regency (no region) may; so may the operator for a move inside its own village.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_cannot_move_a_person_out_of_another_village_but_the_regency_can(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        const string keden = "33.14.01.2001", trobayan = "33.14.01.2002";
        var origin = new ImportFileBuilder().Family(1, children: 1, village: trobayan).Family(2, children: 1, village: keden);
        await ImportAsync(test, origin.WriteCsv());
        var fromTrobayan = origin.Rows.Single(r => r["KODE_DESA"] == trobayan && r["HUBUNGAN_KK"] == "4");
        var fromKeden = origin.Rows.Single(r => r["KODE_DESA"] == keden && r["HUBUNGAN_KK"] == "4");
        var target = new ImportFileBuilder().Family(50, wife: false, children: 0, village: keden);
        target.Rows.Add(Moving(fromTrobayan, target.Rows[0]));
        var path = target.WriteCsv();
        Task<ImportReport> AsOperator(string file) =>
            new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file, Path.GetFileName(file), false, "operator.keden", RegionScope: keden), null,
                CancellationToken.None);

        var refused = await AsOperator(path);
        Assert.False(refused.Committed);
        var error = Assert.Single(refused.Errors);
        Assert.Equal("PINDAH_OTHER_VILLAGE", error.Code);
        Assert.DoesNotContain(fromTrobayan["NIK"], error.Value, StringComparison.Ordinal);

        // Inside its own village the operator moves a person; the regency moves one across villages.
        var inside = new ImportFileBuilder().Family(51, wife: false, children: 0, village: keden);
        inside.Rows.Add(Moving(fromKeden, inside.Rows[0]));
        Assert.True((await AsOperator(inside.WriteCsv())).Committed);
        var byRegency = await ImportAsync(test, path);
        Assert.True(byRegency.Committed, string.Join("\n", byRegency.Errors.Select(e => $"{e.Row} {e.Code}")));
        Assert.Contains(byRegency.Warnings, w => w.Code == "PERSON_MOVE");
    }

    /// <summary>The row's KODE_DESA is the importer's word: a village operator's file naming its own village over another
    /// village's NO_KK, whole or family fields only, changes nothing there (before, it moved the family into the importer's
    /// village, whose export then showed its members' NIKs).</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_cannot_take_over_a_family_of_another_village_by_its_no_kk(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        const string keden = "33.14.01.2001", trobayan = "33.14.01.2002";
        var origin = new ImportFileBuilder().Family(1, children: 1, village: trobayan).Family(2, children: 1, village: keden);
        await ImportAsync(test, origin.WriteCsv());
        var taken = new ImportFileBuilder();
        taken.Rows.AddRange(origin.Rows.Where(r => r["KODE_DESA"] == trobayan)
            .Select(r => new Dictionary<string, string>(r) { ["KODE_DESA"] = keden, ["NAMA"] = r["NAMA"] + " Y" }));
        var familyOnly = Path.Combine(Path.GetTempPath(), $"kk-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(familyOnly, $"KODE_DESA,NO_KK,ALAMAT\n{keden},{ImportFileBuilder.NoKkFor(1)},Dipindah\n");
        Task<ImportReport> AsOperator(string file) =>
            new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file, Path.GetFileName(file), false, "operator.keden", RegionScope: keden), null,
                CancellationToken.None);

        // Beside a family of the operator's own village, the neighbour's family is refused on its rows, masked.
        var mixed = new ImportFileBuilder();
        mixed.Rows.AddRange(taken.Rows);
        mixed.Rows.AddRange(origin.Rows.Where(r => r["KODE_DESA"] == keden));
        var refused = await AsOperator(mixed.WriteCsv());
        Assert.False(refused.Committed);
        Assert.Equal(taken.Rows.Count, refused.Errors.Count);
        Assert.All(refused.Errors, e => Assert.Equal(("FAMILY_OTHER_VILLAGE", "NO_KK"), (e.Code, e.Column)));
        Assert.DoesNotContain(ImportFileBuilder.NoKkFor(1), refused.Errors[0].Value, StringComparison.Ordinal);
        // A file of the neighbour's families only is another village's file: one error for the file, not one a row.
        foreach (var path in new[] { taken.WriteCsv(), familyOnly })
        {
            var whole = await AsOperator(path);
            Assert.False(whole.Committed);
            var error = Assert.Single(whole.Errors);
            Assert.Equal(("FILE_OTHER_VILLAGE", 1L), (error.Code, error.Row));
            Assert.StartsWith("1 dari 1 keluarga", error.Message, StringComparison.Ordinal);
        }
        await using var db = test.Database.CreateDb();
        var family = await db.Families.SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(1));
        Assert.Equal(trobayan, family.KodeDesa);
        Assert.DoesNotContain(await db.Persons.Where(p => p.FamilyId == family.Id).Select(p => p.Nama).ToListAsync(), n => n.EndsWith(" Y", StringComparison.Ordinal));

        // Its own village's family the operator still updates.
        var own = new ImportFileBuilder();
        own.Rows.AddRange(origin.Rows.Where(r => r["KODE_DESA"] == keden).Select(r => new Dictionary<string, string>(r) { ["ALAMAT"] = "Dukuh Baru" }));
        var updated = await AsOperator(own.WriteCsv());
        Assert.True(updated.Committed, string.Join("\n", updated.Errors.Select(e => $"{e.Row} {e.Code}")));
        Assert.Equal(1, updated.Families.Updated);
    }

    [Fact]
    public async Task A_nik_or_no_kk_typed_with_spaces_inside_is_reported_masked()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        var file = new ImportFileBuilder().Family(1, children: 1);
        var nik = file.Rows[1]["NIK"];
        var noKk = file.Rows[0]["NO_KK"];
        file.Rows[1]["NIK"] = $"{nik[..6]} {nik[6..12]} {nik[12..]}";
        foreach (var row in file.Rows)
        {
            row["NO_KK"] = noKk[..8] + "-" + noKk[8..];
        }

        var report = await ImportAsync(test, file.WriteCsv());

        Assert.Contains(report.Errors, e => e.Column == "NIK" && e.Value == $"{nik[..4]}•• •••••• {nik[12..]}");
        Assert.Contains(report.Errors, e => e.Column == "NO_KK" && e.Value == $"{noKk[..4]}••••-••••{noKk[12..]}");
        Assert.DoesNotContain(nik[4..12], report.ToJson(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Imports_an_xlsx_workbook_and_rejects_a_nik_stored_as_a_number(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = ThreeFamilies();
        var path = Path.Combine(Path.GetTempPath(), "tuntas-" + Guid.NewGuid().ToString("N") + ".xlsx");
        WriteXlsx(file, path, numericNikRow: null);
        var report = await ImportAsync(test, path);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Message}")));
        Assert.Equal(8, report.Persons.Added);

        var broken = ThreeFamilies();
        broken.Rows.ForEach(r => r["NO_KK"] = ImportFileBuilder.NoKkFor(int.Parse(r["NO_KK"][^4..]) + 500));
        WriteXlsx(broken, path, numericNikRow: 2);
        var rejected = await ImportAsync(test, path);
        var error = Assert.Single(rejected.Errors);
        Assert.Equal((4L, "NIK", "NIK_NOTASI_ILMIAH"), (error.Row, error.Column, error.Code));
    }

    private static void WriteXlsx(ImportFileBuilder file, string path, int? numericNikRow)
    {
        using var stream = File.Create(path);
        using var xlsx = new XlsxWriter(stream);
        xlsx.WriteRow(file.Header);
        for (var i = 0; i < file.Rows.Count; i++)
        {
            var row = file.Rows[i];
            xlsx.WriteRow(file.Header.Select(h => h == "NIK" && i == numericNikRow ? (object)double.Parse(row[h]) : row.GetValueOrDefault(h)));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reads_a_semicolon_file_with_decimal_commas_and_a_bom(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = ThreeFamilies();
        file.Rows.ForEach(r => r["LUAS_LANTAI"] = "12,5");
        var path = Path.Combine(Path.GetTempPath(), "tuntas-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, file.ToCsv(';'), new UTF8Encoding(true));
        var report = await ImportAsync(test, path);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => $"{e.Row} {e.Column} {e.Message}")));
        await using var db = test.Database.CreateDb();
        Assert.All(await db.Families.ToListAsync(), f => Assert.Equal(12.5, f.LuasLantai));
    }

    [Fact]
    public async Task Does_not_crash_when_the_database_is_unreachable()
    {
        var database = new TuntasDatabase(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=2");
        var report = await new ImportFamilies(database, _clock).RunAsync(
            new ImportFamilies.Input(ThreeFamilies().WriteCsv(), "a.csv", false, "op"), null, CancellationToken.None);
        Assert.Equal(1, report.ExitCode);
        Assert.Contains("Tidak ada data yang ditulis", report.Failure);
    }
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.Imports;
using Tuntas.Registry;
using Tuntas.Testing;
using static Tuntas.Registry.RegistryWriter;

namespace Tuntas.Core.Tests.Registry;

public sealed class RegistryWriterTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));

    private static async Task<TestDatabase> WithTwoFamiliesAsync(string provider, ImportFileBuilder? file = null)
    {
        var test = await TestDatabase.CreateAsync(provider);
        file ??= new ImportFileBuilder().Family(1, children: 2).Family(2, village: "33.14.02.2001");
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None);
        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Code + " " + e.Message)));
        return test;
    }

    private static async Task<(Family Family, List<Person> Members)> FamilyAsync(TestDatabase test, int serial)
    {
        await using var db = test.Database.CreateDb();
        var noKk = ImportFileBuilder.NoKkFor(serial);
        var family = await db.Families.AsNoTracking().SingleAsync(f => f.NoKk == noKk);
        var members = await db.Persons.AsNoTracking().Where(p => p.FamilyId == family.Id).OrderBy(p => p.HubunganKk).ThenBy(p => p.Id).ToListAsync();
        return (family, members);
    }

    private static async Task<FamilyOutcome> WriteAsync(TestDatabase test, FamilyEdit edit, AccessScope? scope = null, string source = ChangeSource.Editor)
    {
        await using var db = test.Database.CreateDb();
        return await new RegistryWriter(db, _clock).WriteAsync(edit, "ani", source, scope ?? AccessScope.Regency, CancellationToken.None);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_edited_field_is_written_with_a_history_line_naming_who_and_the_source(string provider)
    {
        await using var test = await WithTwoFamiliesAsync(provider);
        var (family, members) = await FamilyAsync(test, 1);

        var outcome = await WriteAsync(test, new FamilyEdit(family.Id, family.Version,
            [new SetField(null, "JENIS_LANTAI", "2"), new SetField(members[0].Id, "NAMA", "Sukijo Hadi")]));

        Assert.Equal(Result.Written, outcome.Result);
        Assert.Equal(family.Version + 1, outcome.Version);
        var (after, afterMembers) = await FamilyAsync(test, 1);
        Assert.Equal(2, after.JenisLantai);
        Assert.Equal("Sukijo Hadi", afterMembers[0].Nama);
        Assert.Equal(NameKey.For("Sukijo Hadi"), afterMembers[0].NamaKunci);
        Assert.Equal(RegistryFields.FamilyHash(after), after.RowHash);
        await using var db = test.Database.CreateDb();
        var lines = await db.FamilyChanges.Where(c => c.FamilyId == family.Id && c.Source == ChangeSource.Editor).OrderBy(c => c.Field).ToListAsync();
        Assert.Collection(lines,
            l => Assert.Equal(("JENIS_LANTAI", "8", "2", "ani", after.Version), (l.Field, l.OldValue, l.NewValue, l.ChangedBy, l.FamilyVersion!.Value)),
            l => Assert.Equal(("NAMA", "Sukijo", "Sukijo Hadi"), (l.Field, l.OldValue, l.NewValue)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_version_raised_between_the_read_and_the_write_is_never_overwritten_the_chunk_is_read_again(string provider)
    {
        await using var test = await WithTwoFamiliesAsync(provider);
        var (family, _) = await FamilyAsync(test, 1);
        await using var db = test.Database.CreateDb();
        var calls = 0;

        // Another writer's update, played inside the chunk's transaction once the families are read and validated: the
        // family update must miss the version it read, roll the chunk back and read it again.
        var outcome = await new RegistryWriter(db, _clock).RunAsync(new Input([new FamilyEdit(family.Id, null, [new SetField(null, "JENIS_LANTAI", "2")])],
            "ani", ChangeSource.Editor, AccessScope.Regency, BeforeWrite: async (chunkDb, ct) =>
            {
                if (calls++ == 0)
                {
                    await chunkDb.Database.ExecuteSqlRawAsync("UPDATE families SET version = version + 1 WHERE id = {0}", [family.Id], ct);
                }
            }), CancellationToken.None);

        Assert.Equal(2, calls);
        Assert.Equal(Result.Written, outcome.Families[0].Result);
        var (after, _) = await FamilyAsync(test, 1);
        Assert.Equal(family.Version + 1, after.Version);
        Assert.Equal(2, after.JenisLantai);
        var line = Assert.Single(await db.FamilyChanges.AsNoTracking().Where(c => c.FamilyId == family.Id && c.Source == ChangeSource.Editor).ToListAsync());
        Assert.Equal(("JENIS_LANTAI", after.Version), (line.Field, line.FamilyVersion!.Value));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_invalid_value_is_refused_with_the_import_code_and_nothing_is_written(string provider)
    {
        await using var test = await WithTwoFamiliesAsync(provider);
        var (family, members) = await FamilyAsync(test, 1);

        var outcome = await WriteAsync(test, new FamilyEdit(family.Id, family.Version,
            [new SetField(null, "ALAMAT", "Dukuh Baru"), new SetField(null, "JENIS_LANTAI", "12"), new SetField(members[1].Id, "HAMIL", "x"), new SetField(null, "NO_KK", "1")]));

        Assert.Equal(Result.Invalid, outcome.Result);
        Assert.Equal(["OUT_OF_RANGE", "NOT_01", "FIELD_NOT_EDITABLE"], outcome.Problems.Select(p => p.Code));
        Assert.Equal("JENIS_LANTAI", outcome.Problems[0].Field);
        var (after, _) = await FamilyAsync(test, 1);
        Assert.Equal("Dukuh Krajan", after.Alamat);
        Assert.Equal(family.Version, after.Version);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_second_save_on_a_stale_version_is_refused_and_shown_the_other_change(string provider)
    {
        await using var test = await WithTwoFamiliesAsync(provider);
        var (family, _) = await FamilyAsync(test, 1);
        Assert.Equal(Result.Written, (await WriteAsync(test, new FamilyEdit(family.Id, family.Version, [new SetField(null, "JENIS_ATAP", "3")]))).Result);

        var second = await WriteAsync(test, new FamilyEdit(family.Id, family.Version, [new SetField(null, "JENIS_ATAP", "5")]));

        Assert.Equal(Result.Stale, second.Result);
        Assert.Equal("VERSION_STALE", Assert.Single(second.Problems).Code);
        var other = Assert.Single(second.Changes);
        Assert.Equal(("JENIS_ATAP", "2", "3"), (other.Field, other.OldValue, other.NewValue));
        Assert.Equal(3, (await FamilyAsync(test, 1)).Family.JenisAtap);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_family_outside_the_scope_is_not_found(string provider)
    {
        await using var test = await WithTwoFamiliesAsync(provider);
        var (family, _) = await FamilyAsync(test, 2);

        var outcome = await WriteAsync(test, new FamilyEdit(family.Id, null, [new SetField(null, "JENIS_ATAP", "3")]), AccessScope.Within("33.14.01.2001"));

        Assert.Equal(Result.NotFound, outcome.Result);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_head_dying_needs_a_new_head_in_the_same_change(string provider)
    {
        await using var test = await WithTwoFamiliesAsync(provider);
        var (family, members) = await FamilyAsync(test, 1);
        var head = members.Single(p => p.HubunganKk == 1);
        var wife = members.Single(p => p.HubunganKk == 3);
        var death = new SetLifeStatus(head.Id, LifeStatus.Meninggal, new DateOnly(2026, 10, 1), null);

        var alone = await WriteAsync(test, new FamilyEdit(family.Id, family.Version, [death]));
        Assert.Equal("FAMILY_NO_HEAD", Assert.Single(alone.Problems).Code);

        var withNewHead = await WriteAsync(test, new FamilyEdit(family.Id, family.Version, [death, new SetField(wife.Id, "HUBUNGAN_KK", "1")]), source: ChangeSource.Musdes);
        Assert.Equal(Result.Written, withNewHead.Result);
        var (_, after) = await FamilyAsync(test, 1);
        var dead = after.Single(p => p.Id == head.Id);
        Assert.Equal((LifeStatus.Meninggal, new DateOnly(2026, 10, 1), ChangeSource.Musdes), (dead.StatusHidup, dead.StatusTanggal!.Value, dead.StatusSumber!));
        Assert.Contains(withNewHead.Changes, c => c.Field == RegistryHistory.LifeStatusField && c.OldValue == "hidup" && c.NewValue == "meninggal 2026-10-01");
        Assert.Contains(withNewHead.Changes, c => c.Field == "HUBUNGAN_KK" && c.PersonId == wife.Id && c.NewValue == "1");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_birth_adds_a_member_and_a_duplicate_nik_is_refused(string provider)
    {
        await using var test = await WithTwoFamiliesAsync(provider);
        var (family, members) = await FamilyAsync(test, 1);
        var (_, others) = await FamilyAsync(test, 2);
        Dictionary<string, string?> Baby(string nik) => new()
        {
            ["NIK"] = nik,
            ["NAMA"] = "Bayi Lestari",
            ["JENIS_KELAMIN"] = "2",
            ["TANGGAL_LAHIR"] = "2026-09-01",
            ["HUBUNGAN_KK"] = "4",
            ["STATUS_KAWIN"] = "1",
            ["PENDIDIKAN"] = "1",
            ["DISABILITAS"] = "0",
        };

        var taken = await WriteAsync(test, new FamilyEdit(family.Id, family.Version, [new AddMember(Baby(others[0].Nik))]));
        Assert.Equal("NIK_OTHER_FAMILY", Assert.Single(taken.Problems).Code);

        var born = await WriteAsync(test, new FamilyEdit(family.Id, family.Version, [new AddMember(Baby(ImportFileBuilder.NikFor(new DateOnly(2026, 9, 1), 2, 4321)))]));
        Assert.Equal(Result.Written, born.Result);
        Assert.Equal(members.Count + 1, (await FamilyAsync(test, 1)).Members.Count);
        Assert.Equal("Bayi Lestari", Assert.Single(born.Changes, c => c.Field == "ANGGOTA_BARU").NewValue);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Pecah_kk_moves_members_to_a_new_family_with_history_in_both(string provider)
    {
        var file = new ImportFileBuilder().Family(1, children: 2).Family(2);
        await using var test = await WithTwoFamiliesAsync(provider, file);
        var (family, members) = await FamilyAsync(test, 1);
        var child = members.First(p => p.HubunganKk == 4);
        var newKk = ImportFileBuilder.NoKkFor(77);
        // A NO_KK another family holds is refused with the masked number.
        var taken = await WriteAsync(test, new FamilyEdit(family.Id, family.Version,
            [new SetField(child.Id, "HUBUNGAN_KK", "1"), new SplitOff([child.Id], ImportFileBuilder.NoKkFor(2))]));
        Assert.Equal(Result.Invalid, taken.Result);
        Assert.Contains(NoKk.Mask(ImportFileBuilder.NoKkFor(2)), Assert.Single(taken.Problems, p => p.Code == "NO_KK_TAKEN").Message, StringComparison.Ordinal);

        var outcome = await WriteAsync(test, new FamilyEdit(family.Id, family.Version,
            [new SetField(child.Id, "HUBUNGAN_KK", "1"), new SplitOff([child.Id], newKk)]));

        Assert.Equal(Result.Written, outcome.Result);
        var (split, splitMembers) = await FamilyAsync(test, 77);
        Assert.Equal(outcome.NewFamilyId, split.Id);
        Assert.Equal(child.Id, Assert.Single(splitMembers).Id);
        Assert.Equal(family.KodeDesa, split.KodeDesa);
        Assert.Equal(members.Count - 1, (await FamilyAsync(test, 1)).Members.Count);
        Assert.Contains(outcome.Changes, c => c.FamilyId == split.Id && c.Field == "ANGGOTA_MASUK");
        Assert.Contains(outcome.Changes, c => c.FamilyId == family.Id && c.Field == "PECAH_KK");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Status_dasar_in_a_file_records_a_death_and_a_file_without_the_column_keeps_it(string provider)
    {
        var file = new ImportFileBuilder().Family(1, children: 1);
        await using var test = await WithTwoFamiliesAsync(provider, file);
        var path = file.WriteCsv();
        file.Rows[2]["STATUS_DASAR"] = "2";
        var import = new ImportFamilies(test.Database, _clock);

        var died = await import.RunAsync(new ImportFamilies.Input(file.WriteCsv(), "opensid.csv", false, "operator"), null, CancellationToken.None);
        Assert.True(died.Committed);
        Assert.Equal(1, died.Persons.Updated);
        var child = (await FamilyAsync(test, 1)).Members.Single(p => p.HubunganKk == 4);
        Assert.Equal((LifeStatus.Meninggal, ChangeSource.File), (child.StatusHidup, child.StatusSumber!));

        var again = await import.RunAsync(new ImportFamilies.Input(path, "awal.csv", false, "operator"), null, CancellationToken.None);
        Assert.Equal(0, again.Persons.Updated);
        Assert.Equal(LifeStatus.Meninggal, (await FamilyAsync(test, 1)).Members.Single(p => p.Id == child.Id).StatusHidup);

        file.Rows[2]["STATUS_DASAR"] = "9";
        var invalid = await import.RunAsync(new ImportFamilies.Input(file.WriteCsv(), "opensid.csv", true, "operator"), null, CancellationToken.None);
        Assert.Equal("STATUS_DASAR_TIDAK_VALID", Assert.Single(invalid.Errors).Code);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_import_that_changes_a_family_makes_an_editor_on_the_old_version_stale(string provider)
    {
        var file = new ImportFileBuilder().Family(1, children: 1);
        await using var test = await WithTwoFamiliesAsync(provider, file);
        var (family, _) = await FamilyAsync(test, 1);
        file.Rows[1]["PENDIDIKAN"] = "5";
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "koreksi.csv", false, "operator"), null, CancellationToken.None);
        Assert.True(report.Committed);

        var outcome = await WriteAsync(test, new FamilyEdit(family.Id, family.Version, [new SetField(null, "JENIS_ATAP", "3")]));

        Assert.Equal(Result.Stale, outcome.Result);
        var line = Assert.Single(outcome.Changes);
        Assert.Equal(("PENDIDIKAN", ChangeSource.File, "koreksi.csv"), (line.Field, line.Source, line.SourceFile!));
    }
}

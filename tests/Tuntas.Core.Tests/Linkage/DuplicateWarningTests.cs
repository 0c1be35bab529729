using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Imports;
using Tuntas.Linkage;
using Tuntas.Registry;
using Tuntas.Testing;
using static Tuntas.Registry.RegistryWriter;

namespace Tuntas.Core.Tests.Linkage;

/// <summary>DUPLICATE_SUSPECT at the entry points: a warning with the matched NIK (masked) and the score, never a refusal.</summary>
public sealed class DuplicateWarningTests
{
    private static readonly TimeProvider _clock = TimeProvider.System;

    private static async Task<(TestDatabase Test, Person Head)> RegistryAsync(string provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 2).Family(2, village: "33.14.02.2001");
        // Different names and birth dates per family, so only the planted person looks like someone.
        file.Rows[4]["NAMA"] = "Mochamad Sholeh";
        var report = await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None);
        Assert.True(report.Committed);
        await using var db = test.Database.CreateDb();
        var head = await db.Persons.AsNoTracking().SingleAsync(p => p.Nama == "Mochamad Sholeh");
        return (test, head);
    }

    private static string Typo(string nik) => nik[..11] + (nik[11] == '9' ? '8' : (char)(nik[11] + 1)) + nik[12..];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_editor_warns_when_a_new_member_looks_like_a_registered_person_and_still_writes(string provider)
    {
        var (test, head) = await RegistryAsync(provider);
        await using var _ = test;
        await using var db = test.Database.CreateDb();
        var family = await db.Families.AsNoTracking().SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(1));
        Dictionary<string, string?> Member(string nik, string name, DateOnly birth) => new()
        {
            ["NIK"] = nik,
            ["NAMA"] = name,
            ["JENIS_KELAMIN"] = "1",
            ["TANGGAL_LAHIR"] = birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["HUBUNGAN_KK"] = "9",
            ["STATUS_KAWIN"] = "2",
            ["PENDIDIKAN"] = "3",
            ["DISABILITAS"] = "0",
        };

        // The same man again: "H. Muhammad Sholeh bin Karto", his NIK with one digit wrong.
        var outcome = await new RegistryWriter(db, _clock).WriteAsync(new FamilyEdit(family.Id, family.Version,
            [new AddMember(Member(Typo(head.Nik), "H. Muhammad Sholeh bin Karto", head.TanggalLahir))]), "ani", ChangeSource.Editor, AccessScope.Regency, CancellationToken.None);

        Assert.Equal(Result.Written, outcome.Result);
        var warning = Assert.Single(outcome.Warnings);
        Assert.Equal(CheckDuplicate.Code, warning.Code);
        Assert.Contains(Nik.Mask(head.Nik), warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(head.Nik, warning.Message, StringComparison.Ordinal);

        // A stranger: no warning.
        var fresh = await db.Families.AsNoTracking().SingleAsync(f => f.Id == family.Id);
        var other = await new RegistryWriter(db, _clock).WriteAsync(new FamilyEdit(family.Id, fresh.Version,
            [new AddMember(Member(ImportFileBuilder.NikFor(new DateOnly(1999, 3, 3), 1, 77), "Bagus Prakoso", new DateOnly(1999, 3, 3)))]), "ani", ChangeSource.Editor, AccessScope.Regency, CancellationToken.None);
        Assert.Equal(Result.Written, other.Result);
        Assert.Empty(other.Warnings);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_import_warns_about_a_new_person_registered_already_under_another_nik(string provider)
    {
        var (test, head) = await RegistryAsync(provider);
        await using var _ = test;
        var file = FileWithHeadAgain(head, "33.14.02.2001");

        var report = await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "baru.csv", false, "operator"), null, CancellationToken.None);

        Assert.True(report.Committed);
        var warning = Assert.Single(report.Warnings, w => w.Code == CheckDuplicate.Code);
        Assert.Equal(3, warning.Row);
        Assert.Contains(Nik.Mask(head.Nik), warning.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The check looks at the whole registry: a village operator's dry run of a made-up person (a name, a birth date, a NIK
    /// one digit off) named whoever of another village matched, with a masked NIK — a look-up of residents by name outside
    /// the operator's village. Outside the scope the warning stays, without whom; inside it, as before.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_is_warned_of_a_match_in_another_village_without_its_name_or_nik(string provider)
    {
        var (test, head) = await RegistryAsync(provider);
        await using var _ = test;
        var file = FileWithHeadAgain(head, "33.14.01.2001");
        var path = file.WriteCsv();

        var village = await new ImportFamilies(test.Database, _clock).RunAsync(
            new ImportFamilies.Input(path, "desa.csv", true, "op1", RegionScope: "33.14.01.2001"), null, CancellationToken.None);
        var warning = Assert.Single(village.Warnings, w => w.Code == CheckDuplicate.Code);
        Assert.DoesNotContain("Sholeh", warning.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Nik.Mask(head.Nik), warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sholeh", warning.MessageEn, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(head.Nik[^4..], warning.Message + warning.MessageEn, StringComparison.Ordinal);
        Assert.Contains("luar wilayah", warning.Message, StringComparison.Ordinal);

        // The regency (and a kecamatan holding the match) still sees whom.
        foreach (var scope in new string?[] { null, "33.14.02" })
        {
            var file2 = FileWithHeadAgain(head, scope is null ? "33.14.01.2001" : "33.14.02.2001");
            var wide = await new ImportFamilies(test.Database, _clock).RunAsync(
                new ImportFamilies.Input(file2.WriteCsv(), "desa.csv", true, "admin", RegionScope: scope), null, CancellationToken.None);
            Assert.Contains(Nik.Mask(head.Nik), Assert.Single(wide.Warnings, w => w.Code == CheckDuplicate.Code).Message, StringComparison.Ordinal);
        }

        // The editor of the operator's own family says the same.
        await using var db = test.Database.CreateDb();
        var family = await db.Families.AsNoTracking().SingleAsync(f => f.NoKk == ImportFileBuilder.NoKkFor(1));
        var outcome = await new RegistryWriter(db, _clock).WriteAsync(new FamilyEdit(family.Id, family.Version,
            [new AddMember(new Dictionary<string, string?>
            {
                ["NIK"] = Typo(head.Nik),
                ["NAMA"] = "H. Muhammad Sholeh bin Karto",
                ["JENIS_KELAMIN"] = "1",
                ["TANGGAL_LAHIR"] = head.TanggalLahir.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["HUBUNGAN_KK"] = "9",
                ["STATUS_KAWIN"] = "2",
                ["PENDIDIKAN"] = "3",
                ["DISABILITAS"] = "0",
            })]), "op1", ChangeSource.Editor, AccessScope.Within("33.14.01.2001"), CancellationToken.None);
        Assert.Equal(Result.Written, outcome.Result);
        var edited = Assert.Single(outcome.Warnings);
        Assert.Equal(CheckDuplicate.Code, edited.Code);
        Assert.DoesNotContain("Sholeh", edited.Message + edited.MessageEn, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(head.Nik[^4..], edited.Message + edited.MessageEn, StringComparison.Ordinal);
    }

    /// <summary>A family proposed from the field: the suspect goes into the worklist line's note, which the village's
    /// operator and the musdes read. A match in another village is noted without its name or NIK.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_proposed_family_notes_a_match_in_another_village_without_its_name_or_nik(string provider)
    {
        var (test, head) = await RegistryAsync(provider);
        await using var _ = test;
        await using var db = test.Database.CreateDb();
        await new Tuntas.Verivali.OpenPeriod(db, _clock).RunAsync(new Tuntas.Verivali.OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None);
        var member = ProposedFamilies.Head(Typo(head.Nik));
        member["NAMA"] = "Moch. Sholeh";
        member["TANGGAL_LAHIR"] = head.TanggalLahir.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var proposed = await new Tuntas.Verivali.ProposeNewFamily(db, _clock).RunAsync(new Tuntas.Verivali.ProposeNewFamily.Input(ProposedFamilies.Family(),
            [member], null, AccessScope.Within("33.14.01.2001"), Tuntas.Users.Roles.VillageOperator, "op1"), CancellationToken.None);

        Assert.Empty(proposed.Problems);
        Assert.Contains(CheckDuplicate.Code, proposed.Line!.Note, StringComparison.Ordinal);
        Assert.DoesNotContain("Mochamad", proposed.Line.Note, StringComparison.Ordinal);
        // The proposed member's own NIK (masked) opens the note: its masked form is the match's, one digit apart inside.
        Assert.Contains("luar wilayah", proposed.Line.Note, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Many_persons_checked_in_batches_get_the_matches_each_would_get_alone(string provider)
    {
        var (test, head) = await RegistryAsync(provider);
        await using var _ = test;
        // Over two batches: strangers, with the planted person's look-alikes among them, the last in the second batch.
        var persons = Enumerable.Range(0, 450).Select(i => i % 97 == 5
            ? new CheckDuplicate.Person(Typo(head.Nik), "Moch. Sholeh", head.TanggalLahir, head.JenisKelamin, "33.14.02.2001")
            : new CheckDuplicate.Person(ImportFileBuilder.NikFor(new DateOnly(1960, 1, 1).AddDays(i * 37), 1, 700 + i), "Orang Lain " + i,
                new DateOnly(1960, 1, 1).AddDays(i * 37), 1, "33.14.01.2001")).ToList();
        await using var db = test.Database.CreateDb();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        var many = await CheckDuplicate.FindManyAsync(connection, null, persons, CancellationToken.None);

        var alone = new List<CheckDuplicate.Match?>();
        foreach (var person in persons)
        {
            alone.Add(await CheckDuplicate.FindAsync(connection, null, person, CancellationToken.None));
        }
        Assert.Equal(alone, many);
        Assert.Equal(5, many.Count(m => m is not null));
        Assert.All(many.Where(m => m is not null), m => Assert.Equal(head.Nik, m!.Nik));
    }

    /// <summary>A new family of <paramref name="village"/> whose second member is the registered head again: the same name
    /// and birth date under a NIK one digit off (row 3).</summary>
    private static ImportFileBuilder FileWithHeadAgain(Person head, string village)
    {
        var file = new ImportFileBuilder().Family(3, wife: false, children: 0, village: village);
        file.Rows[0]["NAMA"] = "Bagus Prakoso";
        file.Rows[0]["TANGGAL_LAHIR"] = "1999-03-03";
        file.Rows[0]["NIK"] = ImportFileBuilder.NikFor(new DateOnly(1999, 3, 3), 1, 501);
        var again = file.Person(file.Rows[0], "Moch. Sholeh", 1, head.TanggalLahir, 9, 2, 3);
        again["NIK"] = Typo(head.Nik);
        again["TANGGAL_LAHIR"] = head.TanggalLahir.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return file;
    }
}

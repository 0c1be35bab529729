using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.Linkage;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Linkage;

public sealed class RegistryDuplicatesTests
{
    private static readonly string[] _first = ["Agus", "Budi", "Dewi", "Eko", "Joko", "Rina", "Sri", "Tri", "Yuni", "Heru", "Dian", "Wahyu", "Bambang", "Ani", "Slamet", "Sumarni", "Paijo", "Tukiyem", "Rohmad", "Suyatmi"];
    private static readonly string[] _last = ["Santoso", "Rahayu", "Wibowo", "Utami", "Hidayat", "Purnomo", "Saputra", "Kusuma", "Setiawan", "Handayani", "Susanto", "Nugroho", "Fitriani", "Lestari", "Prasetyo", "Wahyuni", "Haryanto", "Suparmi", "Widodo", "Astuti"];
    private static readonly TimeProvider _clock = TimeProvider.System;

    private sealed record Planted(long TemporaryId, long RealId, long TypoKeepId, long TypoOtherId, long TwinA, long TwinB, long ProgramId);

    /// <summary>300 families of three, plus: one woman twice in her family (temporary NIK and real NIK), one man in two
    /// families (NIK one digit wrong, "Moh." vs "Muhammad"), twins (same family and birth date, consecutive NIKs), and two
    /// strangers of one name and birth date in two desa.</summary>
    private static async Task<Planted> SeedAsync(TuntasDatabase database)
    {
        await using var db = database.CreateDb();
        var rng = new Random(11);
        var now = DateTime.UtcNow;
        var families = new List<Family>();
        var serial = 0;
        Person NewPerson(string name, int sex, DateOnly birth, int relation, string? nik = null) => new()
        {
            Nik = nik ?? Nik.Compose("331401", birth, sex, ++serial),
            Nama = name,
            NamaKunci = NameKey.For(name),
            JenisKelamin = sex,
            TanggalLahir = birth,
            HubunganKk = relation,
            StatusKawin = relation == 4 ? 1 : 2,
            Pendidikan = 3,
            CreatedAt = now,
            UpdatedAt = now,
        };
        for (var f = 0; f < 300; f++)
        {
            var family = new Family
            {
                NoKk = NoKk.Compose("331401", new DateOnly(2015, 1, 1).AddDays(f / 9000), (f % 9000) + 1),
                KodeDesa = f % 2 == 0 ? "33.14.01.2001" : "33.14.01.2002",
                Alamat = "Dukuh " + _last[rng.Next(_last.Length)],
                CreatedAt = now,
                UpdatedAt = now,
            };
            var head = new DateOnly(1950, 1, 1).AddDays(rng.Next(365 * 40));
            family.Persons.Add(NewPerson($"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]}", 1, head, 1));
            family.Persons.Add(NewPerson($"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]}", 2, head.AddDays(rng.Next(2000)), 3));
            family.Persons.Add(NewPerson($"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]}", 1 + rng.Next(2), head.AddYears(22 + rng.Next(5)).AddDays(rng.Next(300)), 4));
            families.Add(family);
        }
        // The same woman twice: the village first typed her with OpenSID's temporary number, the real NIK came later.
        var mother = new DateOnly(1983, 4, 17);
        var temporary = NewPerson("Sitti Aminah", 2, mother, 3, "0331401200100012");
        temporary.NikSementara = true;
        temporary.Pekerjaan = "Pedagang";
        var real = NewPerson("Siti Aminah", 2, mother, 3);
        families[10].Persons.AddRange([temporary, real]);
        // One man in two families of his desa, his NIK with one digit wrong in the second.
        var man = new DateOnly(1979, 8, 2);
        var typoKeep = NewPerson("Muhammad Rizki Pratama", 1, man, 4);
        var typoNik = typoKeep.Nik[..15] + (typoKeep.Nik[15] == '9' ? '8' : (char)(typoKeep.Nik[15] + 1));
        var typoOther = NewPerson("Moh. Rizki Pratama", 1, man, 4, typoNik);
        families[20].Persons.Add(typoKeep);
        families[22].Persons.Add(typoOther);
        // Two strangers of one name born the same day in two desa of the kecamatan: consecutive serials, as Dukcapil
        // issues them — no typo ties them, so they are two people.
        var day = new DateOnly(1975, 5, 5);
        families[40].Persons.Add(NewPerson("Bambang Sutrisno", 1, day, 4, Nik.Compose("331401", day, 1, 5001)));
        families[41].Persons.Add(NewPerson("Bambang Sutrisno", 1, day, 4, Nik.Compose("331401", day, 1, 5002)));
        // Twins: one family, one birth date, consecutive NIK serials, different names — two people.
        var twins = new DateOnly(2012, 9, 9);
        var twinA = NewPerson("Hasan Basri", 1, twins, 4);
        var twinB = NewPerson("Husain Basri", 1, twins, 4);
        families[30].Persons.AddRange([twinA, twinB]);
        db.Families.AddRange(families);
        var program = new AssistanceProgram
        {
            Code = "PIP-T",
            Name = "PIP",
            OwnerKind = "pusat",
            OwnerName = "Kemendikbud",
            FundingSource = "APBN",
            TargetUnit = ProgramTerms.Person,
            BenefitKind = "tunai",
            Period = "tahun",
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Programs.Add(program);
        await db.SaveChangesAsync();
        // The duplicate got its own PIP enrollment: one person, two benefits.
        db.Enrollments.AddRange(
            new Enrollment { ProgramId = program.Id, FamilyId = families[22].Id, PersonId = typoOther.Id, Status = ProgramTerms.Enrolled, StartedOn = new DateOnly(2025, 1, 1), CreatedBy = "t", CreatedAt = now, UpdatedAt = now },
            new Enrollment { ProgramId = program.Id, FamilyId = families[20].Id, PersonId = typoKeep.Id, Status = ProgramTerms.Enrolled, StartedOn = new DateOnly(2025, 1, 1), CreatedBy = "t", CreatedAt = now, UpdatedAt = now },
            new Enrollment { ProgramId = program.Id, FamilyId = families[10].Id, PersonId = temporary.Id, Status = ProgramTerms.Enrolled, StartedOn = new DateOnly(2025, 1, 1), CreatedBy = "t", CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
        return new Planted(temporary.Id, real.Id, typoKeep.Id, typoOther.Id, twinA.Id, twinB.Id, program.Id);
    }

    private static bool Has(FindRegistryDuplicates.Outcome outcome, long x, long y) =>
        outcome.Pairs.Any(p => FindRegistryDuplicates.Ordered(p.PersonIdA, p.PersonIdB) == FindRegistryDuplicates.Ordered(x, y));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Finds_a_temporary_nik_beside_the_real_one_and_a_nik_typo_but_not_twins(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var planted = await SeedAsync(test.Database);

        var outcome = await new FindRegistryDuplicates(test.Database).RunAsync(new(AccessScope.Regency), CancellationToken.None);

        Assert.True(Has(outcome, planted.TemporaryId, planted.RealId), "temporary vs real NIK");
        Assert.True(Has(outcome, planted.TypoKeepId, planted.TypoOtherId), "NIK typo across families");
        Assert.False(Has(outcome, planted.TwinA, planted.TwinB), "twins are two people");
        Assert.DoesNotContain(outcome.Pairs, p => p.NamaA == "Bambang Sutrisno");
        Assert.True(outcome.Pairs.Count <= 4, $"{outcome.Pairs.Count} pairs proposed");
        Assert.Equal(outcome.Pairs.OrderByDescending(p => p.Score).Select(p => p.Score), outcome.Pairs.Select(p => p.Score));
        var typo = outcome.Pairs.Single(p => p.PersonIdA == planted.TypoKeepId || p.PersonIdB == planted.TypoKeepId);
        Assert.Equal("same region and birth date, serial one digit apart", typo.Fields["NIK"].Level);
        Assert.True(typo.Fields["TANGGAL_LAHIR"].Agrees);
        // The man in two KKs: his two families are listed as a family pair sharing one member.
        var families = Assert.Single(outcome.FamilyPairs);
        Assert.Equal(1, families.SharedMembers);
        Assert.Equal(FindRegistryDuplicates.Ordered(typo.PersonIdA, typo.PersonIdB), FindRegistryDuplicates.Ordered(families.Members[0].PersonIdA, families.Members[0].PersonIdB));
        Assert.NotEqual(families.NoKkA, families.NoKkB);

        // A village operator's scope sees only its village's persons.
        var village = await new FindRegistryDuplicates(test.Database).RunAsync(new(AccessScope.Within("33.14.01.2002")), CancellationToken.None);
        Assert.All(village.Pairs, p => Assert.Equal("33.14.01.2002", p.KodeDesaA));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_pair_decided_different_is_never_proposed_again(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var planted = await SeedAsync(test.Database);
        await using (var db = test.Database.CreateDb())
        {
            var decided = await new MarkDifferentPersons(db, _clock).RunAsync(new(planted.RealId, planted.TemporaryId, "reviewer", AccessScope.Regency), CancellationToken.None);
            Assert.Null(decided.Problem);
            Assert.Equal(DuplicateDecision.Different, decided.Decision!.Decision);
        }
        var outcome = await new FindRegistryDuplicates(test.Database).RunAsync(new(AccessScope.Regency), CancellationToken.None);
        Assert.False(Has(outcome, planted.TemporaryId, planted.RealId));
        Assert.True(Has(outcome, planted.TypoKeepId, planted.TypoOtherId));
        Assert.Equal(1, outcome.ExcludedByDecision);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Merging_keeps_the_real_nik_moves_enrollments_writes_history_and_can_be_undone(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var planted = await SeedAsync(test.Database);
        long mergeId;
        string realNik;
        await using (var db = test.Database.CreateDb())
        {
            realNik = (await db.Persons.SingleAsync(p => p.Id == planted.RealId)).Nik;
            // The reviewer keeps the record with the temporary number (the older one); the real NIK must win anyway.
            var merged = await new MergePersons(db, _clock).RunAsync(new(planted.TemporaryId, planted.RealId, "reviewer", AccessScope.Regency), CancellationToken.None);
            Assert.Null(merged.Problem);
            Assert.Contains("NIK", merged.ChangedFields);
            mergeId = merged.Merge!.Id;
        }
        await using (var db = test.Database.CreateDb())
        {
            var kept = await db.Persons.SingleAsync(p => p.Id == planted.TemporaryId);
            Assert.Equal(realNik, kept.Nik);
            Assert.False(kept.NikSementara);
            Assert.Equal("Pedagang", kept.Pekerjaan);
            Assert.False(await db.Persons.AnyAsync(p => p.Id == planted.RealId));
            // Written by the registry's one writer: history with source "gabung", the family's version raised.
            var history = await db.FamilyChanges.Where(c => c.PersonId == planted.TemporaryId || c.PersonId == planted.RealId).ToListAsync();
            Assert.Contains(history, c => c.Field == "DUPLIKAT_DIGABUNG" && c.PersonId == planted.RealId);
            Assert.Contains(history, c => c.Field == "NIK" && c.PersonId == planted.TemporaryId);
            Assert.All(history, c => Assert.Equal(ChangeSource.Merge, c.Source));
            Assert.All(history, c => Assert.NotNull(c.FamilyVersion));
            Assert.Equal(DuplicateDecision.Same, (await db.DuplicateDecisions.SingleAsync()).Decision);
        }
        await using (var db = test.Database.CreateDb())
        {
            var undone = await new MergePersons(db, _clock).UndoAsync(mergeId, "reviewer", AccessScope.Regency, CancellationToken.None);
            Assert.Null(undone.Problem);
        }
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(realNik, (await db.Persons.SingleAsync(p => p.Id == planted.RealId)).Nik);
            var kept = await db.Persons.SingleAsync(p => p.Id == planted.TemporaryId);
            Assert.True(kept.NikSementara);
            Assert.StartsWith("0", kept.Nik, StringComparison.Ordinal);
            Assert.Contains("BATAL_GABUNG", await db.FamilyChanges.Select(c => c.Field).ToListAsync());
            Assert.NotNull((await db.PersonMerges.SingleAsync()).UndoneAt);
            Assert.Empty(await db.DuplicateDecisions.ToListAsync());
            var again = await new MergePersons(db, _clock).UndoAsync(mergeId, "reviewer", AccessScope.Regency, CancellationToken.None);
            Assert.Equal("MERGE_SUDAH_DIBATALKAN", again.Problem!.Code);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Merging_persons_of_two_families_whose_life_status_differs_asks_the_reviewer(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var planted = await SeedAsync(test.Database);
        await using var db = test.Database.CreateDb();
        // One village recorded him as dead; the other family still lists him alive. Which is true is not guessed.
        var other = await db.Persons.SingleAsync(p => p.Id == planted.TypoOtherId);
        (other.StatusHidup, other.StatusTanggal) = (LifeStatus.Meninggal, new DateOnly(2025, 3, 1));
        await db.SaveChangesAsync();
        var refused = await new MergePersons(db, _clock).RunAsync(new(planted.TypoKeepId, planted.TypoOtherId, "reviewer", AccessScope.Regency), CancellationToken.None);
        Assert.Equal("MERGE_KONFLIK", refused.Problem!.Code);
        Assert.Equal([RegistryHistory.LifeStatusField], refused.Conflicts);
        Assert.True(await db.Persons.AnyAsync(p => p.Id == planted.TypoOtherId));
        Assert.Empty(await db.PersonMerges.ToListAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Merging_across_families_closes_the_second_benefit_and_asks_before_conflicting_data(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var planted = await SeedAsync(test.Database);
        await using (var db = test.Database.CreateDb())
        {
            // Make the two records disagree on sex: across families that is never guessed.
            var other = await db.Persons.SingleAsync(p => p.Id == planted.TypoOtherId);
            other.JenisKelamin = 2;
            await db.SaveChangesAsync();
            var refused = await new MergePersons(db, _clock).RunAsync(new(planted.TypoKeepId, planted.TypoOtherId, "reviewer", AccessScope.Regency), CancellationToken.None);
            Assert.Equal("MERGE_KONFLIK", refused.Problem!.Code);
            Assert.Equal(["JENIS_KELAMIN"], refused.Conflicts);
            Assert.True(await db.Persons.AnyAsync(p => p.Id == planted.TypoOtherId));

            var outside = await new MergePersons(db, _clock).RunAsync(new(planted.TypoKeepId, planted.TypoOtherId, "operator", AccessScope.Within("33.14.01.2002"), ConfirmConflicts: true), CancellationToken.None);
            Assert.Equal("MERGE_DI_LUAR_WILAYAH", outside.Problem!.Code);

            var confirmed = await new MergePersons(db, _clock).RunAsync(new(planted.TypoKeepId, planted.TypoOtherId, "reviewer", AccessScope.Regency, ConfirmConflicts: true), CancellationToken.None);
            Assert.Null(confirmed.Problem);
        }
        await using (var db = test.Database.CreateDb())
        {
            var enrollments = await db.Enrollments.Where(e => e.ProgramId == planted.ProgramId && e.PersonId == planted.TypoKeepId).ToListAsync();
            Assert.Equal(2, enrollments.Count);
            Assert.Single(enrollments, e => e.Status == ProgramTerms.Enrolled);
            Assert.Single(enrollments, e => e.Status == ProgramTerms.Exited && e.ExitReason == MergePersons.DuplicateReason);
            Assert.True(await db.EnrollmentEvents.AnyAsync(e => e.Reason == MergePersons.DuplicateReason));
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Imports;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Core.Tests.Data;

/// <summary>
/// The drift test of ARCHITECTURE §3: the hand-written SQL migrations and the EF model must agree. Migrate an empty
/// database and round-trip every entity through EF, on each provider.
/// </summary>
public sealed class MigrationDriftTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_entity_round_trips_on_the_migrated_schema(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var now = new DateTime(2026, 11, 23, 1, 2, 3, DateTimeKind.Utc);
        await using (var db = test.Database.CreateDb())
        {
            var family = new Family
            {
                NoKk = "3314010103150001",
                KodeDesa = "33.14.01.2001",
                StatusBangunan = 1,
                LuasLantai = 36.5,
                JenisLantai = 8,
                JenisDinding = 4,
                JenisAtap = 2,
                SumberAirMinum = 6,
                SumberPenerangan = 1,
                BahanBakarMasak = 10,
                FasilitasBab = 2,
                AsetEmas10g = true,
                Tabungan500rb = false,
                DesilNasional = 3,
                DesilNasionalTanggal = new DateOnly(2026, 1, 2),
                PengeluaranPerkapita = 400_000,
                Lintang = -7.4,
                Bujur = 111.0,
                RowHash = long.MinValue,
                CreatedAt = now,
                UpdatedAt = now,
            };
            family.Persons.Add(new Person
            {
                Nik = "3314010101800001",
                Nama = "Sukijo",
                NamaKunci = NameKey.For("Sukijo"),
                JenisKelamin = 1,
                TanggalLahir = new DateOnly(1980, 1, 1),
                HubunganKk = 1,
                StatusKawin = 2,
                Pendidikan = 3,
                Disabilitas = 0,
                Penghasilan = 900_000,
                Hamil = false,
                RowHash = long.MaxValue,
                CreatedAt = now,
                UpdatedAt = now,
            });
            db.Families.Add(family);
            await db.SaveChangesAsync();
            db.FamilyChanges.Add(new FamilyChange { FamilyId = family.Id, PersonId = family.Persons[0].Id, Field = "NAMA", OldValue = "a", NewValue = "b", ChangedAt = now, ChangedBy = "t", SourceFile = "f.csv" });
            db.ImportJobs.Add(new ImportJob { FileName = "f.csv", Status = ImportJob.Queued, CreatedBy = "t", CreatedAt = now, RowsTotal = 5 });
            db.Users.Add(new User { UserName = "u", DisplayName = "U", PasswordHash = "h", Role = Roles.Administrator, CreatedAt = now, LockedUntil = now });
            db.ApiClients.Add(new ApiClient { Name = "c", KeyHash = "k", Role = Roles.Auditor, CreatedAt = now });
            await db.SaveChangesAsync();
        }
        await using (var db = test.Database.CreateDb())
        {
            var family = await db.Families.Include(f => f.Persons).SingleAsync();
            Assert.Equal((36.5, true, false, new DateOnly(2026, 1, 2), long.MinValue), (family.LuasLantai, family.AsetEmas10g, family.Tabungan500rb, family.DesilNasionalTanggal, family.RowHash));
            Assert.Null(family.AsetKulkas);
            Assert.Equal(now, family.CreatedAt.ToUniversalTime());
            Assert.Equal(new DateOnly(1980, 1, 1), family.Persons.Single().TanggalLahir);
            Assert.Equal("NAMA", (await db.FamilyChanges.SingleAsync()).Field);
            Assert.Equal(5, (await db.ImportJobs.SingleAsync()).RowsTotal);
            Assert.Equal(now, (await db.Users.SingleAsync()).LockedUntil!.Value.ToUniversalTime());
            Assert.Equal("k", (await db.ApiClients.SingleAsync()).KeyHash);
            Assert.True(await db.Regions.CountAsync() > 90_000);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrating_twice_applies_nothing_the_second_time(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        Assert.Empty(await new Migrator(test.Database).MigrateAsync());
        Assert.NotEmpty(new Migrator(test.Database).Scripts());
    }
}

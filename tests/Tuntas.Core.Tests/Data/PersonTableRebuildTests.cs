using System.Globalization;
using Microsoft.Data.Sqlite;
using Tuntas.Data;
using Tuntas.Registry;

namespace Tuntas.Core.Tests.Data;

/// <summary>
/// SQLite migration 0044 rebuilds the persons table (the name skeleton stored, the redundant name-key index dropped)
/// with foreign keys off for that script. On a registry that already has persons, enrollments and merges pointing at
/// them, and an id counter past the largest id: every row, pointer and counter survives, the keys are enforced again
/// afterwards, and a database whose pointers were already broken is refused with nothing changed.
/// </summary>
public sealed class PersonTableRebuildTests : IDisposable
{
    private const int VersionBefore = 43;
    private readonly string _file = Path.Combine(Path.GetTempPath(), "tuntas-rebuild-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly TuntasDatabase _database;

    public PersonTableRebuildTests()
    {
        _database = new TuntasDatabase(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = _file,
            ForeignKeys = true,
            Pooling = false,
        }.ToString());
    }

    [Fact]
    public async Task The_rebuild_keeps_rows_pointers_and_the_id_counter_and_enforces_keys_again()
    {
        await new Migrator(_database).MigrateAsync(VersionBefore);
        await SeedAsync(brokenPointer: false);

        var applied = await new Migrator(_database).MigrateAsync();

        Assert.Contains("0044_person_name_skeleton_stored", applied);
        await using var connection = await _database.OpenConnectionAsync(CancellationToken.None);
        Assert.Contains("STORED", await ScalarAsync(connection, "SELECT sql FROM sqlite_master WHERE name = 'persons'"));
        Assert.Equal("0", await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_persons_nama_kunci'"));
        Assert.Equal("7", await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons' AND sql IS NOT NULL"));
        var skeleton = NameKey.Skeleton(NameKey.For("Sukijo Wardoyo"));
        Assert.Equal($"1|3314010101800001|{skeleton}|{NameKey.SkeletonEnd(skeleton)}",
            await ScalarAsync(connection, "SELECT id || '|' || nik || '|' || nama_kerangka || '|' || nama_kerangka_akhir FROM persons"));
        // The counter stayed at 5 (persons 2 to 5 were deleted): the next person gets 6, not 2.
        Assert.Equal("5", await ScalarAsync(connection, "SELECT seq FROM sqlite_sequence WHERE name = 'persons'"));
        Assert.Equal("0", await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'persons_new'"));
        Assert.Equal("persons", await ScalarAsync(connection, "SELECT \"table\" FROM pragma_foreign_key_list('enrollments') WHERE \"from\" = 'person_id'"));
        Assert.Equal("1|1", await ScalarAsync(connection, "SELECT (SELECT person_id FROM enrollments) || '|' || (SELECT kept_person_id FROM person_merges)"));

        // Keys are enforced again on a new connection: the enrolled person cannot be deleted.
        var refused = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(connection, "DELETE FROM persons WHERE id = 1"));
        Assert.Contains("FOREIGN KEY", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_with_a_broken_pointer_is_refused_and_left_as_it_was()
    {
        await new Migrator(_database).MigrateAsync(VersionBefore);
        await SeedAsync(brokenPointer: true);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => new Migrator(_database).MigrateAsync());

        Assert.Contains("enrollments", failure.Message, StringComparison.Ordinal);
        await using var connection = await _database.OpenConnectionAsync(CancellationToken.None);
        Assert.Equal(VersionBefore.ToString(CultureInfo.InvariantCulture), await ScalarAsync(connection, "SELECT MAX(version) FROM schema_migrations"));
        Assert.Contains("VIRTUAL", await ScalarAsync(connection, "SELECT sql FROM sqlite_master WHERE name = 'persons'"));
        Assert.Equal("1", await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_persons_nama_kunci'"));
        Assert.Equal("1", await ScalarAsync(connection, "SELECT COUNT(*) FROM persons"));
        Assert.Equal("1", await ScalarAsync(connection, "PRAGMA foreign_keys"));
    }

    /// <summary>One family, persons 1 to 5 of which 2 to 5 are deleted again, an enrollment and a merge pointing at
    /// person 1, and optionally an enrollment pointing at a person that does not exist (written with keys off).</summary>
    private async Task SeedAsync(bool brokenPointer)
    {
        await using var connection = await _database.OpenConnectionAsync(CancellationToken.None);
        const string now = "2026-12-04 10:00:00";
        await ScalarAsync(connection, $"""
            INSERT INTO regions (code, name, level, parent_code) VALUES ('33.14.01.2001', 'Desa Uji', 'desa', NULL);
            INSERT INTO families (id, no_kk, kode_desa, row_hash, created_at, updated_at)
                VALUES (1, '3314010103150001', '33.14.01.2001', 0, '{now}', '{now}');
            WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 5)
            INSERT INTO persons (id, family_id, nik, nama, nama_kunci, jenis_kelamin, tanggal_lahir, hubungan_kk, status_kawin,
                pendidikan, disabilitas, row_hash, created_at, updated_at)
            SELECT value, 1, '33140101018000' || printf('%02d', value), 'Sukijo Wardoyo', '{NameKey.For("Sukijo Wardoyo")}', 1, '1980-01-01', 1, 2,
                3, 0, 0, '{now}', '{now}' FROM n;
            DELETE FROM persons WHERE id > 1;
            INSERT INTO programs (id, code, name, owner_kind, owner_name, funding_source, target_unit, benefit_kind, period, created_at, updated_at)
                VALUES (1, 'PKH', 'PKH', 'pusat', 'Kemensos', 'APBN', 'keluarga', 'tunai', 'triwulan', '{now}', '{now}');
            INSERT INTO enrollments (program_id, family_id, person_id, status, started_on, created_by, created_at, updated_at)
                VALUES (1, 1, 1, 'aktif', '2026-01-01', 'uji', '{now}', '{now}');
            INSERT INTO person_merges (kept_person_id, kept_family_id, removed_person_id, removed_family_id, removed_nik, removed_person,
                kept_before, enrollments, merged_by, merged_at)
                VALUES (1, 1, 2, 1, '3314010101800002', 'x', 'x', '[]', 'uji', '{now}');
            """);
        if (brokenPointer)
        {
            await ScalarAsync(connection, $"""
                PRAGMA foreign_keys = OFF;
                INSERT INTO enrollments (program_id, family_id, person_id, status, started_on, created_by, created_at, updated_at)
                    VALUES (1, 1, 99, 'aktif', '2026-01-01', 'uji', '{now}', '{now}');
                PRAGMA foreign_keys = ON;
                """);
        }
    }

    private static async Task<string> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }
    }
}

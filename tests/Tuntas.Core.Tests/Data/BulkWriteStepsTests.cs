using System.Data.Common;
using System.Globalization;
using Tuntas.Data;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Data;

/// <summary>The steps around a bulk write that each database takes its own way (Data/BulkWriteSteps), on both.</summary>
public sealed class BulkWriteStepsTests
{
    private static readonly BulkColumn<(string Code, string Name, string Level, string? Parent)>[] _regionColumns =
    [
        new("code", ColumnKind.Text, r => r.Code),
        new("name", ColumnKind.Text, r => r.Name),
        new("level", ColumnKind.Text, r => r.Level),
        new("parent_code", ColumnKind.Text, r => r.Parent),
    ];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_upsert_adds_new_keys_and_replaces_the_other_columns_of_stored_ones(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        var database = test.Database;
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        async Task UpsertAsync(params (string, string, string, string?)[] rows)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await database.UpsertAsync(connection, transaction, "regions", "code", _regionColumns, rows, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await UpsertAsync(("33", "JAWA TENGAH", "provinsi", null), ("33.14", "SRAGEN", "kabupaten", "33"));
        await UpsertAsync(("33.14", "Sragen", "kabupaten", "33"), ("33.14.01", "Kalijambe", "kecamatan", "33.14"));

        var stored = await ReadAsync(connection, "SELECT code, name, COALESCE(parent_code, '-') FROM regions ORDER BY code");
        Assert.Equal(["33 JAWA TENGAH -", "33.14 Sragen 33", "33.14.01 Kalijambe 33.14"], stored);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rows_written_with_their_own_ids_leave_the_next_id_free(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = test.Database;
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO upk (id, kode, name, kode_desa) VALUES (41, 'UPK-A', 'UPK A', '33.14.01.2001')");
            await database.MoveIdentitiesPastAsync(connection, transaction, ["upk"], CancellationToken.None);
            await database.AnalyzeAsync(connection, transaction, ["upk"], CancellationToken.None);
            await transaction.CommitAsync();
        }
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO upk (kode, name, kode_desa) VALUES ('UPK-B', 'UPK B', '33.14.01.2001')");
            await transaction.CommitAsync();
        }

        Assert.Equal(["41 UPK-A", "42 UPK-B"], await ReadAsync(connection, "SELECT id, kode FROM upk ORDER BY id"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Key_column_statistics_cover_the_columns_of_indexes_and_foreign_keys_and_no_other(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = test.Database;
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO upk (id, kode, name, kode_desa) VALUES (1, 'UPK-A', 'UPK A', '33.14.01.2001')");
            await ExecuteAsync(connection, transaction, "INSERT INTO ksm (id, upk_id, kode, name, kode_desa, jenis) VALUES (1, 1, 'KSM-1', 'KSM 1', '33.14.01.2001', 'ekonomi')");
            if (!database.IsSqlite)
            {
                // Only the ANALYZE below may gather statistics, not autovacuum in between.
                await ExecuteAsync(connection, transaction, "ALTER TABLE ksm_members SET (autovacuum_enabled = false)");
            }
            // More distinct NIKs than the key columns' sample describes in its histogram (a target of 25: 26 bounds).
            await ExecuteAsync(connection, transaction, "INSERT INTO ksm_members (ksm_id, nik, name, role) VALUES " + string.Join(", ",
                Enumerable.Range(0, 200).Select(i => string.Create(CultureInfo.InvariantCulture, $"(1, '3314010000000{i:000}', 'Anggota {i}', 'anggota')"))));
            await transaction.CommitAsync();
        }

        // After a commit, as the import runs it: each table on a connection of its own.
        await database.AnalyzeAsync(connection, null, ["ksm_members", "ksm"], CancellationToken.None, keyColumnsOnly: true);

        if (database.IsSqlite)
        {
            return; // nothing to gather: SQLite's planner needs no statistics for indexed lookups
        }
        // ksm_members: the primary key (id), ux_ksm_members (ksm_id, nik), ix_ksm_members_person (person_id) and the key
        // to ksm (ksm_id); not its name, role or dates. ksm: its own indexes and keys, and its id, which others refer to.
        var analysed = await ReadAsync(connection, "SELECT attname FROM pg_stats WHERE schemaname = 'public' AND tablename = 'ksm_members' ORDER BY attname");
        Assert.Equal(["id", "ksm_id", "nik", "person_id"], analysed);
        // The smaller sample of BulkWriteSteps.KeyColumnStatisticsTarget, and the session's own target left as it was.
        var bounds = await ReadAsync(connection, "SELECT array_length(histogram_bounds::text::text[], 1) FROM pg_stats WHERE tablename = 'ksm_members' AND attname = 'nik'");
        Assert.Equal([(BulkWriteSteps.KeyColumnStatisticsTarget + 1).ToString(CultureInfo.InvariantCulture)], bounds);
        Assert.Equal(["100"], await ReadAsync(connection, "SHOW default_statistics_target"));
        var ksm = await ReadAsync(connection, "SELECT attname FROM pg_stats WHERE schemaname = 'public' AND tablename = 'ksm' ORDER BY attname");
        Assert.Contains("id", ksm);
        Assert.DoesNotContain("name", ksm);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Emptied_tables_keep_their_foreign_keys_once_re_created(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = test.Database;
        ForeignKey[] keys = [new("ksm_members", "ksm_members_ksm_id_fkey", "FOREIGN KEY (ksm_id) REFERENCES ksm (id)")];
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO upk (id, kode, name, kode_desa) VALUES (1, 'UPK-A', 'UPK A', '33.14.01.2001')");
            await ExecuteAsync(connection, transaction, "INSERT INTO ksm (id, upk_id, kode, name, kode_desa, jenis) VALUES (1, 1, 'KSM-1', 'KSM 1', '33.14.01.2001', 'ekonomi')");
            // Children first, every table that refers to an emptied one included (as the loan book empties them).
            await database.EmptyTablesAsync(connection, transaction,
                ["upk_repayments", "upk_installments", "upk_loan_shares", "upk_loans", "ksm_members", "ksm", "upk_operations", "upk_capital"], CancellationToken.None);
            if (await database.DropForeignKeysAsync(connection, transaction, keys, CancellationToken.None))
            {
                await BulkWriteSteps.AddForeignKeysAsync(connection, transaction, keys, CancellationToken.None);
            }
            await transaction.CommitAsync();
        }

        Assert.Empty(await ReadAsync(connection, "SELECT id FROM ksm"));
        Assert.Equal(["1 UPK-A"], await ReadAsync(connection, "SELECT id, kode FROM upk"));
        await using var orphan = await connection.BeginTransactionAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(connection, orphan,
            "INSERT INTO ksm_members (ksm_id, nik, name, role) VALUES (99, '3314010101800001', 'Sukijo', 'anggota')"));
    }

    private sealed record Kinds(long? L, int? I, double? D, bool? B, string? T, DateOnly? Day, DateTime? At);

    private static readonly BulkColumn<Kinds>[] _kindColumns =
    [
        new("l", ColumnKind.Long, k => k.L),
        new("i", ColumnKind.Int, k => k.I),
        new("d", ColumnKind.Double, k => k.D),
        new("b", ColumnKind.Bool, k => k.B),
        new("t", ColumnKind.Text, k => k.T),
        new("day", ColumnKind.Date, k => k.Day),
        new("at", ColumnKind.Timestamp, k => k.At),
    ];

    private const string KindsTable = "CREATE TABLE bulk_kinds (l bigint, i integer, d double precision, b boolean, t text, day date, at timestamptz)";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bulk_insert_stores_every_kind_of_value_as_given(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        var database = test.Database;
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        // Longer than the PostgreSQL writer's buffer, so the buffer is sent and grown mid-row.
        var longText = string.Concat(Enumerable.Repeat("Ngatijo Sukarti ", 6000));
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, transaction, KindsTable);
            await using (var insert = await BulkInsert<Kinds>.StartAsync(database, connection, transaction, "bulk_kinds", _kindColumns, CancellationToken.None))
            {
                await insert.AddAsync(new(9_000_000_000_123, -7, 0.1, true, "Sukijo Ngatijo – é ✓", new DateOnly(2026, 12, 4),
                    new DateTime(2026, 12, 4, 16, 45, 1, DateTimeKind.Utc).AddTicks(1_234_560)), CancellationToken.None);
                await insert.AddAsync(new(2, int.MinValue, -1.5e300, false, longText, new DateOnly(1955, 3, 1), null), CancellationToken.None);
                await insert.AddAsync(new(3, null, null, null, null, null, null), CancellationToken.None);
                await insert.CompleteAsync(CancellationToken.None);
            }
            await transaction.CommitAsync();
        }

        var stored = await ReadAsync(connection,
            "SELECT l, COALESCE(CAST(i AS TEXT), '-'), COALESCE(CAST(d AS TEXT), '-'), COALESCE(CAST(b AS TEXT), '-'), COALESCE(length(t), -1), "
            + "COALESCE(substr(t, 1, 20), '-'), COALESCE(CAST(day AS TEXT), '-') FROM bulk_kinds ORDER BY l");
        var yes = database.IsSqlite ? "1" : "true";
        var no = database.IsSqlite ? "0" : "false";
        Assert.Equal([
            $"2 -2147483648 -1.5e+300 {no} {longText.Length} Ngatijo Sukarti Ngat 1955-03-01",
            "3 - - - -1 - -",
            $"9000000000123 -7 0.1 {yes} 20 Sukijo Ngatijo – é ✓ 2026-12-04",
        ], stored);
        if (!database.IsSqlite)
        {
            Assert.Equal(["2026-12-04 16:45:01.123456", "-"],
                await ReadAsync(connection, "SELECT COALESCE(CAST(at AT TIME ZONE 'UTC' AS TEXT), '-') FROM bulk_kinds WHERE l <> 3 ORDER BY l DESC"));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bulk_insert_given_up_halfway_writes_nothing_and_the_connection_goes_on(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        var database = test.Database;
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, transaction, KindsTable);
            await transaction.CommitAsync();
        }
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var insert = await BulkInsert<Kinds>.StartAsync(database, connection, transaction, "bulk_kinds", _kindColumns, CancellationToken.None))
            {
                for (var i = 0; i < 5000; i++)
                {
                    await insert.AddAsync(new(i, i, i, true, "Sukijo", new DateOnly(2026, 12, 4), DateTime.UtcNow), CancellationToken.None);
                }
                // Disposed without CompleteAsync, as when the import fails mid-write.
            }
            await transaction.RollbackAsync();
        }

        Assert.Equal(["0"], await ReadAsync(connection, "SELECT COUNT(*) FROM bulk_kinds"));
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }
        return rows;
    }
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Imports;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Imports;

/// <summary>
/// A first load into an empty registry is written while pass 1 validates it (docs/registry.md, "Pass 1"): the same outcome as validating
/// first and writing after — all of a valid file, nothing of a file with an error, even one found late.
/// </summary>
public sealed class FirstLoadTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));

    private static Task<ImportReport> ImportAsync(TestDatabase test, string path, bool dryRun = false) =>
        new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(path, Path.GetFileName(path), dryRun, "operator"), null, CancellationToken.None);

    /// <summary>Enough families for several of the writer's batches (512 rows) before the last rows.</summary>
    private static ImportFileBuilder ManyFamilies(int count, string village = "33.14.03.2001")
    {
        var builder = new ImportFileBuilder();
        for (var i = 100; i < 100 + count; i++)
        {
            builder.Family(i, children: 1, village: village);
        }
        return builder;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_first_load_with_an_error_in_its_last_row_writes_nothing_and_keeps_the_indexes(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = ManyFamilies(1_000);
        // The last row repeats the first row's NIK: found after about 3,000 rows went to the writer.
        file.Rows[^1]["NIK"] = file.Rows[0]["NIK"];

        var report = await ImportAsync(test, file.WriteCsv());

        Assert.False(report.Committed);
        Assert.Equal(["NIK_DUPLICATE"], report.Errors.Select(e => e.Code).Distinct());
        await using var db = test.Database.CreateDb();
        Assert.Equal(0, await db.Families.CountAsync());
        Assert.Equal(0, await db.Persons.CountAsync());
        Assert.Equal(0, await db.FamilyChanges.CountAsync());
        var sql = test.Database.IsSqlite
            ? "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name IN ('ux_persons_nik', 'ix_persons_nama_kunci_tanggal_lahir', 'ix_persons_family_id', 'ix_families_kode_desa')"
            : "SELECT COUNT(*)::int AS \"Value\" FROM pg_indexes WHERE indexname IN ('ux_persons_nik', 'ix_persons_nama_kunci_tanggal_lahir', 'ix_persons_family_id', 'ix_families_kode_desa')";
        Assert.Equal(4, await db.Database.SqlQueryRaw<int>(sql).SingleAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_first_load_gives_back_every_index_and_foreign_key_of_the_registry_tables(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var before = await SchemaAsync(test);

        var report = await ImportAsync(test, ManyFamilies(300).WriteCsv());

        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Message)));
        // The duplicate check's indexes (migration 0029) were once left out of a hand-kept list of what to rebuild.
        Assert.Contains(before, d => d.StartsWith("ix_persons_nama_kunci_tanggal_lahir ", StringComparison.Ordinal));
        // PostgreSQL's name-skeleton trigger (migration 0045) is dropped for the load and must come back with the rest.
        Assert.Equal(!test.Database.IsSqlite, before.Any(d => d.StartsWith("persons_name_skeleton ", StringComparison.Ordinal)));
        Assert.Equal(before, await SchemaAsync(test));
    }

    /// <summary>Name and definition of every index and trigger (and, on PostgreSQL, foreign key) of the tables a first load fills.</summary>
    private static async Task<List<string>> SchemaAsync(TestDatabase test)
    {
        await using var db = test.Database.CreateDb();
        var sql = test.Database.IsSqlite
            ? "SELECT name || ' ' || sql AS \"Value\" FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ('families', 'persons', 'family_changes')"
            : """
              SELECT indexname || ' ' || indexdef AS "Value" FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('families', 'persons', 'family_changes')
              UNION ALL
              SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('families'::regclass, 'persons'::regclass, 'family_changes'::regclass)
              UNION ALL
              SELECT tgname || ' ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN ('families'::regclass, 'persons'::regclass, 'family_changes'::regclass)
              """;
        return [.. (await db.Database.SqlQueryRaw<string>(sql).ToListAsync()).Order(StringComparer.Ordinal)];
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_first_load_reads_a_second_regency_s_villages_while_it_writes(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        // The villages of Trenggalek (35.03) are read when the file first names them, after rows of Sragen were written.
        var file = ManyFamilies(300).Family(5_000, children: 2, village: "35.03.01.2001");

        var report = await ImportAsync(test, file.WriteCsv());

        Assert.True(report.Committed, string.Join("\n", report.Errors.Select(e => e.Message)));
        Assert.Equal((301, 904), (report.Families.Added, report.Persons.Added));
        // Not refused, but named once: this installation serves Sragen (33.14), so its pages will not show them.
        var outside = Assert.Single(report.Warnings, w => w.Code == "VILLAGE_OUTSIDE_REGENCY");
        Assert.Equal(("35.03.01.2001", "KODE_DESA"), (outside.Value, outside.Column));
        Assert.StartsWith("1 keluarga baru di desa 35.03.01.2001, di luar kabupaten 33.14", outside.Message, StringComparison.Ordinal);
        await using var db = test.Database.CreateDb();
        Assert.Equal(904, await db.Persons.CountAsync());
        Assert.Equal(301, await db.FamilyChanges.CountAsync(c => c.Field == "KELUARGA_BARU"));
        var trenggalek = await db.Families.Include(f => f.Persons).SingleAsync(f => f.KodeDesa == "35.03.01.2001");
        Assert.Equal(4, trenggalek.Persons.Count);
        // Name keys were computed by pass 1 for the written rows, as the writing pass did.
        Assert.All(trenggalek.Persons, p => Assert.False(string.IsNullOrEmpty(p.NamaKunci)));
        // Ids follow the file's order, families and persons alike.
        var first = await db.Persons.OrderBy(p => p.Id).FirstAsync();
        Assert.Equal(file.Rows[0]["NIK"], first.Nik);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_file_after_a_first_load_is_unchanged_and_a_village_code_wrong_late_is_refused(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = ManyFamilies(200);
        var path = file.WriteCsv();
        Assert.True((await ImportAsync(test, path)).Committed);

        var again = await ImportAsync(test, path);
        Assert.Equal((0, 200), (again.Families.Added, again.Families.Unchanged));
        Assert.Equal((0, 600), (again.Persons.Added, again.Persons.Unchanged));

        await using var empty = await TestDatabase.CreateAsync(provider);
        file.Rows[^1]["KODE_DESA"] = "33.14.03.2999";
        var refused = await ImportAsync(empty, file.WriteCsv());
        Assert.False(refused.Committed);
        Assert.Contains(refused.Errors, e => e.Code is "KODE_DESA_UNKNOWN" or "FAMILY_CONFLICT");
        await using var db = empty.Database.CreateDb();
        Assert.Equal(0, await db.Persons.CountAsync());
    }
}

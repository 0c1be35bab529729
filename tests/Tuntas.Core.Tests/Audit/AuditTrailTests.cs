using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Audit;

public sealed class AuditTrailTests
{
    /// <summary>The installation's key; a thief of the database alone does not have it.</summary>
    private static readonly AuditKey _key = AuditKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static async Task<TestDatabase> TrailAsync(string provider, int entries)
    {
        var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        var append = new AppendAudit(test.Database, TimeProvider.System, _key);
        for (var i = 0; i < entries; i++)
        {
            await append.RunAsync(new("operator1", AuditActions.ViewFamily, "keluarga", (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ActorRole: "operator-desa", Origin: "127.0.0.1"), CancellationToken.None);
        }
        return test;
    }

    private static async Task<VerifyAudit.Outcome> VerifyAsync(TestDatabase test, string? head = null, string? checkpointFile = null)
    {
        await using var db = test.Database.CreateDb();
        return await new VerifyAudit(db, _key, checkpointFile).RunAsync(new(head), CancellationToken.None);
    }

    private static async Task<AuditCheckpoint> CheckpointAsync(TestDatabase test, string file)
    {
        await using var db = test.Database.CreateDb();
        return (await new WriteCheckpoint(db, _key, TimeProvider.System, file).RunAsync(CancellationToken.None)).Checkpoint!;
    }

    /// <summary>What an attacker with write access to the database but not the key does: delete, then rebuild the chain.</summary>
    private static async Task RecomputeWithoutKeyAsync(TestDatabase test)
    {
        await using var db = test.Database.CreateDb();
        var previous = AuditEntry.Genesis;
        var id = 0L;
        var stolen = AuditKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        foreach (var entry in await db.AuditLog.OrderBy(e => e.Id).ToListAsync())
        {
            db.AuditLog.Remove(entry);
            await db.SaveChangesAsync();
            entry.Id = ++id;
            entry.PrevHash = previous;
            entry.KeyId = null;
            entry.Hash = entry.ComputeHash(stolen);
            previous = entry.Hash;
            db.AuditLog.Add(entry);
            await db.SaveChangesAsync();
        }
    }

    private static async Task ExecuteAsync(TestDatabase test, string sql)
    {
        await using var db = test.Database.CreateDb();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_untouched_chain_verifies_and_reports_its_head(string provider)
    {
        await using var test = await TrailAsync(provider, 5);
        var outcome = await VerifyAsync(test);
        Assert.True(outcome.Intact, string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
        Assert.Equal(5, outcome.Entries);
        Assert.True((await VerifyAsync(test, outcome.HeadHash)).Intact);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_edited_entry_is_reported(string provider)
    {
        await using var test = await TrailAsync(provider, 5);
        await ExecuteAsync(test, "UPDATE audit_log SET subject_id = '999' WHERE id = 3");
        var problem = Assert.Single((await VerifyAsync(test)).Problems);
        Assert.Equal((3L, "diubah"), (problem.Id, problem.Kind));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_deleted_entry_is_reported_and_a_truncated_tail_is_caught_by_the_recorded_head(string provider)
    {
        await using var test = await TrailAsync(provider, 5);
        var head = (await VerifyAsync(test)).HeadHash;
        await ExecuteAsync(test, "DELETE FROM audit_log WHERE id = 2");
        var problem = Assert.Single((await VerifyAsync(test)).Problems);
        Assert.Equal((3L, "hilang"), (problem.Id, problem.Kind));

        await ExecuteAsync(test, "DELETE FROM audit_log WHERE id >= 4");
        Assert.Contains((await VerifyAsync(test, head)).Problems, p => p.Kind == "terpotong");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_appends_keep_one_chain(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        var append = new AppendAudit(test.Database, TimeProvider.System, _key);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => append.RunAsync(new("u" + i, AuditActions.Export), CancellationToken.None))));
        var outcome = await VerifyAsync(test);
        Assert.True(outcome.Intact, string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
        Assert.Equal(20, outcome.Entries);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_nik_digest_is_stable_keyed_and_never_the_nik(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        var text = new AuditText(test.Database);
        var digest = await text.NikDigestAsync("3314010101800001", CancellationToken.None);
        Assert.Equal(digest, await new AuditText(test.Database).NikDigestAsync("3314010101800001", CancellationToken.None));
        Assert.DoesNotContain("3314010101800001", digest, StringComparison.Ordinal);
        await using var other = await TestDatabase.CreateAsync(provider, loadRegions: false);
        Assert.NotEqual(digest, await new AuditText(other.Database).NikDigestAsync("3314010101800001", CancellationToken.None));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Deleting_entries_and_recomputing_the_hashes_without_the_key_is_detected(string provider)
    {
        await using var test = await TrailAsync(provider, 40);
        await ExecuteAsync(test, "DELETE FROM audit_log WHERE id BETWEEN 5 AND 33");
        await RecomputeWithoutKeyAsync(test);
        var outcome = await VerifyAsync(test);
        Assert.False(outcome.Intact);
        Assert.Equal(11, outcome.Entries);
        Assert.Contains(outcome.Problems, p => p.Kind is "diubah" or "tanpa-kunci");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_signed_checkpoint_catches_a_truncated_tail_and_a_forged_checkpoint(string provider)
    {
        await using var test = await TrailAsync(provider, 10);
        var file = Path.Combine(Path.GetTempPath(), "tuntas-checkpoints-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            var checkpoint = await CheckpointAsync(test, file);
            Assert.Equal(10, checkpoint.EntryId);
            var intact = await VerifyAsync(test, checkpointFile: file);
            Assert.True(intact.Intact, string.Join("; ", intact.Problems.Select(p => p.MessageEn)));
            Assert.Equal(1, intact.Checkpoints);

            // The newest entries removed, and the database's own checkpoints with them: the file outside still knows.
            await ExecuteAsync(test, "DELETE FROM audit_log WHERE id >= 8");
            await ExecuteAsync(test, "DELETE FROM audit_checkpoints");
            Assert.Contains((await VerifyAsync(test, checkpointFile: file)).Problems, p => p.Kind == "terpotong" && p.Id == 10);

            // A checkpoint written without the key is refused.
            await File.AppendAllTextAsync(file, $"2026-12-01T00:00:00Z\t7\t{new string('0', 64)}\t{_key.KeyId}\t{new string('a', 64)}\n");
            Assert.Contains((await VerifyAsync(test, checkpointFile: file)).Problems, p => p.Kind == "titik-palsu");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_batch_is_appended_in_order_in_one_chain(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        await using var writer = new AuditWriter(test.Database, TimeProvider.System, _key);
        var written = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => writer.AppendAsync(new("u" + i, AuditActions.ViewFamily, "keluarga", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        Assert.Equal(300, written.Select(e => e.Id).Distinct().Count());
        var outcome = await VerifyAsync(test);
        Assert.True(outcome.Intact, string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
        Assert.Equal(300, outcome.Entries);
    }
}

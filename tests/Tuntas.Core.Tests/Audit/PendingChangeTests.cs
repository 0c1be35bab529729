using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Audit;

/// <summary>
/// A change made under a web request's name commits the record of it in its own transaction, so a process killed before
/// the chained entry is written leaves a record that is chained later — never a change without its audit entry.
/// </summary>
public sealed class PendingChangeTests
{
    private static readonly AuditKey _key = AuditKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static RequestChange Request(string route) => new(new AppendAudit.Input("operator1", AuditActions.Change, "rute", route,
        "POST " + route, "operator-desa", "10.0.0.7"));

    private static async Task<List<PendingChange>> PendingAsync(TestDatabase test)
    {
        await using var db = test.Database.CreateDb();
        return await db.Set<PendingChange>().AsNoTracking().OrderBy(p => p.Id).ToListAsync();
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_change_commits_its_record_with_it_and_a_rolled_back_one_leaves_none(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);

        var saved = Request("/simpan");
        using (RequestChange.Begin(saved))
        {
            // A lone SaveChanges, which EF may run without a transaction of its own.
            await using var db = test.Database.CreateDb();
            db.Set<InstallSecret>().Add(new InstallSecret { Name = "uji-1", Value = "a" });
            await db.SaveChangesAsync();
        }
        var rolledBack = Request("/batal");
        using (RequestChange.Begin(rolledBack))
        {
            await using var db = test.Database.CreateDb();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Set<InstallSecret>().Add(new InstallSecret { Name = "uji-2", Value = "b" });
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        var committed = Request("/transaksi");
        using (RequestChange.Begin(committed))
        {
            // Two saves in one explicit transaction: one record, written just before the commit.
            await using var db = test.Database.CreateDb();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Set<InstallSecret>().Add(new InstallSecret { Name = "uji-3", Value = "c" });
            await db.SaveChangesAsync();
            db.Set<InstallSecret>().Add(new InstallSecret { Name = "uji-4", Value = "d" });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        await using (var db = test.Database.CreateDb())
        {
            // Outside a request nothing is recorded: the CLI and background jobs write their own entries.
            db.Set<InstallSecret>().Add(new InstallSecret { Name = "uji-5", Value = "e" });
            await db.SaveChangesAsync();
        }

        var pending = await PendingAsync(test);
        Assert.Equal([saved.RequestId, committed.RequestId], pending.Select(p => p.RequestId));
        Assert.True(saved.Recorded);
        Assert.False(rolledBack.Recorded);
        Assert.Equal(("operator1", "operator-desa", "10.0.0.7", "/transaksi"), (pending[1].Actor, pending[1].ActorRole, pending[1].Origin, pending[1].SubjectId));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_request_entry_settles_the_record_and_a_killed_requests_record_is_chained_later(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        var answered = Request("/dijawab");
        var killed = Request("/terputus");
        foreach (var (change, name) in new[] { (answered, "uji-a"), (killed, "uji-b") })
        {
            using (RequestChange.Begin(change))
            {
                await using var db = test.Database.CreateDb();
                db.Set<InstallSecret>().Add(new InstallSecret { Name = name, Value = "x" });
                await db.SaveChangesAsync();
            }
        }
        // The answered request writes its entry (the web app's audit middleware does this before the answer leaves).
        await new AppendAudit(test.Database, TimeProvider.System, _key).RunAsync(answered.Entry with { RequestId = answered.RequestId }, CancellationToken.None);
        Assert.Equal([killed.RequestId], (await PendingAsync(test)).Select(p => p.RequestId));

        // The other process died before its entry: the next start chains the record, once.
        await using (var db = test.Database.CreateDb())
        {
            var recover = new RecoverPendingChanges(db, test.Database, _key, TimeProvider.System);
            Assert.Equal(0, (await recover.RunAsync(new(TimeSpan.FromMinutes(2)), CancellationToken.None)).Recovered);
            Assert.Equal(1, (await recover.RunAsync(new(TimeSpan.Zero), CancellationToken.None)).Recovered);
            Assert.Equal(0, (await recover.RunAsync(new(TimeSpan.Zero), CancellationToken.None)).Recovered);
        }
        Assert.Empty(await PendingAsync(test));
        await using (var db = test.Database.CreateDb())
        {
            var entries = await db.AuditLog.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
            Assert.Equal(["/dijawab", "/terputus"], entries.Select(e => e.SubjectId));
            Assert.All(entries, e => Assert.Equal(("operator1", AuditActions.Change), (e.Actor, e.Action)));
            Assert.Contains("recorded after the process stopped", entries[1].Detail);
            var verified = await new VerifyAudit(db, _key, null).RunAsync(new(null), CancellationToken.None);
            Assert.True(verified.Intact);
        }
    }
}

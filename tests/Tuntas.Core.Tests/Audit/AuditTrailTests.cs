using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Audit;

public sealed class AuditTrailTests
{
    private static async Task<TestDatabase> TrailAsync(string provider, int entries)
    {
        var test = await TestDatabase.CreateAsync(provider, loadRegions: false);
        var append = new AppendAudit(test.Database, TimeProvider.System);
        for (var i = 0; i < entries; i++)
        {
            await append.RunAsync(new("operator1", AuditActions.ViewFamily, "keluarga", (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ActorRole: "operator-desa", Origin: "127.0.0.1"), CancellationToken.None);
        }
        return test;
    }

    private static async Task<VerifyAudit.Outcome> VerifyAsync(TestDatabase test, string? head = null)
    {
        await using var db = test.Database.CreateDb();
        return await new VerifyAudit(db).RunAsync(new(head), CancellationToken.None);
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
        var append = new AppendAudit(test.Database, TimeProvider.System);
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
}

using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

/// <summary><c>tuntas users device-token …</c>: a token for ODK Collect, printed once, stored hashed, revocable.</summary>
public sealed class DeviceTokenCommandTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_device_token_is_printed_once_stored_hashed_listed_and_revoked_from_the_cli(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "relawan.siti", "--role", "relawan")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "auditor.a", "--role", "auditor")).ExitCode);

        var created = await CliRunner.RunAsync(test.Database, "users", "device-token", "relawan.siti", "--device", "HP Siti");
        Assert.Equal(0, created.ExitCode);
        var secret = created.Out.Trim();
        Assert.StartsWith("tnd_", secret, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAsync(test.Database, "users", "device-token", "auditor.a")).ExitCode);

        await using (var db = test.Database.CreateDb())
        {
            var row = await db.DeviceTokens.SingleAsync();
            Assert.Equal(Tuntas.Users.ApiKeys.Hash(secret), row.TokenHash);
            Assert.DoesNotContain(await db.AuditLog.Select(e => e.Detail ?? "").ToListAsync(), d => d.Contains(secret, StringComparison.Ordinal));
        }
        var listed = await CliRunner.RunAsync(test.Database, "users", "device-tokens", "relawan.siti");
        Assert.Contains("HP Siti", listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "device-token-revoke", "1")).ExitCode);
        Assert.Contains("dicabut", (await CliRunner.RunAsync(test.Database, "users", "device-tokens")).Out, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAsync(test.Database, "users", "device-token-revoke", "99")).ExitCode);
    }
}

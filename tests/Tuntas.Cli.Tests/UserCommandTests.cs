using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

/// <summary><c>tuntas users …</c>: the same use cases as the back office, every change in the audit trail.</summary>
public sealed class UserCommandTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Users_are_added_assigned_disabled_and_shared_with_under_agreements_from_the_cli(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var added = await CliRunner.RunAsync(test.Database, "users", "add", "pendamping.sari", "--role", "pendamping");
        Assert.Equal(0, added.ExitCode);
        Assert.Equal(16, added.Out.Trim().Length); // the generated password, printed once

        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "assign", "pendamping.sari", "33.14.01.2001", "3314012002")).ExitCode);
        var badVillage = await CliRunner.RunAsync(test.Database, "users", "assign", "pendamping.sari", "33.14.01.9999");
        Assert.Equal(2, badVillage.ExitCode);
        Assert.Contains("33.14.01.9999", badVillage.Error, StringComparison.Ordinal);

        var partnerWithout = await CliRunner.RunAsync(test.Database, "users", "add", "csr.a", "--role", "mitra");
        Assert.Equal(2, partnerWithout.ExitCode);
        Assert.Contains("lembaga", partnerWithout.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "add", "csr.a", "--role", "mitra", "--organization", "PT A")).ExitCode);

        var until = DateTime.UtcNow.AddMonths(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var agreement = await CliRunner.RunAsync(test.Database, "users", "agreements", "add", "PKS/1", "--organization", "PT A",
            "--purpose", "verifikasi penerima bantuan modal usaha", "--until", until, "--village", "33.14.01.2001");
        Assert.Equal(0, agreement.ExitCode);
        Assert.Contains("berlaku", (await CliRunner.RunAsync(test.Database, "users", "agreements", "list")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "agreements", "revoke", agreement.Out.Trim(), "--reason", "selesai")).ExitCode);
        Assert.Contains("dicabut", (await CliRunner.RunAsync(test.Database, "users", "agreements", "list")).Out, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "disable", "pendamping.sari")).ExitCode);
        Assert.Contains("nonaktif", (await CliRunner.RunAsync(test.Database, "users", "list")).Out, StringComparison.Ordinal);

        await using var db = test.Database.CreateDb();
        Assert.Equal(2, await db.UserVillages.CountAsync());
        var details = await db.AuditLog.AsNoTracking().Select(e => e.Detail ?? "").ToListAsync();
        Assert.Contains(details, d => d.Contains("status: aktif → nonaktif", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Contains("desa ditambah [33.14.01.2001, 33.14.01.2002]", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Contains("dicabut: selesai", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_api_client_is_bound_to_its_village_and_the_audit_trail_gets_a_signed_checkpoint(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var unbound = await CliRunner.RunAsync(test.Database, "users", "api-client", "SID Keden", "--role", "operator-desa");
        Assert.Equal(2, unbound.ExitCode);
        Assert.Contains("terikat pada satu desa", unbound.Error, StringComparison.Ordinal);
        var bound = await CliRunner.RunAsync(test.Database, "users", "api-client", "SID Keden", "--role", "operator-desa", "--region", "3314012001");
        Assert.Equal(0, bound.ExitCode);
        Assert.StartsWith("tnt_", bound.Out.Trim(), StringComparison.Ordinal);
        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal("33.14.01.2001", (await db.ApiClients.SingleAsync()).RegionCode);
        }

        var checkpoint = await CliRunner.RunAsync(test.Database, "audit", "checkpoint");
        Assert.Equal(0, checkpoint.ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "audit", "verify")).ExitCode);
        await using (var db = test.Database.CreateDb())
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM audit_checkpoints");
        }
        var broken = await CliRunner.RunAsync(test.Database, "audit", "verify");
        Assert.Equal(3, broken.ExitCode);
        Assert.Contains("terpotong", broken.Error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_dci_signing_key_is_registered_replaced_refused_when_malformed_and_removed_from_the_cli(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var keyFile = Path.GetTempFileName();
        var key = new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
        await File.WriteAllTextAsync(keyFile, "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(
            Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.GeneratePublicKey()).GetEncoded()) + "\n-----END PUBLIC KEY-----\n");
        var created = await CliRunner.RunAsync(test.Database, "users", "api-client", "OpenSPP Provinsi", "--role", "koordinator-tkpkd", "--signing-key", keyFile, "--key-id", "k1");
        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("tnt_", created.Out.Trim(), StringComparison.Ordinal);
        long id;
        await using (var db = test.Database.CreateDb())
        {
            id = (await db.ApiClients.SingleAsync()).Id;
            Assert.Equal("k1", (await db.Set<Dci.Subscriptions.DciClientKey>().SingleAsync()).KeyId);
        }
        var number = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var wrongName = await CliRunner.RunAsync(test.Database, "users", "api-client", "Lain", "--client", number, "--signing-key", keyFile);
        Assert.Equal(2, wrongName.ExitCode);
        await File.WriteAllTextAsync(keyFile, "bukan kunci");
        var malformed = await CliRunner.RunAsync(test.Database, "users", "api-client", "OpenSPP Provinsi", "--client", number, "--signing-key", keyFile, "--key-id", "k2");
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("Ed25519", malformed.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "users", "api-client", "OpenSPP Provinsi", "--client", number, "--remove-signing-key")).ExitCode);
        File.Delete(keyFile);

        await using var check = test.Database.CreateDb();
        Assert.Equal(0, await check.Set<Dci.Subscriptions.DciClientKey>().CountAsync());
        var details = await check.AuditLog.AsNoTracking().Select(e => e.Detail ?? "").ToListAsync();
        Assert.Contains(details, d => d.Contains("kunci tanda tangan DCI k1", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Contains("kunci tanda tangan DCI dihapus", StringComparison.Ordinal));
    }
}

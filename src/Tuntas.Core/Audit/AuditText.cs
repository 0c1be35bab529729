using System.Security.Cryptography;

namespace Tuntas.Audit;

/// <summary>
/// Identifiers as they may appear in logs and the audit trail: a NIK never in plain text (UU PDP 27/2022) but as a
/// keyed digest — HMAC-SHA-256 with this installation's secret, so the same NIK always gives the same digest (an
/// auditor can follow one person) while the 16-digit space, small enough to enumerate, cannot be searched without the key.
/// </summary>
public sealed class AuditText(TuntasDatabase database)
{
    private const string KeyName = "nik-digest-key";
    private byte[]? _key;

    public async Task<string> NikDigestAsync(string nik, CancellationToken cancellationToken)
    {
        _key ??= await KeyAsync(cancellationToken);
        return "nik:" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(nik)))[..16];
    }

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        var secret = await db.Set<InstallSecret>().AsNoTracking().SingleOrDefaultAsync(s => s.Name == KeyName, cancellationToken);
        if (secret is null)
        {
            secret = new InstallSecret { Name = KeyName, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            db.Add(secret);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another process created it first: use theirs.
                await using var again = database.CreateDb();
                secret = await again.Set<InstallSecret>().AsNoTracking().SingleAsync(s => s.Name == KeyName, cancellationToken);
            }
        }
        return Convert.FromBase64String(secret.Value);
    }
}

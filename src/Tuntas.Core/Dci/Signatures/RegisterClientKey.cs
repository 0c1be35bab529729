using Tuntas.Dci.Subscriptions;

namespace Tuntas.Dci.Signatures;

/// <summary>
/// Registers (or replaces, or with an empty key removes) the Ed25519 public key an API client signs its DCI messages
/// with (docs/dci.md): from then on every message of that client must carry a valid <c>signature</c>
/// (<see cref="CheckSignature"/>). The back office (<c>/Pengguna/Dci</c>) and <c>tuntas users api-client --signing-key</c>
/// use this one use case.
/// </summary>
public sealed class RegisterClientKey(TuntasDb db, TimeProvider clock)
{
    /// <param name="PublicKey">PEM, or the raw 32 bytes in base64 or hex; empty or null removes the key.</param>
    /// <param name="KeyId">The <c>unique_key_id</c> the client puts in its signature's <c>kidId</c>.</param>
    public sealed record Input(long ClientId, string? PublicKey, string? KeyId);

    public sealed record Outcome(IReadOnlyList<Problem> Problems, DciClientKey? Key, string? ClientName)
    {
        public bool Succeeded => Problems.Count == 0;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var client = await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == input.ClientId, cancellationToken);
        if (client is null)
        {
            return new([new Problem("ClientId", "NOT_FOUND", "Klien API tidak ditemukan.", "No such API client.")], null, null);
        }
        var existing = await db.Set<DciClientKey>().SingleOrDefaultAsync(k => k.ApiClientId == input.ClientId, cancellationToken);
        if (string.IsNullOrWhiteSpace(input.PublicKey))
        {
            if (existing is not null)
            {
                db.Remove(existing);
                await db.SaveChangesAsync(cancellationToken);
            }
            return new([], null, client.Name);
        }
        var problems = new List<Problem>();
        var raw = MessageSignature.ReadPublicKey(input.PublicKey);
        if (raw is null)
        {
            problems.Add(new("PublicKey", "SIGNING_KEY", "Kunci publik Ed25519: PEM (BEGIN PUBLIC KEY) atau 32 bita base64/hex.",
                "An Ed25519 public key: PEM (BEGIN PUBLIC KEY) or 32 bytes in base64 or hex."));
        }
        var keyId = (input.KeyId ?? "").Trim();
        if (keyId.Length is 0 or > 99 || keyId.Any(c => c == '|' || char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problems.Add(new("KeyId", "KEY_ID", "ID kunci 1–99 karakter, tanpa spasi dan tanpa '|'.", "The key id: 1–99 characters, no spaces, no '|'."));
        }
        if (problems.Count > 0)
        {
            return new(problems, null, client.Name);
        }
        var key = existing ?? new DciClientKey { ApiClientId = input.ClientId, KeyId = keyId, Algorithm = MessageSignature.Algorithm, PublicKey = "" };
        key.KeyId = keyId;
        key.Algorithm = MessageSignature.Algorithm;
        key.PublicKey = Convert.ToBase64String(raw!);
        key.CreatedAt = clock.GetUtcNow().UtcDateTime;
        if (existing is null)
        {
            db.Add(key);
        }
        await db.SaveChangesAsync(cancellationToken);
        return new([], key, client.Name);
    }
}

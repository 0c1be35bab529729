using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Tuntas.Dci.Signatures;

/// <summary>
/// The DCI message <c>signature</c> (<c>MsgSignature</c> of spdci/standards: "Signature of {header}+{message} body verified
/// using sender's signing public key"), in the form the standard's example gives:
/// <c>Signature: namespace="spdci", kidId="{sender_id}|{unique_key_id}|{algorithm}", algorithm="ed25519",
/// created="1606970629", expires="1607030629", headers="(created) (expires) digest", signature="Base64(signing content)"</c>.
/// The signing content is the HTTP-signature string of those three headers — <c>(created): …\n(expires): …\ndigest:
/// BLAKE-512=…</c> — whose digest is BLAKE2b-512 of the message's <c>header</c> JSON followed by its <c>message</c> JSON,
/// exactly as sent (the bytes on the wire, not a re-serialisation). Ed25519 (RFC 8032) is the standard's algorithm and
/// the only one accepted.
/// </summary>
public static class MessageSignature
{
    public const string Algorithm = "ed25519";
    public const string Headers = "(created) (expires) digest";

    /// <param name="Sender">The <c>sender_id</c> part of the key id.</param>
    /// <param name="KeyId">The <c>unique_key_id</c> part.</param>
    public sealed record Parts(string Sender, string KeyId, string Algorithm, long Created, long Expires, string Headers, byte[] Value);

    /// <summary>The parameters of a signature string; null when it is not one.</summary>
    public static Parts? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 4000)
        {
            return null;
        }
        var body = text.Trim();
        if (body.StartsWith("Signature:", StringComparison.OrdinalIgnoreCase))
        {
            body = body["Signature:".Length..];
        }
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in SplitParameters(body))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }
            values[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
        }
        // The standard's example writes "kidId"; HTTP signatures (draft-cavage, Beckn) write "keyId": both are read.
        var kid = values.GetValueOrDefault("kidId") ?? values.GetValueOrDefault("keyId");
        var kidParts = kid?.Split('|');
        if (kidParts is not { Length: 3 } || !long.TryParse(values.GetValueOrDefault("created"), NumberStyles.None, CultureInfo.InvariantCulture, out var created)
            || !long.TryParse(values.GetValueOrDefault("expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || values.GetValueOrDefault("signature") is not { Length: > 0 } encoded)
        {
            return null;
        }
        byte[] value;
        try
        {
            value = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return null;
        }
        return new Parts(kidParts[0], kidParts[1], values.GetValueOrDefault("algorithm") ?? kidParts[2], created, expires,
            values.GetValueOrDefault("headers") ?? "", value);
    }

    /// <summary>Comma-separated <c>name="value"</c> pairs; a comma inside quotes does not split.</summary>
    private static IEnumerable<string> SplitParameters(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == ',' && !quoted)
            {
                if (text[start..i].Trim() is { Length: > 0 } piece)
                {
                    yield return piece;
                }
                start = i + 1;
            }
        }
        if (text[start..].Trim() is { Length: > 0 } last)
        {
            yield return last;
        }
    }

    /// <summary>BLAKE2b-512 of <paramref name="header"/> then <paramref name="message"/> (UTF-8 JSON as sent), base64.</summary>
    public static string Digest(ReadOnlySpan<byte> header, ReadOnlySpan<byte> message)
    {
        var digest = new Blake2bDigest(512);
        digest.BlockUpdate(header);
        digest.BlockUpdate(message);
        var output = new byte[64];
        digest.DoFinal(output, 0);
        return Convert.ToBase64String(output);
    }

    public static byte[] SigningString(long created, long expires, string digest) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}"));

    public static bool Verify(byte[] publicKey, Parts parts, ReadOnlySpan<byte> header, ReadOnlySpan<byte> message)
    {
        if (publicKey.Length != Ed25519PublicKeyParameters.KeySize || parts.Value.Length != 64)
        {
            return false;
        }
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey));
        var content = SigningString(parts.Created, parts.Expires, Digest(header, message));
        verifier.BlockUpdate(content, 0, content.Length);
        return verifier.VerifySignature(parts.Value);
    }

    /// <summary>The signature string for a message this registry sends.</summary>
    public static string Sign(Ed25519PrivateKeyParameters key, string keyId, DateTimeOffset now, TimeSpan lifetime, ReadOnlySpan<byte> header, ReadOnlySpan<byte> message)
    {
        var created = now.ToUnixTimeSeconds();
        var expires = (now + lifetime).ToUnixTimeSeconds();
        var content = SigningString(created, expires, Digest(header, message));
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        signer.BlockUpdate(content, 0, content.Length);
        var value = Convert.ToBase64String(signer.GenerateSignature());
        return string.Create(CultureInfo.InvariantCulture,
            $"Signature: namespace=\"spdci\", kidId=\"{keyId}\", algorithm=\"{Algorithm}\", created=\"{created}\", expires=\"{expires}\", headers=\"{Headers}\", signature=\"{value}\"");
    }

    /// <summary>
    /// An Ed25519 public key as an administrator pastes it: PEM (<c>-----BEGIN PUBLIC KEY-----</c>, as <c>openssl pkey
    /// -pubout</c> writes), or the raw 32 bytes in base64 or hex. Null when it is none of these.
    /// </summary>
    public static byte[]? ReadPublicKey(string? text)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length is 0 or > 4000)
        {
            return null;
        }
        try
        {
            if (trimmed.StartsWith("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
            {
                return PublicKeyFactory.CreateKey(Pem(trimmed)) is Ed25519PublicKeyParameters key ? key.GetEncoded() : null;
            }
            var raw = trimmed.Length == 64 && trimmed.All(Uri.IsHexDigit) ? Convert.FromHexString(trimmed) : Convert.FromBase64String(trimmed);
            return raw.Length == Ed25519PublicKeyParameters.KeySize ? raw : null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException or IOException or SecurityUtilityException)
        {
            return null;
        }
    }

    /// <summary>An Ed25519 private key in PEM (PKCS#8, <c>openssl genpkey -algorithm ed25519</c>).</summary>
    public static Ed25519PrivateKeyParameters ReadPrivateKey(string pem) =>
        PrivateKeyFactory.CreateKey(Pem(pem)) as Ed25519PrivateKeyParameters
        ?? throw new InvalidOperationException("Not an Ed25519 private key (PKCS#8 PEM).");

    private static byte[] Pem(string text) => Convert.FromBase64String(string.Concat(text.Split('\n')
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));

    /// <summary>Short fingerprint of a public key for the back office (first 16 hex digits of its SHA-256).</summary>
    public static string Fingerprint(string publicKeyBase64) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(publicKeyBase64)))[..16];
}

using Microsoft.Extensions.Configuration;
using Org.BouncyCastle.Crypto.Parameters;
using Tuntas.Dci.Subscriptions;

namespace Tuntas.Dci.Signatures;

/// <summary>
/// Checks a received DCI message's <c>signature</c> against the key its API client registered (<see cref="DciClientKey"/>).
/// A client without a key is authenticated by its bearer token alone and its signature, if any, is not read. A client with
/// a key must sign every message: none is <c>err.signature.missing</c>; a signature that is malformed, names another
/// sender or key, has expired, was created in the future, or does not verify is <c>err.signature.invalid</c>. The reason
/// is given in general words only — never the expected key or digest.
/// </summary>
public sealed class CheckSignature(TuntasDb db, TimeProvider clock)
{
    /// <summary>How far a signature's <c>created</c> may lie ahead of this server's clock.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <param name="Header">The message's <c>header</c> JSON as received; <paramref name="Message"/> its <c>message</c>.</param>
    public sealed record Input(long ClientId, string? Signature, string? SenderId, ReadOnlyMemory<byte> Header, ReadOnlyMemory<byte> Message);

    /// <param name="Code">Null when the message may proceed; otherwise the standard's error code.</param>
    /// <param name="Reason">For the audit trail and the error message: what was wrong, in general words.</param>
    public sealed record Outcome(string? Code, string? Reason, bool Verified)
    {
        public static readonly Outcome NotRequired = new(null, null, false);
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken) =>
        Check(input, await db.Set<DciClientKey>().AsNoTracking().SingleOrDefaultAsync(k => k.ApiClientId == input.ClientId, cancellationToken));

    /// <summary>The same check with the client's key already read in this request (<see cref="ReadBearerClient"/>).</summary>
    public Outcome Check(Input input, DciClientKey? key)
    {
        if (key is null)
        {
            return Outcome.NotRequired;
        }
        if (string.IsNullOrWhiteSpace(input.Signature))
        {
            return new(DciCodes.SignatureMissing, "this client registered a signing key: every message must be signed", false);
        }
        if (MessageSignature.Parse(input.Signature) is not { } parts)
        {
            return Invalid("not a DCI signature (Signature: namespace, kidId, algorithm, created, expires, headers, signature)");
        }
        if (!string.Equals(parts.Algorithm, MessageSignature.Algorithm, StringComparison.OrdinalIgnoreCase) || parts.Headers != MessageSignature.Headers)
        {
            return Invalid("algorithm must be ed25519 and headers \"(created) (expires) digest\"");
        }
        if (parts.KeyId != key.KeyId || parts.Sender != input.SenderId)
        {
            return Invalid("kidId must name header.sender_id and the client's registered key");
        }
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (parts.Expires <= now || parts.Created > now + (long)ClockSkew.TotalSeconds || parts.Created >= parts.Expires)
        {
            return Invalid("expired, or not yet valid");
        }
        return MessageSignature.Verify(Convert.FromBase64String(key.PublicKey), parts, input.Header.Span, input.Message.Span)
            ? new(null, null, true)
            : Invalid("does not verify against the client's registered key");
    }

    private static Outcome Invalid(string reason) => new(DciCodes.SignatureInvalid, reason, false);
}

/// <summary>
/// Signs the messages Tuntas sends (on-search, txn-on-status, on-subscribe, on-unsubscribe, notify) with the regency's
/// Ed25519 key when one is configured (<c>Dci:SigningKeyFile</c>, a PKCS#8 PEM; <c>Dci:SigningKeyId</c>, default 1): the
/// receiver checks it with the public key the regency gave it. Without a key, messages go unsigned as before.
/// </summary>
public sealed class DciSigner(Ed25519PrivateKeyParameters? key, string keyId, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static DciSigner FromConfiguration(IConfiguration configuration, DciOptions options, TimeProvider clock)
    {
        var file = configuration["Dci:SigningKeyFile"];
        var key = string.IsNullOrWhiteSpace(file) ? null : MessageSignature.ReadPrivateKey(File.ReadAllText(file));
        var id = configuration["Dci:SigningKeyId"] is { Length: > 0 } k ? k : "1";
        return new DciSigner(key, options.SenderId + "|" + id + "|" + MessageSignature.Algorithm, clock);
    }

    public bool Signs => key is not null;

    /// <summary>
    /// The message with its <c>signature</c> first, over its <c>header</c> and <c>message</c> exactly as they will be sent;
    /// unchanged when no key is configured or the text is not a message envelope.
    /// </summary>
    public string Sign(string json)
    {
        if (key is null)
        {
            return json;
        }
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("header", out var header))
        {
            return json;
        }
        var headerText = header.GetRawText();
        var messageText = root.TryGetProperty("message", out var message) ? message.GetRawText() : "";
        var signature = MessageSignature.Sign(key, keyId, clock.GetUtcNow(), Lifetime, Encoding.UTF8.GetBytes(headerText), Encoding.UTF8.GetBytes(messageText));
        var builder = new StringBuilder(json.Length + 400);
        builder.Append("{\"signature\":").Append(JsonSerializer.Serialize(signature)).Append(",\"header\":").Append(headerText);
        if (messageText.Length > 0)
        {
            builder.Append(",\"message\":").Append(messageText);
        }
        return builder.Append('}').ToString();
    }
}

namespace Tuntas.Notifications;

/// <summary>
/// The seam to the world outside (ARCHITECTURE §2: interfaces only at real seams): the mail server for e-mail
/// contacts, the SMS/WhatsApp gateway for mobile numbers. A channel tells a temporary failure (retry later) from a
/// permanent one (the address is refused: retrying cannot help).
/// </summary>
public interface IMessageChannel
{
    /// <summary><see cref="OutboxChannels.Email"/> or <see cref="OutboxChannels.Phone"/>.</summary>
    string Serves { get; }

    Task<Delivery> SendAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>The result of one try. <paramref name="Error"/> is short and holds no contact detail (it is shown on the outbox page).</summary>
public sealed record Delivery(bool Sent, bool Permanent, string? ProviderRef, string? Error)
{
    public static Delivery Ok(string? providerRef) => new(true, false, providerRef, null);

    public static Delivery Retry(string error) => new(false, false, null, Trim(error));

    public static Delivery Refused(string error) => new(false, true, null, Trim(error));

    private static string Trim(string error) => error.Length <= 300 ? error : error[..300];
}

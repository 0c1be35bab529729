using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Tuntas.Notifications;

/// <summary>
/// E-mail through the regency's mail server (SMTP, MailKit). One connection per message: a regency sends tens of
/// messages a day, and a fresh connection never inherits a half-broken session. A 5xx answer to the recipient
/// (RFC 5321 §4.2.1: permanent negative) abandons the message; anything else — no connection, 4xx, a timeout — is
/// retried. The error kept is the reply code, never the server's text, which often repeats the address.
/// </summary>
public sealed class SmtpMailChannel(SmtpOptions options) : IMessageChannel
{
    public string Serves => OutboxChannels.Email;

    public async Task<Delivery> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress(options.FromName, options.From));
        if (!MailboxAddress.TryParse(message.Contact, out var to))
        {
            return Delivery.Refused("alamat e-mail tidak sah");
        }
        mail.To.Add(to);
        mail.Subject = message.Subject;
        mail.Body = new TextPart("plain") { Text = message.Text };
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            var security = options.Security switch
            {
                "ssl" => SecureSocketOptions.SslOnConnect,
                "starttls" => SecureSocketOptions.StartTls,
                "none" => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTlsWhenAvailable,
            };
            await client.ConnectAsync(options.Host, options.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(options.User))
            {
                await client.AuthenticateAsync(options.User, options.Password ?? "", cancellationToken);
            }
            var response = await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return Delivery.Ok(mail.MessageId ?? response);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            return Delivery.Refused($"SMTP {(int)e.StatusCode}: ditolak server surat");
        }
        catch (SmtpCommandException e)
        {
            return Delivery.Retry($"SMTP {(int)e.StatusCode}");
        }
        catch (AuthenticationException)
        {
            return Delivery.Retry("SMTP: login ke server surat gagal");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ServiceNotConnectedException or SmtpProtocolException
            or SslHandshakeException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Delivery.Retry("SMTP: " + e.GetType().Name);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Tuntas.Notifications;

/// <summary>
/// SMS or WhatsApp through an HTTP gateway (a provider's API, or the regency's own relay in front of it): one JSON
/// POST per message, <c>{"to":"+628…","channel":"sms","text":"…"}</c> with <c>Authorization: Bearer KEY</c>; a 2xx answer is
/// sent (its JSON <c>id</c>, when present, kept to trace the message with the provider). 408, 429 and 5xx are
/// retried, as is a gateway that cannot be reached; any other 4xx refuses this message for good (a bad number, a
/// text the provider will not take). The number goes out in international form, as gateways expect (ITU-T E.164).
/// </summary>
public sealed class SmsGatewayChannel(HttpClient http, GatewayOptions options) : IMessageChannel
{
    public string Serves => OutboxChannels.Phone;

    public async Task<Delivery> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (InternationalNumber(message.Contact) is not { } to)
        {
            return Delivery.Refused("nomor HP tidak sah");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = JsonContent.Create(new { to, channel = options.Channel, text = SmsText.Fit(message.Text) }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return Delivery.Ok(await ReadIdAsync(response, cancellationToken));
            }
            return code is 408 or 429 || code >= 500
                ? Delivery.Retry($"gateway HTTP {code}")
                : Delivery.Refused($"gateway HTTP {code}: pesan ditolak");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Delivery.Retry("gateway: " + (e is HttpRequestException { HttpRequestError: var kind } ? kind.ToString() : "timeout"));
        }
    }

    private static async Task<string?> ReadIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id)
                ? (id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText()) is { Length: <= 100 } s ? s : null
                : null;
        }
        catch (JsonException)
        {
            return null; // a gateway that answers 200 with no JSON has still taken the message
        }
    }

    /// <summary>
    /// An Indonesian mobile number in E.164: 0812… and 62812… become +62812…; a number already with + is kept. Null when
    /// what is left is not 8–15 digits (the complaint form's rule).
    /// </summary>
    public static string? InternationalNumber(string contact)
    {
        var digits = new string([.. contact.Where(char.IsAsciiDigit)]);
        var international = contact.TrimStart().StartsWith('+') ? digits
            : digits.StartsWith('0') ? "62" + digits[1..]
            : digits;
        return international.Length is >= 8 and <= 15 ? "+" + international : null;
    }
}

/// <summary>
/// One SMS is 160 characters of the GSM 7-bit alphabet (3GPP TS 23.038); one character outside it (an arrow, a curly
/// quote, an en dash) turns the whole message into UCS-2 with 70 characters per part, and a long text into several
/// billed parts that cheap phones may show out of order. So texts for phones are folded to plain ASCII and cut to 160.
/// </summary>
public static class SmsText
{
    public const int Limit = 160;

    public static string Fit(string text)
    {
        var plain = Plain(text);
        return plain.Length <= Limit ? plain : plain[..(Limit - 3)].TrimEnd() + "...";
    }

    public static string Plain(string text)
    {
        var folded = text.Replace("→", "ke", StringComparison.Ordinal).Replace("–", "-", StringComparison.Ordinal)
            .Replace("—", "-", StringComparison.Ordinal).Replace("‘", "'", StringComparison.Ordinal).Replace("’", "'", StringComparison.Ordinal)
            .Replace("“", "\"", StringComparison.Ordinal).Replace("”", "\"", StringComparison.Ordinal).Replace("…", "...", StringComparison.Ordinal)
            .Normalize(System.Text.NormalizationForm.FormD);
        return new string([.. folded.Where(c => c is >= ' ' and <= '~' && c is not ('[' or ']' or '{' or '}' or '\\' or '^' or '~' or '|' or '`'))]);
    }

    /// <summary>True when the text is one SMS as it stands: GSM-7 basic characters only (ASCII less the escaped ones) and at most 160 of them.</summary>
    public static bool IsOneSms(string text) => text.Length <= Limit && Plain(text) == text;
}

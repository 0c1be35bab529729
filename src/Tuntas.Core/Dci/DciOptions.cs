using Microsoft.Extensions.Configuration;

namespace Tuntas.Dci;

/// <summary>
/// Settings of the DCI Social Registry adapter (docs/dci.md), from the <c>Dci</c> configuration section.
/// </summary>
/// <param name="SenderId">This registry's id in message headers (<c>sender_id</c> of responses, <c>receiver_id</c> of requests).</param>
/// <param name="MaxPageSize">Largest <c>page_size</c> accepted; more is <c>rjct.pagination.invalid</c> (one page stays one quick query).</param>
/// <param name="MaxSearchRequests">Most <c>search_request</c> items in one message; more is <c>rjct.total_count.limit_exceeded</c>.</param>
/// <param name="TokenLifetime">How long an access token from <c>/oauth2/client/token</c> is valid.</param>
/// <param name="MessageAge">How far <c>message_ts</c> may lie from now (either way) before <c>rjct.message_ts.invalid</c>.</param>
public sealed record DciOptions(string SenderId, int MaxPageSize, int MaxSearchRequests, TimeSpan TokenLifetime, TimeSpan MessageAge)
{
    public const string Version = "1.0.0";

    public static DciOptions FromConfiguration(IConfiguration configuration, string regency)
    {
        var section = configuration.GetSection("Dci");
        int Int(string key, int fallback) => int.TryParse(section[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
        return new DciOptions(
            section["SenderId"] is { Length: > 0 } id ? id : "tuntas-" + regency,
            Int("MaxPageSize", 100),
            Int("MaxSearchRequests", 10),
            TimeSpan.FromMinutes(Int("TokenMinutes", 60)),
            TimeSpan.FromMinutes(Int("MessageAgeMinutes", 15)));
    }
}

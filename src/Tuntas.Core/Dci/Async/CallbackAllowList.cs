using Microsoft.Extensions.Configuration;

namespace Tuntas.Dci.Async;

/// <summary>
/// Where Tuntas may call a DCI client back (<c>header.sender_uri</c> of an asynchronous message): only under a URL the
/// administrator registered for that client, in <c>Dci:Callbacks:&lt;client id or name&gt;</c> (a list of URL prefixes). A
/// callback carries personal data and is sent from inside the regency's network: without this list any client could
/// make Tuntas post records to any address (OWASP ASVS 12.6.1, server-side request forgery).
/// </summary>
public sealed class CallbackAllowList(IReadOnlyDictionary<string, IReadOnlyList<Uri>> prefixes)
{
    public static CallbackAllowList FromConfiguration(IConfiguration configuration)
    {
        var map = new Dictionary<string, IReadOnlyList<Uri>>(StringComparer.Ordinal);
        foreach (var client in configuration.GetSection("Dci:Callbacks").GetChildren())
        {
            var values = client.Value is { Length: > 0 } single ? [single] : client.GetChildren().Select(c => c.Value ?? "");
            map[client.Key] = [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(v => Uri.TryCreate(v, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>()];
        }
        return new CallbackAllowList(map);
    }

    /// <summary>
    /// True when <paramref name="url"/> is an absolute http(s) URL with the scheme, host and port of a registered prefix
    /// and its path or a path below it (<c>/dci</c> allows <c>/dci/on-search</c>, not <c>/dci-x</c>); no user information, no fragment.
    /// </summary>
    public bool Allows(long clientId, string clientName, string? url)
    {
        var allowed = prefixes.GetValueOrDefault(clientId.ToString(CultureInfo.InvariantCulture)) ?? prefixes.GetValueOrDefault(clientName);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0 || allowed is null)
        {
            return false;
        }
        return allowed.Any(p => string.Equals(p.Scheme, uri.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.IdnHost, uri.IdnHost, StringComparison.OrdinalIgnoreCase) && p.Port == uri.Port
            && (uri.AbsolutePath == p.AbsolutePath || uri.AbsolutePath.StartsWith(p.AbsolutePath.TrimEnd('/') + "/", StringComparison.Ordinal)));
    }
}

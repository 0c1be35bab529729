namespace Tuntas.Web.PublicPortal;

/// <summary>Who a public request comes from, for its rate limits: the portal's pages and the public API alike.</summary>
public static class PublicClient
{
    /// <summary>The client's address (behind a proxy on this host, the forwarded one: see ForwardedHeaders in Program.cs).</summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "tidak-diketahui";
}

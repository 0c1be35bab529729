using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Tuntas.Web.Api;

namespace Tuntas.Web.PublicPortal;

/// <summary>
/// The anonymous transparency page and its API (JSON, CSV) are limited per client with the shared framework's rate
/// limiter (ARCHITECTURE §4): a token bucket of <c>Tuntas:Public:TransparencyPerMinute</c> (120 by default, one
/// token back every half second), so a citizen browsing, a journalist or an open-data harvester is never held up and
/// one client cannot hold the page for everyone (OWASP ASVS 11.1.4). The client is the address, the forwarded one
/// behind the proxy on this host (<see cref="PublicClient.Of"/>). A refusal is 429 with the real wait in Retry-After.
/// </summary>
public static class TransparencyRateLimit
{
    public const string Policy = "transparansi";

    public static IServiceCollection AddTransparencyRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = Math.Max(1, configuration.GetValue("Tuntas:Public:TransparencyPerMinute", 120));
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context => RateLimitPartition.GetTokenBucketLimiter(PublicClient.Of(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
                {
                    context.HttpContext.Response.Headers.RetryAfter = Tuntas.PublicPortal.PublicRateLimits.Seconds(wait).ToString(CultureInfo.InvariantCulture);
                }
                return ValueTask.CompletedTask;
            };
        });
    }
}

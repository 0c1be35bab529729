using System.Threading.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace Tuntas.PublicPortal;

/// <summary>
/// Rate limits of the public side (issue #7 §1), held in memory by one singleton. A NIK is region + birth date + a
/// four-digit serial, so a guesser who knows a village and a birthday has at most 10,000 candidates: the limits are
/// per client (address), per NIK and per NIK prefix (the first 12 digits: region and birth date), so neither many
/// clients on one person nor one client on many serials gets far. Complaints have their own, tighter client limit.
/// Every limit is a token bucket: a short burst is allowed, a steady stream is held to the rate.
/// </summary>
public sealed class PublicRateLimits : IDisposable
{
    public sealed record Options(int ClientPerMinute = 60, int NikPerHour = 10, int PrefixPerHour = 30, int ComplaintsPerHour = 10)
    {
        public static Options FromConfiguration(IConfiguration configuration) => new(
            configuration.GetValue("Tuntas:Public:ClientPerMinute", 60),
            configuration.GetValue("Tuntas:Public:NikPerHour", 10),
            configuration.GetValue("Tuntas:Public:PrefixPerHour", 30),
            configuration.GetValue("Tuntas:Public:ComplaintsPerHour", 10));
    }

    private readonly PartitionedRateLimiter<string> _clients;
    private readonly PartitionedRateLimiter<string> _niks;
    private readonly PartitionedRateLimiter<string> _prefixes;
    private readonly PartitionedRateLimiter<string> _complaints;

    public PublicRateLimits(Options options)
    {
        _clients = Buckets(options.ClientPerMinute, TimeSpan.FromMinutes(1), burst: options.ClientPerMinute);
        _niks = Buckets(options.NikPerHour, TimeSpan.FromHours(1), burst: options.NikPerHour);
        _prefixes = Buckets(options.PrefixPerHour, TimeSpan.FromHours(1), burst: options.PrefixPerHour);
        _complaints = Buckets(options.ComplaintsPerHour, TimeSpan.FromHours(1), burst: options.ComplaintsPerHour);
    }

    /// <summary>The client's own budget, taken before anything else (malformed requests count too).</summary>
    public bool AllowClient(string client) => Take(_clients, client);

    /// <summary>The budgets of the NIK asked about and of its prefix; called only for a well-formed NIK.</summary>
    public bool AllowNik(string nik) => Take(_prefixes, nik[..12]) & Take(_niks, nik);

    /// <summary>A status check: the client first (malformed requests count too), then, for a well-formed NIK as typed
    /// (spaces, dots or dashes allowed), that NIK and its prefix.</summary>
    public bool AllowStatusCheck(string client, string? nikAsTyped)
    {
        if (!AllowClient(client))
        {
            return false;
        }
        var digits = new string([.. (nikAsTyped ?? "").Where(char.IsAsciiDigit)]);
        return digits.Length != 16 || AllowNik(digits);
    }

    public bool AllowComplaint(string client) => Take(_complaints, client);

    private static bool Take(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Buckets(int perPeriod, TimeSpan period, int burst) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, perPeriod),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    public void Dispose()
    {
        _clients.Dispose();
        _niks.Dispose();
        _prefixes.Dispose();
        _complaints.Dispose();
    }
}

using System.Threading.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace Tuntas.PublicPortal;

/// <summary>
/// Rate limits of the public side, held in memory by one singleton. A NIK is region + birth date + a
/// four-digit serial, so a guesser who knows a village and a birthday has at most 10,000 candidates: the limits are
/// per client (address), per NIK and per NIK prefix (the first 12 digits: region and birth date), so neither many
/// clients on one person nor one client on many serials gets far. Complaints have their own, tighter client limit.
/// Every limit is a token bucket: a short burst is allowed, a steady stream is held to the rate. Tokens come back one
/// at a time (an hourly budget of 10 returns one token every 6 minutes), so a refusal lasts one token's period, not
/// the whole hour, and the refusal says how long it really lasts (<c>Retry-After</c>). A bucket emptied on purpose by
/// someone else — anyone may type a citizen's NIK — still blocks that NIK for a while: the citizen can then check
/// at a posko, where a signed-in officer's check is not held to the public per-NIK budget (and is audited).
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
    public bool AllowClient(string client) => AllowClient(client, out _);

    /// <summary>The client's own budget; when refused, <paramref name="retryAfter"/> is how long until it allows again.</summary>
    public bool AllowClient(string client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return Take(_clients, client, ref retryAfter);
    }

    /// <summary>The budgets of the NIK asked about and of its prefix; called only for a well-formed NIK.</summary>
    public bool AllowNik(string nik) => AllowNik(nik, out _);

    public bool AllowNik(string nik, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return Take(_prefixes, nik[..12], ref retryAfter) & Take(_niks, nik, ref retryAfter);
    }

    /// <summary>A status check: the client first (malformed requests count too), then, for a well-formed NIK as typed
    /// (spaces, dots or dashes allowed), that NIK and its prefix.</summary>
    public bool AllowStatusCheck(string client, string? nikAsTyped) => AllowStatusCheck(client, nikAsTyped, out _);

    /// <summary><see cref="AllowStatusCheck(string, string?)"/>; when refused, <paramref name="retryAfter"/> is the
    /// longest wait among the refusing budgets — the real wait to tell the citizen.</summary>
    public bool AllowStatusCheck(string client, string? nikAsTyped, out TimeSpan retryAfter)
    {
        if (!AllowClient(client, out retryAfter))
        {
            return false;
        }
        var digits = new string([.. (nikAsTyped ?? "").Where(char.IsAsciiDigit)]);
        return digits.Length != 16 || AllowNik(digits, out retryAfter);
    }

    public bool AllowComplaint(string client) => AllowComplaint(client, out _);

    public bool AllowComplaint(string client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return Take(_complaints, client, ref retryAfter);
    }

    /// <summary>Takes a token; a refusal raises <paramref name="retryAfter"/> to this bucket's wait for its next token.</summary>
    private static bool Take(PartitionedRateLimiter<string> limiter, string key, ref TimeSpan retryAfter)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > retryAfter)
        {
            retryAfter = wait;
        }
        return lease.IsAcquired;
    }

    /// <summary>A bucket of <paramref name="burst"/> tokens refilled one at a time, <paramref name="perPeriod"/> per
    /// <paramref name="period"/>: the wait after a refusal is one token's share of the period.</summary>
    private static PartitionedRateLimiter<string> Buckets(int perPeriod, TimeSpan period, int burst) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period / Math.Max(1, perPeriod),
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    /// <summary>A wait as whole seconds for <c>Retry-After</c> (RFC 9110 §10.2.3), rounded up, at least one.</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    public void Dispose()
    {
        _clients.Dispose();
        _niks.Dispose();
        _prefixes.Dispose();
        _complaints.Dispose();
    }
}

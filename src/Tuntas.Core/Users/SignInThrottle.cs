using Microsoft.Extensions.Configuration;

namespace Tuntas.Users;

/// <summary>
/// Slows password guessing without handing anyone a way to lock others out (OWASP ASVS 2.2.1; NIST SP 800-63B §5.2.2).
/// <list type="bullet">
/// <item>Per client address: at most <see cref="Options.ClientAttemptsPerMinute"/> attempts in any minute; past that
/// the attempt is refused before any password is checked (no hashing work, no audit line per attempt) with the real wait.</item>
/// <item>Per user name — existing or not, so the answer tells nothing about which accounts exist: after
/// <see cref="Options.FreeFailures"/> failures in a row, each next attempt must wait a back-off that doubles (from
/// <see cref="Options.BackoffBase"/>, at most <see cref="Options.BackoffMax"/>). A browser that has signed in to that
/// account before (a device cookie, OWASP "device cookies") is not held back, so a stranger's guessing does not keep
/// the account's owner out — the hard lockout it replaces let anyone lock any account with five requests.</item>
/// </list>
/// Kept in memory of the one web process (a restart forgets it: the back-off only slows guessing, it holds no data).
/// Bounded: entries older than an hour are dropped when the table grows.
/// </summary>
public sealed class SignInThrottle(SignInThrottle.Options options, TimeProvider clock)
{
    public sealed record Options(int ClientAttemptsPerMinute, int FreeFailures, TimeSpan BackoffBase, TimeSpan BackoffMax)
    {
        public static readonly Options Default = new(10, 5, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(15));

        /// <summary><c>Security:SignIn:ClientAttemptsPerMinute</c>, <c>…:FreeFailures</c>, <c>…:BackoffBaseSeconds</c>, <c>…:BackoffMaxSeconds</c>.</summary>
        public static Options FromConfiguration(IConfiguration configuration)
        {
            var section = configuration.GetSection("Security:SignIn");
            return new Options(
                section.GetValue("ClientAttemptsPerMinute", Default.ClientAttemptsPerMinute),
                section.GetValue("FreeFailures", Default.FreeFailures),
                TimeSpan.FromSeconds(section.GetValue("BackoffBaseSeconds", Default.BackoffBase.TotalSeconds)),
                TimeSpan.FromSeconds(section.GetValue("BackoffMaxSeconds", Default.BackoffMax.TotalSeconds)));
        }
    }

    private const int PruneAbove = 50_000;
    private static readonly TimeSpan _forgotten = TimeSpan.FromHours(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<DateTime>> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Failures, DateTime Last)> _accounts = new(StringComparer.Ordinal);

    public Options Settings => options;

    /// <summary>Counts an attempt of the client; returns the wait when it is over its limit (the attempt is not counted then).</summary>
    public TimeSpan? ClientWait(string client)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_lock)
        {
            if (!_clients.TryGetValue(client, out var attempts))
            {
                Prune(now);
                _clients[client] = attempts = new Queue<DateTime>();
            }
            while (attempts.Count > 0 && now - attempts.Peek() >= TimeSpan.FromMinutes(1))
            {
                attempts.Dequeue();
            }
            if (attempts.Count >= options.ClientAttemptsPerMinute)
            {
                return attempts.Peek() + TimeSpan.FromMinutes(1) - now;
            }
            attempts.Enqueue(now);
            return null;
        }
    }

    /// <summary>How long the user name must still wait before its next attempt is judged; null = it may try now.</summary>
    public TimeSpan? AccountWait(string userName)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_lock)
        {
            if (!_accounts.TryGetValue(userName, out var state) || state.Failures < options.FreeFailures || now - state.Last > _forgotten)
            {
                return null;
            }
            var wait = Backoff(state.Failures) - (now - state.Last);
            return wait > TimeSpan.Zero ? wait : null;
        }
    }

    public void RecordFailure(string userName)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_lock)
        {
            if (!_accounts.TryGetValue(userName, out var state))
            {
                Prune(now);
            }
            // An hour without attempts starts the count again: the back-off is for a run of guesses, not forever.
            _accounts[userName] = (now - state.Last > _forgotten ? 1 : state.Failures + 1, now);
        }
    }

    public void RecordSuccess(string userName)
    {
        lock (_lock)
        {
            _accounts.Remove(userName);
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var doublings = Math.Min(failures - options.FreeFailures, 20);
        var wait = options.BackoffBase * Math.Pow(2, doublings);
        return wait > options.BackoffMax ? options.BackoffMax : wait;
    }

    private void Prune(DateTime now)
    {
        if (_clients.Count > PruneAbove)
        {
            foreach (var key in _clients.Where(c => c.Value.Count == 0 || now - c.Value.Last() > TimeSpan.FromMinutes(1)).Select(c => c.Key).ToList())
            {
                _clients.Remove(key);
            }
        }
        if (_accounts.Count > PruneAbove)
        {
            foreach (var key in _accounts.Where(a => now - a.Value.Last > _forgotten).Select(a => a.Key).ToList())
            {
                _accounts.Remove(key);
            }
        }
    }
}

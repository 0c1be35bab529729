using System.Collections.Concurrent;

namespace Tuntas.Dci;

/// <summary>
/// The names of desa and kecamatan as the DCI records write them, kept in memory: region codes and names are
/// Kemendagri's reference data, shipped with the release and loaded at start-up and by <c>tuntas db migrate</c>, and
/// reading them again with every search cost the record's query two subqueries. A name is read again after
/// <see cref="Lifetime"/>, so a reload by the CLI (another process) shows within minutes without a restart.
/// One instance per application (a singleton), so per database.
/// </summary>
public sealed class RegionNames(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (string? Name, DateTimeOffset ReadAt)> _names = new(StringComparer.Ordinal);

    public async ValueTask<string?> NameAsync(TuntasDb db, string code, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_names.TryGetValue(code, out var known) && now - known.ReadAt < Lifetime)
        {
            return known.Name;
        }
        var name = await db.Regions.AsNoTracking().Where(r => r.Code == code).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        _names[code] = (name, now);
        return name;
    }
}

using Tuntas.Targeting.Snapshot;

namespace Tuntas.Programs;

/// <summary>
/// Open enrollments (enrolled or suspended) as a bit set of programs per family — the shape the overlap matrix and the
/// error report need. Read in one streaming query (native statements on SQLite); families are indexed by id in a dense
/// array when ids are dense, as the registry's are. Up to 64 programs (the catalogue's first 64 by code).
/// </summary>
internal sealed class OpenEnrollments
{
    public required string[] Programs { get; init; }
    public required int[] Enrollments { get; init; }
    public int Families { get; private set; }
    private ulong[] _dense = [];
    private ulong[] _denseTwice = [];
    private Dictionary<long, ulong>? _sparse;
    private Dictionary<long, ulong>? _sparseTwice;

    /// <summary>Bit p set: the family receives Programs[p] (as a family or through a member).</summary>
    public ulong Of(long familyId) =>
        _sparse is not null ? _sparse.GetValueOrDefault(familyId) : familyId >= 0 && familyId < _dense.Length ? _dense[familyId] : 0;

    public IEnumerable<ulong> AllSets() => _sparse is not null ? _sparse.Values : _dense.Where(s => s != 0);

    public IEnumerable<ulong> AllTwice() => _sparseTwice is not null ? _sparseTwice.Values : _denseTwice.Where(s => s != 0);

    public static Task<OpenEnrollments> ReadAsync(TuntasDatabase database, CancellationToken cancellationToken) =>
        Task.Run(() => Read(database, cancellationToken), cancellationToken);

    private static OpenEnrollments Read(TuntasDatabase database, CancellationToken cancellationToken)
    {
        using var connection = database.OpenConnectionAsync(cancellationToken).GetAwaiter().GetResult();
        var programs = new List<(long Id, string Code)>();
        using (var rows = RowSource.Open(connection, "SELECT id, code FROM programs ORDER BY code"))
        {
            while (rows.Next()) programs.Add((rows.Int64(0), rows.Text(1)!));
        }
        programs = programs.Take(64).ToList();
        var bitOf = programs.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var familyIds = new List<long>();
        var bits = new List<int>();
        long maxId = 0;
        using (var rows = RowSource.Open(connection, "SELECT program_id, family_id FROM enrollments WHERE status <> 'keluar'"))
        {
            var n = 0;
            while (rows.Next())
            {
                if (!bitOf.TryGetValue(rows.Int64(0), out var bit)) continue;
                var family = rows.Int64(1);
                familyIds.Add(family);
                bits.Add(bit);
                maxId = Math.Max(maxId, family);
                if ((++n & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            }
        }
        var enrollments = new int[programs.Count];
        var result = new OpenEnrollments { Programs = [.. programs.Select(p => p.Code)], Enrollments = enrollments };
        var dense = maxId < 8L * familyIds.Count + (1 << 20);
        if (dense)
        {
            result._dense = new ulong[maxId + 1];
            result._denseTwice = new ulong[maxId + 1];
        }
        else
        {
            result._sparse = [];
            result._sparseTwice = [];
        }
        var families = 0;
        for (var i = 0; i < familyIds.Count; i++)
        {
            var family = familyIds[i];
            var mask = 1UL << bits[i];
            enrollments[bits[i]]++;
            var current = dense ? result._dense[family] : result._sparse!.GetValueOrDefault(family);
            if (current == 0) families++;
            if ((current & mask) != 0)
            {
                if (dense) result._denseTwice[family] |= mask;
                else result._sparseTwice![family] = result._sparseTwice.GetValueOrDefault(family) | mask;
            }
            if (dense) result._dense[family] = current | mask;
            else result._sparse![family] = current | mask;
        }
        result.Families = families;
        return result;
    }
}
